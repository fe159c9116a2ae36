/**
 * From the template's resources to the running stack's model: {@link io.pushcqrs.local.resources.StackLoader}
 * checks every resource type and runs one {@link io.pushcqrs.local.resources.ResourceLoader} per resource family
 * (tables and queues, created in the {@link io.pushcqrs.local.resources.Backend}; functions; event source
 * mappings; REST APIs with their keys), then resolves the outputs, into a
 * {@link io.pushcqrs.local.resources.StackModel}. A new resource type is a new loader plus a line in
 * {@code StackLoader.LOADERS} and an entry in {@link io.pushcqrs.local.template.ResourceTypes}.
 */
package io.pushcqrs.local.resources;
