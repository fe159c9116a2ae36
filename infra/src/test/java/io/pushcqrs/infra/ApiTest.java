package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pushcqrs.infra.Synth.json;
import static io.pushcqrs.infra.Synth.ref;
import static org.assertj.core.api.Assertions.assertThat;

class ApiTest {
    private static final Set<String> KEYLESS = Set.of("GET /health");
    private static final Map<String, String> REQUIRED_QUERY_PARAMETER = Map.of(
            "GET /query/user", "user_id",
            "GET /query/marketing", "marketing_id",
            "GET /tx", "transaction_id",
            "GET /sns", "sns_id");

    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void restApiAndStage() {
        dev.template().resourceCountIs("AWS::ApiGateway::RestApi", 1);
        JsonNode api = dev.ofType("AWS::ApiGateway::RestApi").values().iterator().next().get("Properties");
        assertThat(api.get("Name").asText()).isEqualTo("dev-notification-api");
        assertThat(api.get("ApiKeySourceType").asText()).isEqualTo("HEADER");
        assertThat(api.at("/EndpointConfiguration/Types")).isEqualTo(json("[\"REGIONAL\"]"));

        dev.template().resourceCountIs("AWS::ApiGateway::Stage", 1);
        JsonNode stage = dev.ofType("AWS::ApiGateway::Stage").values().iterator().next().get("Properties");
        assertThat(stage.get("StageName").asText()).isEqualTo("dev");
        JsonNode throttling = stage.at("/MethodSettings/0");
        assertThat(throttling.get("ThrottlingRateLimit").asInt()).isEqualTo(100);
        assertThat(throttling.get("ThrottlingBurstLimit").asInt()).isEqualTo(200);
        // cloudWatchRole(false): no account-level role or setting.
        dev.template().resourceCountIs("AWS::ApiGateway::Account", 0);
    }

    @Test
    void exactlyTheRoutesEachAProxyToItsFunction() {
        Map<String, JsonNode> methods = methodsByRoute();
        String command = dev.functionId(LambdaModule.COMMAND);
        String query = dev.functionId(LambdaModule.QUERY);
        Map<String, String> expected = new TreeMap<>(Map.of(
                "POST /commands", command,
                "PATCH /commands/{transaction_id}", command,
                "DELETE /commands/{transaction_id}", command,
                "GET /query/user", query,
                "GET /query/marketing", query,
                "GET /query/failures", query,
                "GET /tx", query,
                "GET /sns", query,
                "GET /health", query));
        Map<String, String> actual = new TreeMap<>();
        methods.forEach((route, m) -> {
            JsonNode integration = m.get("Integration");
            assertThat(integration.get("Type").asText()).as(route).isEqualTo("AWS_PROXY");
            assertThat(integration.get("IntegrationHttpMethod").asText()).as(route).isEqualTo("POST");
            assertThat(m.get("AuthorizationType").asText()).as(route).isEqualTo("NONE");
            actual.put(route, integration.at("/Uri/Fn::Join/1/5/Fn::GetAtt/0").asText());
        });
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void apiKeyRequiredOnEveryRouteButHealth() {
        methodsByRoute().forEach((route, m) -> assertThat(m.path("ApiKeyRequired").asBoolean(false))
                .as(route).isEqualTo(!KEYLESS.contains(route)));
    }

    @Test
    void requiredQueryParametersAreValidatedByTheGateway() {
        String validatorId = dev.logicalId("AWS::ApiGateway::RequestValidator",
                p -> p.get("ValidateRequestParameters").asBoolean() && !p.get("ValidateRequestBody").asBoolean());
        assertThat(dev.properties(validatorId).get("Name").asText()).isEqualTo("dev-parameters");
        methodsByRoute().forEach((route, m) -> {
            String parameter = REQUIRED_QUERY_PARAMETER.get(route);
            if (parameter != null) {
                assertThat(m.get("RequestParameters")).as(route)
                        .isEqualTo(json("{\"method.request.querystring." + parameter + "\":true}"));
                assertThat(m.get("RequestValidatorId")).as(route).isEqualTo(ref(validatorId));
            } else if (!route.equals("POST /commands")) {
                assertThat(m.has("RequestValidatorId")).as(route).isFalse();
            }
        });
    }

    @Test
    void createCommandBodyIsValidatedAgainstItsModel() {
        String validatorId = dev.logicalId("AWS::ApiGateway::RequestValidator",
                p -> p.get("ValidateRequestBody").asBoolean() && !p.get("ValidateRequestParameters").asBoolean());
        assertThat(dev.properties(validatorId).get("Name").asText()).isEqualTo("dev-body");
        String modelId = dev.logicalIdByName("AWS::ApiGateway::Model", "Name", "CreateCommand");
        JsonNode post = methodsByRoute().get("POST /commands");
        assertThat(post.get("RequestValidatorId")).isEqualTo(ref(validatorId));
        assertThat(post.get("RequestModels")).isEqualTo(json("{\"application/json\":" + ref(modelId) + "}"));

        JsonNode model = dev.properties(modelId);
        assertThat(model.get("ContentType").asText()).isEqualTo("application/json");
        assertThat(model.get("Schema")).isEqualTo(json("""
                {"$schema":"http://json-schema.org/draft-04/schema#","title":"CreateCommand","type":"object",
                 "required":["user_id","platform","status"],
                 "properties":{
                   "user_id":{"type":"string","minLength":1},
                   "platform":{"type":"string","enum":["IOS","ANDROID","WEBPUSH"]},
                   "status":{"type":"string","enum":["SENT","DELIVERED","FAILED"]}}}"""));
        // Insertion-ordered (not Map.of, whose order changes from JVM to JVM and with it the deployment's id).
        List<String> order = new java.util.ArrayList<>();
        model.at("/Schema/properties").fieldNames().forEachRemaining(order::add);
        assertThat(order).containsExactly("user_id", "platform", "status");
        dev.template().resourceCountIs("AWS::ApiGateway::RequestValidator", 2);
        dev.template().resourceCountIs("AWS::ApiGateway::Model", 1);
    }

    @Test
    void gatewayErrorsUseTheProjectsErrorShape() {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "BAD_REQUEST_BODY", "400 VALIDATION_ERROR",
                "BAD_REQUEST_PARAMETERS", "400 VALIDATION_ERROR",
                "MISSING_AUTHENTICATION_TOKEN", "404 NOT_FOUND",
                "INVALID_API_KEY", "403 FORBIDDEN",
                "ACCESS_DENIED", "403 FORBIDDEN",
                "THROTTLED", "429 THROTTLED",
                "QUOTA_EXCEEDED", "429 THROTTLED",
                "REQUEST_TOO_LARGE", "413 PAYLOAD_TOO_LARGE",
                "UNSUPPORTED_MEDIA_TYPE", "415 UNSUPPORTED_MEDIA_TYPE",
                "DEFAULT_5XX", "503 UNAVAILABLE"));
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode r : dev.ofType("AWS::ApiGateway::GatewayResponse").values()) {
            JsonNode p = r.get("Properties");
            String template = p.at("/ResponseTemplates/application~1json").asText();
            // The gateway substitutes $context variables; a quote-free value keeps the body valid JSON.
            JsonNode body = json(template.replace("$context.error.validationErrorString",
                    "Missing required request parameters: [user_id]"));
            assertThat(body.get("success").asBoolean(true)).isFalse();
            assertThat(body.at("/error/message").asText()).isNotBlank();
            assertThat(body.size()).isEqualTo(2);
            assertThat(body.get("error").size()).isEqualTo(2);
            assertThat(p.at("/ResponseParameters/gatewayresponse.header.Content-Type").asText())
                    .isEqualTo("'application/json'");
            actual.put(p.get("ResponseType").asText(), p.get("StatusCode").asText() + " "
                    + body.at("/error/code").asText());
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void apiKeyAndUsagePlanWithThrottlingAndQuotaOnTheStage() {
        dev.template().resourceCountIs("AWS::ApiGateway::ApiKey", 1);
        String keyId = dev.ofType("AWS::ApiGateway::ApiKey").keySet().iterator().next();
        JsonNode key = dev.properties(keyId);
        assertThat(key.get("Name").asText()).isEqualTo("dev-notification-api-key");
        assertThat(key.get("Enabled").asBoolean()).isTrue();
        assertThat(key.has("Value")).as("generated by AWS unless apiKeyValue is given").isFalse();

        dev.template().resourceCountIs("AWS::ApiGateway::UsagePlan", 1);
        String planId = dev.ofType("AWS::ApiGateway::UsagePlan").keySet().iterator().next();
        JsonNode plan = dev.properties(planId);
        assertThat(plan.get("UsagePlanName").asText()).isEqualTo("dev-notification-api-usage-plan");
        assertThat(plan.get("Throttle")).isEqualTo(json("{\"BurstLimit\":100,\"RateLimit\":50}"));
        assertThat(plan.get("Quota")).isEqualTo(json("{\"Limit\":100000,\"Period\":\"DAY\"}"));
        String apiId = dev.ofType("AWS::ApiGateway::RestApi").keySet().iterator().next();
        String stageId = dev.ofType("AWS::ApiGateway::Stage").keySet().iterator().next();
        assertThat(plan.at("/ApiStages/0/ApiId")).isEqualTo(ref(apiId));
        assertThat(plan.at("/ApiStages/0/Stage")).isEqualTo(ref(stageId));
        assertThat(plan.get("ApiStages").size()).isEqualTo(1);

        dev.template().resourceCountIs("AWS::ApiGateway::UsagePlanKey", 1);
        JsonNode planKey = dev.ofType("AWS::ApiGateway::UsagePlanKey").values().iterator().next().get("Properties");
        assertThat(planKey.get("KeyId")).isEqualTo(ref(keyId));
        assertThat(planKey.get("UsagePlanId")).isEqualTo(ref(planId));
        assertThat(planKey.get("KeyType").asText()).isEqualTo("API_KEY");
    }

    /** "METHOD /path" -> method properties, paths rebuilt from the Resource tree. */
    private Map<String, JsonNode> methodsByRoute() {
        Map<String, JsonNode> resources = dev.ofType("AWS::ApiGateway::Resource");
        Map<String, String> paths = new HashMap<>();
        for (String id : resources.keySet()) {
            paths.put(id, path(id, resources));
        }
        Map<String, JsonNode> routes = new TreeMap<>();
        for (JsonNode method : dev.ofType("AWS::ApiGateway::Method").values()) {
            JsonNode p = method.get("Properties");
            String resourceRef = p.at("/ResourceId/Ref").asText("");
            String path = resourceRef.isEmpty() ? "/" : paths.get(resourceRef);
            assertThat(routes.put(p.get("HttpMethod").asText() + " " + path, p)).isNull();
        }
        assertThat(routes).hasSize(9);
        assertThat(List.copyOf(routes.keySet())).doesNotContain("OPTIONS /", "ANY /");
        return routes;
    }

    private static String path(String id, Map<String, JsonNode> resources) {
        JsonNode p = resources.get(id).get("Properties");
        String parent = p.at("/ParentId/Ref").asText("");
        String prefix = parent.isEmpty() ? "" : path(parent, resources);
        return prefix + "/" + p.get("PathPart").asText();
    }
}
