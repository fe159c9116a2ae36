package io.pushcqrs.ops.bench;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** A latency distribution in milliseconds (HdrHistogram, 3 significant digits, up to 10 minutes); thread-safe. */
public final class Latency {
    private final Histogram histogram = new Histogram(600_000L, 3);

    /** Records one value in ms (negative values count as 0). */
    public synchronized void record(long millis) {
        histogram.recordValue(Math.max(0, Math.min(millis, histogram.getHighestTrackableValue())));
    }

    public synchronized long count() {
        return histogram.getTotalCount();
    }

    public synchronized long percentile(double p) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(p);
    }

    /** count, p50, p90, p99, max and mean, in ms; {"count": 0} when nothing was recorded. */
    public synchronized Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", histogram.getTotalCount());
        if (histogram.getTotalCount() > 0) {
            m.put("p50_ms", histogram.getValueAtPercentile(50));
            m.put("p90_ms", histogram.getValueAtPercentile(90));
            m.put("p99_ms", histogram.getValueAtPercentile(99));
            m.put("max_ms", histogram.getMaxValue());
            m.put("mean_ms", Math.round(histogram.getMean() * 10) / 10.0);
        }
        return m;
    }
}
