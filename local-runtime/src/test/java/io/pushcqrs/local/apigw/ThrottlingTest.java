package io.pushcqrs.local.apigw;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** API Gateway's throttles and quotas, from tables, with clocks the test moves. */
class ThrottlingTest {
    static final long SECOND = 1_000_000_000L;

    /**
     * Requests at given times (ms) against a bucket: which pass. {@code rate, burst, times, expected} where expected is
     * one letter per request: A allowed, T throttled.
     */
    @ParameterizedTest(name = "rate {0}/s burst {1}: {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            10 | 3 | 0,0,0,0                    | AAAT
            10 | 3 | 0,0,0,0,100                | AAATA
            10 | 3 | 0,0,0,0,99                 | AAATT
            10 | 3 | 0,0,0,1000,1000,1000,1000  | AAAAAAT
            1  | 1 | 0,500,1000,1500,2000       | ATATA
            0  | 2 | 0,0,0,10000                | AATT
            5  | 0 | 0,1000,2000               | TTT
            0.5| 1 | 0,1000,2000,3000           | ATAT
            """)
    void aTokenBucketStartsFullAndRefillsAtItsRate(double rate, int burst, String times, String expected) {
        TokenBucket b = new TokenBucket(rate, burst);
        StringBuilder got = new StringBuilder();
        for (String t : times.split(",")) {
            got.append(b.tryTake(Long.parseLong(t.strip()) * 1_000_000L) ? 'A' : 'T');
        }
        assertThat(got.toString()).isEqualTo(expected);
    }

    static final class Clocks extends Clock {
        long nanos;
        Instant instant = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return instant;
        }

        void advance(Duration d) {
            nanos += d.toNanos();
            instant = instant.plus(d);
        }
    }

    // the app's template: stage 100/s burst 200 on every method; plan 50/s burst 100, 100,000 a day
    static final ApiLimits.Plan PLAN = new ApiLimits.Plan("plan1", "dev-plan", new ApiLimits.Throttle(50, 100),
            Map.of("/commands/POST", new ApiLimits.Throttle(2, 3)), new ApiLimits.Quota(100_000, "DAY", 0));
    static final ApiLimits LIMITS = new ApiLimits(List.of(new ApiLimits.MethodThrottle("/*", "*", new ApiLimits.Throttle(100, 200))),
            Map.of("key1", PLAN));

    @Test
    void theUsagePlanThrottlesEachKeyAndTheStageEachMethod() {
        Clocks c = new Clocks();
        Throttling t = new Throttling(() -> c.nanos, c);
        // key1 on GET /query/user: the plan's 100 burst first
        for (int i = 0; i < 100; i++) {
            assertThat(t.admit("api", "dev", LIMITS, "/query/user", "GET", "key1").result()).isEqualTo(Throttling.Result.ALLOWED);
        }
        Throttling.Decision d = t.admit("api", "dev", LIMITS, "/query/user", "GET", "key1");
        assertThat(d.result()).isEqualTo(Throttling.Result.THROTTLED);
        assertThat(d.limit()).contains("usage plan dev-plan, API key key1", "50 requests/s, burst 100");
        // a method without a key is not under the plan: the stage's 200 burst for that method
        for (int i = 0; i < 100; i++) {
            assertThat(t.admit("api", "dev", LIMITS, "/health", "GET", null).result()).isEqualTo(Throttling.Result.ALLOWED);
        }
        // the plan's per-method throttle for POST /commands (2/s burst 3) replaces the plan's for that method
        assertThat(t.admit("api", "dev", LIMITS, "/commands", "POST", "key1").result()).isEqualTo(Throttling.Result.ALLOWED);
        assertThat(t.admit("api", "dev", LIMITS, "/commands", "POST", "key1").result()).isEqualTo(Throttling.Result.ALLOWED);
        assertThat(t.admit("api", "dev", LIMITS, "/commands", "POST", "key1").result()).isEqualTo(Throttling.Result.ALLOWED);
        assertThat(t.admit("api", "dev", LIMITS, "/commands", "POST", "key1").result()).isEqualTo(Throttling.Result.THROTTLED);
        c.advance(Duration.ofMillis(500));
        assertThat(t.admit("api", "dev", LIMITS, "/commands", "POST", "key1").result()).isEqualTo(Throttling.Result.ALLOWED);
        // 1.5 s after it ran dry, key1's plan bucket has 75 tokens (50 a second)
        c.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 75; i++) {
            assertThat(t.admit("api", "dev", LIMITS, "/query/user", "GET", "key1").result()).as("request %d", i)
                    .isEqualTo(Throttling.Result.ALLOWED);
        }
        assertThat(t.admit("api", "dev", LIMITS, "/query/user", "GET", "key1").result()).isEqualTo(Throttling.Result.THROTTLED);
    }

    @Test
    void theStageThrottleAppliesPerMethodAndTheMostSpecificSettingWins() {
        Clocks c = new Clocks();
        Throttling t = new Throttling(() -> c.nanos, c);
        ApiLimits limits = new ApiLimits(List.of(new ApiLimits.MethodThrottle("/*", "*", new ApiLimits.Throttle(1, 2)),
                new ApiLimits.MethodThrottle("/health", "GET", new ApiLimits.Throttle(1, 5))), Map.of());
        String got = "";
        for (int i = 0; i < 3; i++) {
            got += t.admit("api", "dev", limits, "/a", "GET", null).result().name().charAt(0);
        }
        for (int i = 0; i < 3; i++) {
            got += t.admit("api", "dev", limits, "/b", "GET", null).result().name().charAt(0);
        }
        for (int i = 0; i < 6; i++) {
            got += t.admit("api", "dev", limits, "/health", "GET", null).result().name().charAt(0);
        }
        assertThat(got).as("/a and /b have a bucket each; /health its own setting").isEqualTo("AAT" + "AAT" + "AAAAAT");
        assertThat(t.admit("api", "dev", limits, "/health", "GET", null).limit()).contains("stage dev, GET /health", "burst 5");
    }

    @Test
    void aQuotaCountsAdmittedRequestsPerKeyAndPeriodAndTheOffsetTakesFromTheFirstPeriod() {
        Clocks c = new Clocks();
        Throttling t = new Throttling(() -> c.nanos, c);
        ApiLimits.Plan plan = new ApiLimits.Plan("p", "small", null, Map.of(), new ApiLimits.Quota(3, "DAY", 1));
        ApiLimits limits = new ApiLimits(List.of(), Map.of("k", plan, "other", plan));
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.ALLOWED);
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.ALLOWED);
        Throttling.Decision over = t.admit("api", "dev", limits, "/x", "GET", "k");
        assertThat(over.result()).as("3 a day, 1 of them taken by the offset").isEqualTo(Throttling.Result.QUOTA_EXCEEDED);
        assertThat(over.limit()).contains("quota of usage plan small (3 per DAY)");
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "other").result()).as("per key").isEqualTo(Throttling.Result.ALLOWED);
        // the next UTC day: the full quota, no offset
        c.advance(Duration.ofHours(14));
        for (int i = 0; i < 3; i++) {
            assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.ALLOWED);
        }
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.QUOTA_EXCEEDED);
    }

    @Test
    void aThrottledRequestTakesNoTokenAndDoesNotCountAgainstTheQuota() {
        Clocks c = new Clocks();
        Throttling t = new Throttling(() -> c.nanos, c);
        ApiLimits.Plan plan = new ApiLimits.Plan("p", "tight", new ApiLimits.Throttle(1, 1), Map.of(), new ApiLimits.Quota(2, "DAY", 0));
        ApiLimits limits = new ApiLimits(List.of(new ApiLimits.MethodThrottle("/*", "*", new ApiLimits.Throttle(1, 1))),
                Map.of("k", plan));
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.ALLOWED);
        for (int i = 0; i < 5; i++) {
            assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.THROTTLED);
        }
        c.advance(Duration.ofSeconds(1));
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).as("the quota's 2nd").isEqualTo(Throttling.Result.ALLOWED);
        c.advance(Duration.ofSeconds(1));
        assertThat(t.admit("api", "dev", limits, "/x", "GET", "k").result()).isEqualTo(Throttling.Result.QUOTA_EXCEEDED);
    }

    @ParameterizedTest(name = "{0} at {1} starts {2}")
    @CsvSource({"DAY, 2026-12-02T10:00:00Z, 2026-12-02T00:00:00Z", "WEEK, 2026-12-02T10:00:00Z, 2026-11-30T00:00:00Z",
            "WEEK, 2026-11-30T00:00:00Z, 2026-11-30T00:00:00Z", "MONTH, 2026-12-31T23:59:59Z, 2026-12-01T00:00:00Z"})
    void quotaPeriodsAreUtcDaysWeeksFromMondayAndMonths(String period, String now, String start) {
        assertThat(Throttling.periodStart(period, Instant.parse(now))).isEqualTo(Instant.parse(start));
    }
}
