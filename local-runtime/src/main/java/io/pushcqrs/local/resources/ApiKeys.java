package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.template.Template;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::ApiGateway::ApiKey, UsagePlan and UsagePlanKey: the keys (their Value, the --api-key override, or a random
 * key) and which of them a usage plan (or the key's StageKeys) grants on each stage of an API. Throttling and quotas
 * are not enforced.
 */
final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    static Map<String, RestApiModel.ApiKey> apiKeys(LoadContext ctx) {
        Map<String, RestApiModel.ApiKey> keys = new LinkedHashMap<>();
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::ApiKey")) {
            String id = ctx.in.ref(r.logicalId(), at(r));
            String value = ctx.apiKeyOverride != null ? ctx.apiKeyOverride : ctx.in.propertyText(r, "Value");
            if (value == null) {
                value = ctx.backend == null ? randomKey() : ctx.backend.apiKeyValue(id, ApiKeys::randomKey);
            }
            String enabled = ctx.in.propertyText(r, "Enabled");
            String name = ctx.in.propertyText(r, "Name");
            keys.put(id, new RestApiModel.ApiKey(id, name == null ? r.logicalId() : name, value,
                    enabled == null || Boolean.parseBoolean(enabled)));
        }
        return keys;
    }

    static Map<String, List<RestApiModel.ApiKey>> keysByStage(LoadContext ctx, String apiId,
                                                                 Map<String, RestApiModel.ApiKey> keys) {
        Map<String, Set<String>> byStage = new LinkedHashMap<>();
        // legacy StageKeys on the key itself
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::ApiKey")) {
            String keyId = ctx.in.ref(r.logicalId(), at(r));
            for (JsonNode sk : ctx.in.property(r, "StageKeys")) {
                if (apiId.equals(sk.path("RestApiId").asText())) {
                    byStage.computeIfAbsent(sk.path("StageName").asText(), s -> new LinkedHashSet<>()).add(keyId);
                }
            }
        }
        // usage plans: plan id -> stages of this API; usage plan keys: key -> plan
        Map<String, List<String>> planStages = new LinkedHashMap<>();
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::UsagePlan")) {
            List<String> stages = new ArrayList<>();
            for (JsonNode s : ctx.in.property(r, "ApiStages")) {
                if (apiId.equals(s.path("ApiId").asText())) {
                    stages.add(s.path("Stage").asText());
                }
            }
            planStages.put(ctx.in.ref(r.logicalId(), at(r)), stages);
        }
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::UsagePlanKey")) {
            String keyId = ctx.in.propertyText(r, "KeyId");
            for (String stage : planStages.getOrDefault(ctx.in.propertyText(r, "UsagePlanId"), List.of())) {
                byStage.computeIfAbsent(stage, s -> new LinkedHashSet<>()).add(keyId);
            }
        }
        Map<String, List<RestApiModel.ApiKey>> out = new LinkedHashMap<>();
        byStage.forEach((stage, ids) -> {
            List<RestApiModel.ApiKey> list = new ArrayList<>();
            ids.forEach(id -> {
                if (keys.containsKey(id)) {
                    list.add(keys.get(id));
                }
            });
            out.put(stage, list);
        });
        return out;
    }

    private static String randomKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
