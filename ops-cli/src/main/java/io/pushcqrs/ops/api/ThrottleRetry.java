package io.pushcqrs.ops.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client does with a 429 (API Gateway's THROTTLED or QUOTA_EXCEEDED, the API's own THROTTLED): the request was
 * not processed, so it is sent again after a pause, as API Gateway's documentation asks ("the client can resubmit the
 * failed requests in a way that is rate limiting"): exponential backoff with full jitter (a random pause between 0 and
 * {@code base * 2^(n-1)}, at most {@code max}), until {@code maxRetries} retries or {@code budget} since the first try,
 * whichever comes first. The commands are idempotent (same body, same answer), so a retry never makes a second command.
 * <p>
 * The budget of time is what bounds it by default, not the count: eight threads that keep the usage plan's 50/s bucket
 * empty each lose about half of their retries, so a count of 8 failed about one command in 1,000 (measured with
 * {@code insert.sh --count 1000 --threads 8}; docs/operator-scripts.md).
 *
 * @param maxRetries how many times a throttled request is sent again at most (0: never)
 * @param base       the first pause's upper bound
 * @param max        the longest pause
 * @param budget     how long after the first try a throttled request is still sent again
 */
public record ThrottleRetry(int maxRetries, Duration base, Duration max, Duration budget) {
    public static final int DEFAULT_MAX_RETRIES = 1_000;
    public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(2);
    public static final ThrottleRetry DEFAULT = new ThrottleRetry(DEFAULT_MAX_RETRIES, Duration.ofMillis(100),
            Duration.ofSeconds(2), DEFAULT_BUDGET);
    public static final ThrottleRetry NEVER = new ThrottleRetry(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public ThrottleRetry {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative, was " + budget);
        }
    }

    /** The default pauses, with these bounds. */
    public static ThrottleRetry of(int maxRetries, Duration budget) {
        return new ThrottleRetry(maxRetries, DEFAULT.base, DEFAULT.max, budget);
    }

    /** Whether the answer asks for another try, after {@code retriesSoFar} retries and {@code elapsed} since the first. */
    public boolean retry(int status, int retriesSoFar, Duration elapsed) {
        return status == 429 && retriesSoFar < maxRetries && elapsed.compareTo(budget) < 0;
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
