package io.pushcqrs.local.console;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void anEmptyHistogramHasNoPercentile() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentile(50)).isNull();
        assertThat(h.count()).isZero();
    }

    @Test
    void percentilesAreWithinFivePercentOfTheExactValue() {
        Random random = new Random(7);
        long[] values = new long[10_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + (long) Math.exp(random.nextDouble() * Math.log(120_000)); // 1 ms .. 2 min, log-spread
            h.add(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double p : new double[]{50, 90, 99}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.05 + 1));
        }
        assertThat(h.count()).isEqualTo(10_000);
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
    }

    @Test
    void aPercentileNeverExceedsTheLargestSampleAndSubMillisecondsAreZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.add(0);
        assertThat(h.percentile(99)).isZero();
        h.add(1000);
        assertThat(h.percentile(100)).isLessThanOrEqualTo(1000L);
        h.add(-5); // a clock step backwards counts as 0
        assertThat(h.percentile(1)).isZero();
    }

    @Test
    void mergingAddsTheCountsAndKeepsTheMaximum() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.add(10);
        b.add(500);
        b.add(600);
        a.addAll(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(600);
        a.clear();
        assertThat(a.count()).isZero();
        assertThat(a.percentile(50)).isNull();
    }

    @Test
    void hugeValuesLandInTheLastBucket() {
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucket(1)).isEqualTo(1);
    }
}
