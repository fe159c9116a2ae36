package io.pushcqrs.local.console;

/**
 * Durations in milliseconds in logarithmic buckets (each 10% wider than the one before, from 1 ms to about two days):
 * a percentile is read as the geometric middle of its bucket, within 5% of the true value, whatever the number of
 * samples. Adding is O(1) and allocation-free. Not thread-safe: {@link ConsoleRecorder} guards it.
 */
final class LatencyHistogram {
    static final double FACTOR = 1.1;
    static final int BUCKETS = 200;
    private static final double LOG_FACTOR = Math.log(FACTOR);

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void add(long ms) {
        long v = Math.max(0, ms);
        counts[bucket(v)]++;
        total++;
        max = Math.max(max, v);
    }

    void addAll(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** Bucket 0 holds [0, 1) ms; bucket i >= 1 holds [1.1^(i-1), 1.1^i) ms. */
    static int bucket(long ms) {
        if (ms < 1) {
            return 0;
        }
        int b = 1 + (int) Math.floor(Math.log(ms) / LOG_FACTOR);
        return Math.min(b, BUCKETS - 1);
    }

    /** The value at percentile {@code p} (0..100), or null when empty; never above the largest sample. */
    Long percentile(double p) {
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                if (i == 0) {
                    return 0L;
                }
                double low = Math.pow(FACTOR, i - 1);
                double high = Math.pow(FACTOR, i);
                return Math.min(max, Math.round(Math.sqrt(low * high)));
            }
        }
        return max;
    }
}
