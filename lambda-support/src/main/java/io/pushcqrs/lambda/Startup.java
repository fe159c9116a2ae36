package io.pushcqrs.lambda;

import io.pushcqrs.lambda.log.Log;

import java.util.function.Supplier;

/**
 * The init phase of every function: what a handler needs is built once, in its no-arg constructor, from the
 * environment. A failure (a missing variable, an unreadable secret) is logged once at ERROR, "cannot start
 * &lt;function&gt;: &lt;reason&gt;", and rethrown: the Lambda runtime reports the init error and no invocation runs on a
 * half-built function.
 */
public final class Startup {
    private Startup() {
    }

    public static <T> T build(String function, Log log, Supplier<T> build) {
        try {
            return build.get();
        } catch (RuntimeException e) {
            log.line("cannot start " + function + ": " + e.getMessage()).put("function", function).error(e)
                    .write(Log.Level.ERROR, null);
            throw e;
        }
    }
}
