package io.pushcqrs.ops.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client does with a 429 (API Gateway's THROTTLED or QUOTA_EXCEEDED, the API's own THROTTLED): the request was
 * not processed, so it is sent again after a pause, as API Gateway's documentation asks ("the client can resubmit the
 * failed requests in a way that is rate limiting"): exponential backoff with full jitter (a random pause between 0 and
 * {@code base * 2^(n-1)}, at most {@code max}), up to {@code maxRetries} times. The commands are idempotent (same body,
 * same answer), so a retry never makes a second command.
 *
 * @param maxRetries how many times a throttled request is sent again (0: never)
 * @param base       the first pause's upper bound
 * @param max        the longest pause
 */
public record ThrottleRetry(int maxRetries, Duration base, Duration max) {
    public static final ThrottleRetry DEFAULT = new ThrottleRetry(8, Duration.ofMillis(100), Duration.ofSeconds(5));
    public static final ThrottleRetry NEVER = new ThrottleRetry(0, Duration.ZERO, Duration.ZERO);

    public ThrottleRetry {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
    }

    /** Whether the answer asks for another try, after {@code retriesSoFar} retries. */
    public boolean retry(int status, int retriesSoFar) {
        return status == 429 && retriesSoFar < maxRetries;
    }

    /** The upper bound of the pause before retry {@code n} (1 = the first): base, doubled each time, at most max. */
    public Duration bound(int n) {
        long ms = base.toMillis() << Math.min(Math.max(n - 1, 0), 20);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** A random pause between 0 and {@link #bound}. */
    public Duration pause(int n) {
        long bound = bound(n).toMillis();
        return Duration.ofMillis(bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }
}
