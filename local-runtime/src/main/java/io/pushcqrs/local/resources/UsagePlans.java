package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.apigw.ApiLimits;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * The throttling and quotas of an API stage: the Stage's MethodSettings (or the Deployment's StageDescription:
 * ThrottlingRateLimit / ThrottlingBurstLimit and MethodSettings), and each AWS::ApiGateway::UsagePlan on the stage with
 * its Throttle, its per-method Throttle of ApiStages and its Quota, by the API keys its UsagePlanKeys grant.
 */
final class UsagePlans {
    private UsagePlans() {
    }

    static ApiLimits limits(LoadContext ctx, String apiId, String stage) {
        List<ApiLimits.MethodThrottle> methods = new ArrayList<>();
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::Deployment")) {
            if (apiId.equals(ctx.in.propertyText(r, "RestApiId")) && stage.equals(ctx.in.propertyText(r, "StageName"))) {
                JsonNode d = ctx.in.property(r, "StageDescription");
                ApiLimits.Throttle t = throttle(d, "ThrottlingRateLimit", "ThrottlingBurstLimit", at(r));
                if (t != null) {
                    methods.add(new ApiLimits.MethodThrottle("/*", "*", t));
                }
                methodSettings(d.path("MethodSettings"), methods, at(r));
            }
        }
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::Stage")) {
            if (apiId.equals(ctx.in.propertyText(r, "RestApiId")) && stage.equals(ctx.in.ref(r.logicalId(), at(r)))) {
                methodSettings(ctx.in.property(r, "MethodSettings"), methods, at(r));
            }
        }
        Map<String, ApiLimits.Plan> plansById = new LinkedHashMap<>();
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::UsagePlan")) {
            for (JsonNode s : ctx.in.property(r, "ApiStages")) {
                if (!apiId.equals(s.path("ApiId").asText()) || !stage.equals(s.path("Stage").asText())) {
                    continue;
                }
                Map<String, ApiLimits.Throttle> perMethod = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : s.path("Throttle").properties()) {
                    ApiLimits.Throttle t = throttle(e.getValue(), "RateLimit", "BurstLimit", at(r));
                    if (t != null) {
                        perMethod.put(e.getKey(), t);
                    }
                }
                JsonNode quota = ctx.in.property(r, "Quota");
                ApiLimits.Quota q = null;
                if (quota.has("Limit")) {
                    String period = quota.path("Period").asText("DAY");
                    if (!List.of("DAY", "WEEK", "MONTH").contains(period)) {
                        throw new TemplateException(at(r) + ": Quota.Period " + period + " is not DAY, WEEK or MONTH");
                    }
                    q = new ApiLimits.Quota(quota.path("Limit").asLong(), period, quota.path("Offset").asLong(0));
                }
                String id = ctx.in.ref(r.logicalId(), at(r));
                String name = ctx.in.propertyText(r, "UsagePlanName");
                plansById.put(id, new ApiLimits.Plan(id, name == null ? r.logicalId() : name,
                        throttle(ctx.in.property(r, "Throttle"), "RateLimit", "BurstLimit", at(r)), perMethod, q));
            }
        }
        Map<String, ApiLimits.Plan> byKey = new LinkedHashMap<>();
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::UsagePlanKey")) {
            ApiLimits.Plan plan = plansById.get(ctx.in.propertyText(r, "UsagePlanId"));
            String key = ctx.in.propertyText(r, "KeyId");
            if (plan != null && key != null) {
                ApiLimits.Plan before = byKey.put(key, plan);
                if (before != null && !before.id().equals(plan.id())) {
                    throw new TemplateException(at(r) + ": the API key " + key + " is in two usage plans (" + before.name() + ", "
                            + plan.name() + ") on stage " + stage + "; API Gateway allows one usage plan per key and stage");
                }
            }
        }
        return new ApiLimits(methods, byKey);
    }

    private static void methodSettings(JsonNode settings, List<ApiLimits.MethodThrottle> into, String where) {
        for (JsonNode m : settings) {
            ApiLimits.Throttle t = throttle(m, "ThrottlingRateLimit", "ThrottlingBurstLimit", where);
            if (t != null) {
                into.add(new ApiLimits.MethodThrottle(resourcePath(m.path("ResourcePath").asText("/*")),
                        m.path("HttpMethod").asText("*"), t));
            }
        }
    }

    /** CloudFormation's encoded ResourcePath ({@code /~1commands~1{id}}) as the resource's path ({@code /commands/{id}}). */
    static String resourcePath(String encoded) {
        if (encoded.equals("/*") || encoded.equals("/")) {
            return encoded;
        }
        String decoded = encoded.replace("~1", "/");
        return decoded.startsWith("//") ? decoded.substring(1) : decoded;
    }

    /**
     * A throttle from its two fields; null when neither is set. With only one set, API Gateway's default for the
     * other applies: the account's (10,000 requests/s, burst 5,000).
     */
    private static ApiLimits.Throttle throttle(JsonNode n, String rateField, String burstField, String where) {
        boolean rate = n.has(rateField) && !n.get(rateField).isNull();
        boolean burst = n.has(burstField) && !n.get(burstField).isNull();
        if (!rate && !burst) {
            return null;
        }
        double r = rate ? n.get(rateField).asDouble(-1) : 10_000;
        int b = burst ? n.get(burstField).asInt(-1) : 5_000;
        if (r < 0 || b < 0) {
            throw new TemplateException(where + ": the throttle " + n + " has a negative or non-numeric rate or burst");
        }
        return new ApiLimits.Throttle(r, b);
    }
}
