package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The part of API Gateway's management API (the requests signed for {@code apigateway}) that a deployment script
 * needs, read from the APIs the stack serves: GetApiKey ({@code GET /apikeys/{id}?includeValue=true}, how
 * {@code scripts/deploy.sh} reads the key's value on every target, as {@code aws apigateway get-api-key
 * --include-value} does), GetApiKeys ({@code GET /apikeys}) and GetRestApis ({@code GET /restapis}). Anything else
 * answers 400 saying it is not emulated.
 */
public final class ManagementApi implements EdgeServer.SignedService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<List<RestApiModel>> apis;

    public ManagementApi(Supplier<List<RestApiModel>> apis) {
        this.apis = apis;
    }

    @Override
    public LambdaApi.Answer handle(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        boolean includeValue = rawQuery != null && rawQuery.contains("includeValue=true");
        if (method.equals("GET") && (rawPath.equals("/apikeys") || rawPath.equals("/apikeys/"))) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode items = out.putArray("item");
            keys().values().forEach(k -> items.add(key(k, includeValue)));
            return json(200, out);
        }
        if (method.equals("GET") && rawPath.startsWith("/apikeys/")) {
            String id = rawPath.substring("/apikeys/".length());
            RestApiModel.ApiKey k = keys().get(id);
            if (k == null) {
                return error(404, "NotFoundException", "Invalid API Key identifier specified");
            }
            return json(200, key(k, includeValue));
        }
        if (method.equals("GET") && (rawPath.equals("/restapis") || rawPath.equals("/restapis/"))) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode items = out.putArray("item");
            for (RestApiModel a : apis.get()) {
                ObjectNode api = items.addObject().put("id", a.id()).put("name", a.name())
                        .put("rootResourceId", a.rootResourceId()).put("apiKeySource", "HEADER");
                ArrayNode binary = api.putArray("binaryMediaTypes");
                a.binaryMediaTypes().forEach(binary::add);
            }
            return json(200, out);
        }
        return error(400, "BadRequestException", "the local stack answers only GetApiKey, GetApiKeys and GetRestApis of"
                + " API Gateway's management API (" + method + " " + rawPath + " is not emulated)");
    }

    private Map<String, RestApiModel.ApiKey> keys() {
        Map<String, RestApiModel.ApiKey> out = new LinkedHashMap<>();
        for (RestApiModel a : apis.get()) {
            for (RestApiModel.Stage s : a.stages().values()) {
                s.apiKeys().forEach(k -> out.putIfAbsent(k.id(), k));
            }
        }
        return out;
    }

    private static ObjectNode key(RestApiModel.ApiKey k, boolean includeValue) {
        ObjectNode n = JSON.createObjectNode().put("id", k.id()).put("name", k.name()).put("enabled", k.enabled());
        if (includeValue) {
            n.put("value", k.value());
        }
        n.putArray("stageKeys");
        return n;
    }

    private static LambdaApi.Answer json(int status, Object body) {
        try {
            return new LambdaApi.Answer(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LambdaApi.Answer error(int status, String type, String message) {
        return new LambdaApi.Answer(status, Map.of("Content-Type", "application/json", "x-amzn-ErrorType", type),
                ("{\"message\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
