package io.pushcqrs.local.apigw;

import java.util.List;
import java.util.Map;

/**
 * The throttling and quota settings of one API stage, as the template declares them.
 *
 * @param methodThrottles the stage's method throttling (Stage MethodSettings, or the Deployment's StageDescription):
 *                        the most specific one applies to a method ({@code /*} {@code *} is every method's default);
 *                        each method has its own bucket
 * @param plans           API key id -> the usage plan that grants it on this stage (an API key is in at most one plan
 *                        per stage, as API Gateway requires)
 */
public record ApiLimits(List<MethodThrottle> methodThrottles, Map<String, Plan> plans) {
    public static final ApiLimits NONE = new ApiLimits(List.of(), Map.of());

    public ApiLimits {
        methodThrottles = List.copyOf(methodThrottles);
        plans = Map.copyOf(plans);
    }

    /**
     * A throttle for the methods it matches.
     *
     * @param resourcePath the resource path ({@code /commands}), or {@code /*} for every resource
     * @param httpMethod   the method, or {@code *} for every method
     */
    public record MethodThrottle(String resourcePath, String httpMethod, Throttle throttle) {
        boolean matches(String path, String method) {
            return (resourcePath.equals("/*") || resourcePath.equals(path))
                    && (httpMethod.equals("*") || httpMethod.equalsIgnoreCase(method));
        }

        int specificity() {
            return (resourcePath.equals("/*") ? 0 : 2) + (httpMethod.equals("*") ? 0 : 1);
        }
    }

    /** RateLimit (requests per second) and BurstLimit. */
    public record Throttle(double rateLimit, int burstLimit) {
    }

    /**
     * A usage plan on this stage.
     *
     * @param id              its id (what Ref answers)
     * @param name            UsagePlanName
     * @param throttle        the plan's throttle per API key, or null
     * @param methodThrottles "resourcePath/METHOD" -> the throttle per API key for that method on this stage
     * @param quota           the plan's quota per API key, or null
     */
    public record Plan(String id, String name, Throttle throttle, Map<String, Throttle> methodThrottles, Quota quota) {
        public Plan {
            methodThrottles = Map.copyOf(methodThrottles);
        }
    }

    /**
     * QuotaSettings: at most {@code limit} requests per period (DAY, WEEK, MONTH; UTC), {@code offset} of them taken
     * from the first period.
     */
    public record Quota(long limit, String period, long offset) {
    }
}
