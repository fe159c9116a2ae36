package io.pushcqrs.projection.app;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a record whose write failed transiently (throttling, a 5xx, a timeout: after the SDK's own retries) is tried
 * again inside the invocation: exponential backoff with jitter, while the invocation has time left for another
 * whole attempt and its answer (docs/reliability.md, "Transient failures are not poison").
 *
 * @param firstPause  the pause before the first retry; each further one is twice as long
 * @param maxPause    the longest pause
 * @param reserve     the time the invocation keeps after a pause: one more call at its SDK timeout, plus the answer
 * @param maxAttempts attempts per record at most (the bound when the invocation has no time limit)
 */
public record RetryPolicy(Duration firstPause, Duration maxPause, Duration reserve, int maxAttempts) {
    /**
     * 100 ms doubling to 5 s; keeps 12 s (the SDK's 8 s call timeout, the on-failure send and the answer); at most 30
     * attempts. With the function's 60 s timeout, a record is tried for about 45 s before the batch is answered.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5),
            Duration.ofSeconds(12), 30);
    /** No retry inside the invocation. */
    public static final RetryPolicy NONE = new RetryPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO, 1);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Waits between attempts (a real sleep in the function; a recorder in tests). */
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;

        Sleeper THREAD = pause -> Thread.sleep(pause.toMillis());
    }

    /** The pause before retry number {@code retry} (1 = the first): half of the doubled pause plus up to as much again. */
    public Duration pause(int retry) {
        long full = Math.min(maxPause.toMillis(), firstPause.toMillis() << Math.min(Math.max(retry - 1, 0), 20));
        long half = full / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
    }

    /**
     * Whether attempt {@code attempts + 1} may be made after {@code pause}, with {@code remainingMillis} left in the
     * invocation.
     */
    public boolean allowsAnother(int attempts, Duration pause, long remainingMillis) {
        return attempts < maxAttempts && remainingMillis - pause.toMillis() > reserve.toMillis();
    }
}
