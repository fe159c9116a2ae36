package io.pushcqrs.local.resources;

/**
 * Loads the template's resources of one family: provisions them in the {@link Backend} when they are created in moto
 * (tables, queues), and adds what the runtime needs to the stack being loaded ({@link LoadContext}). Every type a
 * loader handles is listed in {@link io.pushcqrs.local.template.ResourceTypes}; {@link StackLoader#LOADERS} runs
 * the loaders in order (a loader may use what the ones before it built).
 * <p>
 * A new emulated AWS resource type: a class implementing this, a line in {@code StackLoader.LOADERS}, an entry in
 * {@code ResourceTypes}, and (when the runtime needs it) a field of {@link StackModel}.
 */
interface ResourceLoader {
    void load(LoadContext ctx);
}
