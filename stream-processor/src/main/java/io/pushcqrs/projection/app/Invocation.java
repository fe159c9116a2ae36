package io.pushcqrs.projection.app;

import java.util.function.LongSupplier;

/**
 * The invocation a batch is projected in: who it is (for the on-failure messages) and how much time it has left,
 * which bounds the retries of transient failures inside it.
 *
 * @param requestId       the Lambda request id, or null
 * @param functionArn     the invoked function's ARN, or null
 * @param remainingMillis the time left before the function times out (Lambda's Context), read at each decision
 */
public record Invocation(String requestId, String functionArn, LongSupplier remainingMillis) {

    /** An invocation without a time limit (tests, tools): retries are bounded by {@link RetryPolicy#maxAttempts}. */
    public static Invocation unbounded() {
        return new Invocation(null, null, () -> Long.MAX_VALUE);
    }

    public long remaining() {
        return remainingMillis.getAsLong();
    }
}
