package io.pushcqrs.local.apigw;

/**
 * API Gateway's throttle: the token bucket algorithm, where a token counts for a request. The bucket holds at most
 * {@code burst} tokens and starts full; it refills continuously at {@code rate} tokens per second; a request that finds
 * no whole token is throttled (429) and takes none. A burst of 0 throttles every request. Pure: the caller passes the
 * time (nanoseconds, any origin), so tests run it from tables without a clock. Thread-safe.
 */
public final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long lastNanos;
    private boolean started;

    /**
     * @param rate  the steady-state rate, requests per second (RateLimit)
     * @param burst the bucket's size (BurstLimit)
     */
    public TokenBucket(double rate, int burst) {
        if (rate < 0 || burst < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("rate and burst must be 0 or more, were " + rate + " and " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
    }

    public double rate() {
        return rate;
    }

    public int burst() {
        return (int) burst;
    }

    /** Takes a token at {@code nowNanos} if there is one. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether a token is there at {@code nowNanos}, without taking it. */
    public synchronized boolean available(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1;
    }

    /** The tokens left at {@code nowNanos}. */
    public synchronized double tokens(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    private void refill(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + rate * elapsed / 1e9);
            lastNanos = nowNanos;
        }
    }
}
