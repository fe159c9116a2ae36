package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.lambda.InvokeResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestApiModel api = ApiFixture.api();
    private final FakeInvoker invoker = new FakeInvoker();
    private final List<String> log = new ArrayList<>();
    private final ApiGateway gateway = new ApiGateway(List.of(api), invoker, log::add);

    private static Map<String, List<String>> headers(String... nameValues) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Host", List.of("127.0.0.1:4566"));
        for (int i = 0; i < nameValues.length; i += 2) {
            h.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        return h;
    }

    private ApiResponse call(String method, String path, String query, String body, String... headers) {
        return gateway.handle(new ApiRequest(method, null, "dev", path, query, headers(headers),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "HTTP/1.1"));
    }

    private static JsonNode json(ApiResponse r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void anUnknownRouteOrUndeclaredMethodAnswersTheTemplatesNotFound() throws IOException {
        ApiResponse r = call("GET", "/nothing/here", null, null, "X-Api-Key", ApiFixture.KEY);
        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).toString()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such route\"}}");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
        // /commands exists, but has no GET: API Gateway answers MISSING_AUTHENTICATION_TOKEN too
        assertThat(call("GET", "/commands", null, null, "X-Api-Key", ApiFixture.KEY).status()).isEqualTo(404);
        assertThat(invoker.calls).isEmpty();
    }

    @Test
    void withoutGatewayResponsesTheDefaultsAreAwss() throws IOException {
        ApiGateway plain = new ApiGateway(List.of(ApiFixture.apiWithoutGatewayResponses()), invoker, log::add);
        ApiResponse r = plain.handle(new ApiRequest("GET", null, "dev", "/nothing", null, headers(), null, "127.0.0.1", "HTTP/1.1"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).toString()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        ApiResponse noKey = plain.handle(new ApiRequest("GET", null, "dev", "/tx", "transaction_id=1", headers(), null,
                "127.0.0.1", "HTTP/1.1"));
        assertThat(noKey.status()).isEqualTo(403);
        assertThat(json(noKey).toString()).isEqualTo("{\"message\":\"Forbidden\"}");
        invoker.answering((f, p) -> FakeInvoker.functionError("{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}"));
        ApiResponse failed = plain.handle(new ApiRequest("GET", null, "dev", "/health", null, headers(), null, "127.0.0.1", "HTTP/1.1"));
        assertThat(failed.status()).isEqualTo(502);
        assertThat(json(failed).toString()).isEqualTo("{\"message\":\"Internal server error\"}");
    }

    @Test
    void theApiKeyIsCheckedOnMethodsThatRequireIt() throws IOException {
        ApiResponse missing = call("GET", "/tx", "transaction_id=t1", null);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(json(missing).path("error").path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(call("GET", "/tx", "transaction_id=t1", null, "x-api-key", "wrong").status()).isEqualTo(403);
        assertThat(invoker.calls).isEmpty();

        ApiResponse ok = call("GET", "/tx", "transaction_id=t1", null, "x-api-key", ApiFixture.KEY);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(invoker.last().function()).isEqualTo("fx-query-lambda");
        JsonNode identity = invoker.last().json().path("requestContext").path("identity");
        assertThat(identity.path("apiKey").asText()).isEqualTo(ApiFixture.KEY);
        assertThat(identity.path("apiKeyId").asText()).isEqualTo(api.stages().get("dev").apiKeys().get(0).id());
    }

    @Test
    void healthNeedsNoKey() {
        ApiResponse r = call("GET", "/health", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(invoker.last().function()).isEqualTo("fx-query-lambda");
        assertThat(invoker.last().json().path("requestContext").path("identity").has("apiKey")).isFalse();
    }

    @Test
    void aMissingOrBlankRequiredQueryParameterIs400BeforeTheFunctionRuns() throws IOException {
        ApiResponse r = call("GET", "/query/user", null, null, "X-Api-Key", ApiFixture.KEY);
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).toString()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"VALIDATION_ERROR\","
                + "\"message\":\"Missing required request parameters: [user_id]\"}}");
        assertThat(call("GET", "/query/user", "user_id=", null, "X-Api-Key", ApiFixture.KEY).status()).isEqualTo(400);
        assertThat(invoker.calls).isEmpty();
        assertThat(call("GET", "/query/user", "user_id=u1", null, "X-Api-Key", ApiFixture.KEY).status()).isEqualTo(200);
        // no validator on /query/failures: an absent parameter goes through
        assertThat(call("GET", "/query/failures", null, null, "X-Api-Key", ApiFixture.KEY).status()).isEqualTo(200);
    }

    @Test
    void theBodyModelIsCheckedWhenTheValidatorSaysSo() throws IOException {
        ApiResponse bad = call("POST", "/commands", null, "{\"user_id\":\"u1\",\"platform\":\"FAX\"}",
                "X-Api-Key", ApiFixture.KEY, "Content-Type", "application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).path("error").path("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(call("POST", "/commands", null, "{not json", "X-Api-Key", ApiFixture.KEY).status()).isEqualTo(400);
        assertThat(call("POST", "/commands", null, null, "X-Api-Key", ApiFixture.KEY).status()).isEqualTo(400);
        assertThat(invoker.calls).isEmpty();
        ApiResponse good = call("POST", "/commands", null, "{\"user_id\":\"u1\",\"platform\":\"IOS\",\"status\":\"SENT\"}",
                "X-Api-Key", ApiFixture.KEY, "Content-Type", "application/json; charset=utf-8");
        assertThat(good.status()).isEqualTo(200);
        assertThat(invoker.last().function()).isEqualTo("fx-command-lambda");
    }

    @Test
    void theProxyEventHasTheShapeAwsSends() throws IOException {
        call("PATCH", "/commands/tx-1%2Fa", "x=1&x=2&y=a%20b&z", "{\"status\":\"DELIVERED\"}",
                "X-Api-Key", ApiFixture.KEY, "Content-Type", "application/json", "User-Agent", "test-agent/1.0",
                "Accept", "a", "Accept", "b");
        ObjectNode event = (ObjectNode) invoker.last().json();
        // volatile values
        ObjectNode rc = (ObjectNode) event.path("requestContext");
        assertThat(rc.path("requestId").asText()).matches("[0-9a-f-]{36}");
        assertThat(rc.path("requestTime").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(rc.path("requestTimeEpoch").asLong()).isPositive();
        assertThat(event.path("headers").path("X-Amzn-Trace-Id").asText()).startsWith("Root=1-");
        rc.put("requestId", "REQUEST-ID");
        rc.put("extendedRequestId", "EXTENDED-ID");
        rc.put("requestTime", "TIME");
        rc.put("requestTimeEpoch", 0);
        ((ObjectNode) event.path("headers")).put("X-Amzn-Trace-Id", "TRACE");
        ((ObjectNode) event.path("multiValueHeaders")).putArray("X-Amzn-Trace-Id").add("TRACE");

        String expected;
        try (InputStream in = getClass().getResourceAsStream("/apigw/patch-event.json")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${apiId}", api.id())
                    .replace("${deploymentId}", api.stages().get("dev").deploymentId())
                    .replace("${apiKeyId}", api.stages().get("dev").apiKeys().get(0).id())
                    .replace("${resourceId}", api.resources().stream()
                            .filter(r -> r.path().equals("/commands/{transaction_id}")).findFirst().orElseThrow().id());
        }
        assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event))
                .isEqualTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(expected)));
    }

    @Test
    void binaryBodiesAreBase64Encoded() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        gateway.handle(new ApiRequest("GET", null, "dev", "/health", null, headers("Content-Type", "image/png"), png,
                "127.0.0.1", "HTTP/1.1"));
        assertThat(invoker.last().json().path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(invoker.last().json().path("body").asText())).isEqualTo(png);
        // not valid UTF-8, whatever the content type says
        gateway.handle(new ApiRequest("GET", null, "dev", "/health", null, headers("Content-Type", "text/plain"),
                new byte[]{(byte) 0xc3, 0x28}, "127.0.0.1", "HTTP/1.1"));
        assertThat(invoker.last().json().path("isBase64Encoded").asBoolean()).isTrue();
        gateway.handle(new ApiRequest("GET", null, "dev", "/health", null, headers(), "héllo".getBytes(StandardCharsets.UTF_8),
                "127.0.0.1", "HTTP/1.1"));
        assertThat(invoker.last().json().path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(invoker.last().json().path("body").asText()).isEqualTo("héllo");
    }

    @Test
    void theProxyResponseIsMappedToHttp() {
        invoker.answering("{\"statusCode\":\"201\",\"headers\":{\"X-One\":\"1\",\"Content-Type\":\"text/plain\"},"
                + "\"multiValueHeaders\":{\"Set-Cookie\":[\"a=1\",\"b=2\"]},\"body\":\"created\",\"isBase64Encoded\":false}");
        ApiResponse r = call("GET", "/health", null, null);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bodyText()).isEqualTo("created");
        assertThat(r.headers().get("X-One")).containsExactly("1");
        assertThat(r.headers().get("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        assertThat(r.header("x-amzn-RequestId")).isNotBlank();

        invoker.answering("{\"statusCode\":200,\"body\":\"" + Base64.getEncoder().encodeToString(new byte[]{1, 2, 3})
                + "\",\"isBase64Encoded\":true}");
        ApiResponse bin = call("GET", "/health", null, null);
        assertThat(bin.body()).containsExactly(1, 2, 3);
        assertThat(bin.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void functionErrorsAndMalformedResponsesAreTheTemplatesDefault5xxAndLoggedLoudly() throws IOException {
        invoker.answering((f, p) -> FakeInvoker.functionError("{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.RuntimeException\"}"));
        ApiResponse failed = call("GET", "/health", null, null);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(json(failed).path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(log).anyMatch(l -> l.startsWith("ERROR") && l.contains("fx-query-lambda") && l.contains("boom"));

        for (String malformed : List.of("not json", "[1]", "{\"body\":\"x\"}", "{\"statusCode\":200,\"body\":{\"a\":1}}",
                "{\"statusCode\":200,\"extra\":1}", "{\"statusCode\":200,\"headers\":{\"a\":[1]}}",
                "{\"statusCode\":200,\"body\":\"!!\",\"isBase64Encoded\":true}", "{\"statusCode\":99}")) {
            invoker.answering(malformed);
            ApiResponse r = call("GET", "/health", null, null);
            assertThat(r.status()).as(malformed).isEqualTo(503);
        }
        assertThat(log).anyMatch(l -> l.contains("malformed Lambda proxy response") && l.contains("unexpected field \"extra\""));

        invoker.answering((f, p) -> {
            throw new IllegalStateException("runtime down");
        });
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(503);
        invoker.answering((f, p) -> new InvokeResult(429, new byte[0], null, "r", 0));
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(503);
    }

    @Test
    void aTooLargeRequestIs413() throws IOException {
        byte[] big = new byte[ApiGateway.MAX_REQUEST_BYTES + 1];
        ApiResponse r = gateway.handle(new ApiRequest("POST", null, "dev", "/commands", null, headers("X-Api-Key", ApiFixture.KEY),
                big, "127.0.0.1", "HTTP/1.1"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void headersOverTheRequestLineAndHeaderLimitAre413AndNeverReachTheFunction() throws IOException {
        int invocationsBefore = invoker.calls.size();
        // the request line and the key's header take ~70 bytes: a header value that takes the total one byte over
        ApiRequest probe = new ApiRequest("GET", null, "dev", "/query/user", "user_id=u-1",
                headers("X-Api-Key", ApiFixture.KEY, "X-Big", ""), null, "127.0.0.1", "HTTP/1.1");
        int room = ApiGateway.MAX_REQUEST_LINE_AND_HEADER_BYTES - probe.requestLineAndHeaderBytes();
        ApiResponse over = gateway.handle(new ApiRequest("GET", null, "dev", "/query/user", "user_id=u-1",
                headers("X-Api-Key", ApiFixture.KEY, "X-Big", "a".repeat(room + 1)), null, "127.0.0.1", "HTTP/1.1"));
        assertThat(over.status()).isEqualTo(413);
        assertThat(json(over).path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(invoker.calls).as("a refused request never invokes").hasSize(invocationsBefore);

        ApiResponse atTheLimit = gateway.handle(new ApiRequest("GET", null, "dev", "/query/user", "user_id=u-1",
                headers("X-Api-Key", ApiFixture.KEY, "X-Big", "a".repeat(room)), null, "127.0.0.1", "HTTP/1.1"));
        assertThat(atTheLimit.status()).isEqualTo(200);
    }

    @Test
    void apisAndStagesAreFoundByIdOrStageName() throws IOException {
        ApiResponse byId = gateway.handle(new ApiRequest("GET", api.id(), "dev", "/health", null, headers(), null,
                "127.0.0.1", "HTTP/1.1"));
        assertThat(byId.status()).isEqualTo(200);
        ApiResponse unknownApi = gateway.handle(new ApiRequest("GET", "nope123456", "dev", "/health", null, headers(), null,
                "127.0.0.1", "HTTP/1.1"));
        assertThat(unknownApi.status()).isEqualTo(404);
        assertThat(json(unknownApi).path("message").asText()).contains("no REST API with id nope123456").contains(api.id());
        ApiResponse unknownStage = gateway.handle(new ApiRequest("GET", api.id(), "prod", "/health", null, headers(), null,
                "127.0.0.1", "HTTP/1.1"));
        assertThat(unknownStage.status()).isEqualTo(403);
        assertThat(json(unknownStage).path("message").asText()).contains("no stage prod").contains("dev");
        assertThat(gateway.servesStage("dev")).isTrue();
        assertThat(gateway.servesStage("prod")).isFalse();
        assertThat(log).anyMatch(l -> l.startsWith("API dev GET /health -> 200 fx-query-lambda"));
    }
}
