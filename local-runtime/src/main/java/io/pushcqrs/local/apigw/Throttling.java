package io.pushcqrs.local.apigw;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Whether API Gateway lets a request through, by the limits of its stage and API key, in API Gateway's order:
 * <ol>
 * <li>the usage plan's quota for the API key (QUOTA_EXCEEDED, 429 "Limit Exceeded" by default): requests counted per key
 *     and plan in UTC days, weeks (from Monday) or months; the plan's Offset is taken from the first period;</li>
 * <li>the usage plan's throttle for the API key: its per-method throttle on this stage when it has one for the method,
 *     else the plan's (a bucket per key);</li>
 * <li>the stage's method throttling (MethodSettings: a bucket per method);</li>
 * <li>the account's throttle per region (10,000 requests per second, burst 5,000).</li>
 * </ol>
 * Any of them without a token throttles the request (THROTTLED, 429 "Too Many Requests" by default) and none of them
 * is charged; an admitted request takes a token from each and counts against the quota. Each bucket is a
 * {@link TokenBucket}. The clocks are the caller's (tests pass their own). Thread-safe.
 */
public final class Throttling {
    /** API Gateway's account-level throttle per region. */
    public static final ApiLimits.Throttle ACCOUNT = new ApiLimits.Throttle(10_000, 5_000);

    /** What came of a request. */
    public enum Result { ALLOWED, THROTTLED, QUOTA_EXCEEDED }

    /** The result, and which limit decided it (for the log). */
    public record Decision(Result result, String limit) {
        static final Decision ALLOWED = new Decision(Result.ALLOWED, null);
    }

    private final LongSupplier nanos;
    private final Clock clock;
    private final LocalDate firstDay;
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, Long> used = new HashMap<>();

    public Throttling(LongSupplier nanos, Clock clock) {
        this.nanos = nanos;
        this.clock = clock;
        this.firstDay = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Throttling() {
        this(System::nanoTime, Clock.systemUTC());
    }

    /**
     * @param apiId        the REST API
     * @param stage        its stage
     * @param limits       the stage's limits
     * @param resourcePath the matched resource's path ({@code /commands/{transaction_id}})
     * @param httpMethod   the method as declared (GET, POST, ANY...)
     * @param apiKeyId     the id of the request's API key, or null when the method requires none
     */
    public synchronized Decision admit(String apiId, String stage, ApiLimits limits, String resourcePath, String httpMethod,
                                       String apiKeyId) {
        long now = nanos.getAsLong();
        ApiLimits.Plan plan = apiKeyId == null ? null : limits.plans().get(apiKeyId);
        String quotaKey = null;
        long quotaLeft = Long.MAX_VALUE;
        if (plan != null && plan.quota() != null) {
            Instant start = periodStart(plan.quota().period(), clock.instant());
            quotaKey = plan.id() + "|" + apiKeyId + "|" + start;
            long allowed = plan.quota().limit();
            if (!start.isAfter(periodStart(plan.quota().period(), firstDay.atStartOfDay(ZoneOffset.UTC).toInstant()))) {
                allowed -= plan.quota().offset();
            }
            quotaLeft = allowed - used.getOrDefault(quotaKey, 0L);
            if (quotaLeft <= 0) {
                return new Decision(Result.QUOTA_EXCEEDED, "the quota of usage plan " + plan.name() + " (" + plan.quota().limit()
                        + " per " + plan.quota().period() + ") for API key " + apiKeyId);
            }
        }
        List<TokenBucket> take = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (plan != null) {
            ApiLimits.Throttle perMethod = plan.methodThrottles().get(resourcePath + "/" + httpMethod);
            if (perMethod != null) {
                add(take, names, "plan|" + plan.id() + "|" + apiKeyId + "|" + resourcePath + "|" + httpMethod, perMethod,
                        "usage plan " + plan.name() + ", API key " + apiKeyId + ", " + httpMethod + " " + resourcePath);
            } else if (plan.throttle() != null) {
                add(take, names, "plan|" + plan.id() + "|" + apiKeyId, plan.throttle(),
                        "usage plan " + plan.name() + ", API key " + apiKeyId);
            }
        }
        ApiLimits.MethodThrottle stageThrottle = null;
        for (ApiLimits.MethodThrottle t : limits.methodThrottles()) {
            if (t.matches(resourcePath, httpMethod) && (stageThrottle == null || t.specificity() > stageThrottle.specificity())) {
                stageThrottle = t;
            }
        }
        if (stageThrottle != null) {
            add(take, names, "stage|" + apiId + "|" + stage + "|" + resourcePath + "|" + httpMethod, stageThrottle.throttle(),
                    "stage " + stage + ", " + httpMethod + " " + resourcePath);
        }
        add(take, names, "account", ACCOUNT, "the account");
        for (int i = 0; i < take.size(); i++) {
            if (!take.get(i).available(now)) {
                TokenBucket b = take.get(i);
                return new Decision(Result.THROTTLED, "the throttle of " + names.get(i) + " (" + fmt(b.rate()) + " requests/s, burst "
                        + b.burst() + ")");
            }
        }
        take.forEach(b -> b.tryTake(now));
        if (quotaKey != null) {
            used.merge(quotaKey, 1L, Long::sum);
        }
        return Decision.ALLOWED;
    }

    private void add(List<TokenBucket> take, List<String> names, String id, ApiLimits.Throttle t, String name) {
        take.add(buckets.computeIfAbsent(id, k -> new TokenBucket(t.rateLimit(), t.burstLimit())));
        names.add(name);
    }

    /** The start of the quota period that holds {@code now}: UTC midnight, Monday, or the first of the month. */
    static Instant periodStart(String period, Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = switch (period) {
            case "WEEK" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "MONTH" -> day.withDayOfMonth(1);
            default -> day;
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
