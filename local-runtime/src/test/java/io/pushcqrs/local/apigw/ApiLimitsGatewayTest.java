package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The template's usage plan, stage throttling and integration timeout, through the local API Gateway. */
class ApiLimitsGatewayTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final RestApiModel api = ApiFixture.api();
    final FakeInvoker invoker = new FakeInvoker();
    final List<String> log = new ArrayList<>();
    final AtomicLong nanos = new AtomicLong();

    ApiGateway gateway(RestApiModel a) {
        return new ApiGateway(List.of(a), invoker, log::add,
                new Throttling(nanos::get, Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC)));
    }

    static ApiResponse call(ApiGateway g, String method, String path, String query, boolean key) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Host", List.of("127.0.0.1:4566"));
        if (key) {
            h.put("X-Api-Key", List.of(ApiFixture.KEY));
        }
        return g.handle(new ApiRequest(method, null, "dev", path, query, h, null, "127.0.0.1", "HTTP/1.1"));
    }

    static JsonNode json(ApiResponse r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void theTemplatesLimitsAreLoaded() {
        ApiLimits limits = api.stages().get("dev").limits();
        assertThat(limits.methodThrottles()).containsExactly(new ApiLimits.MethodThrottle("/*", "*", new ApiLimits.Throttle(100, 200)));
        String keyId = api.stages().get("dev").apiKeys().get(0).id();
        ApiLimits.Plan plan = limits.plans().get(keyId);
        assertThat(plan.throttle()).isEqualTo(new ApiLimits.Throttle(50, 100));
        assertThat(plan.quota()).isEqualTo(new ApiLimits.Quota(100_000, "DAY", 0));
        assertThat(api.methods()).allSatisfy(m -> assertThat(m.timeoutMs()).isEqualTo(29_000));
    }

    @Test
    void beyondThePlansBurstTheKeyIsThrottledWithTheTemplatesThrottledResponse() throws IOException {
        ApiGateway g = gateway(api);
        for (int i = 0; i < 100; i++) {
            assertThat(call(g, "GET", "/tx", "transaction_id=t" + i, true).status()).as("request %d", i).isEqualTo(200);
        }
        ApiResponse throttled = call(g, "GET", "/tx", "transaction_id=t", true);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(json(throttled).toString())
                .isEqualTo("{\"success\":false,\"error\":{\"code\":\"THROTTLED\",\"message\":\"too many requests, retry later\"}}");
        assertThat(throttled.header("x-amzn-ErrorType")).isEqualTo("TooManyRequestsException");
        assertThat(log).anyMatch(l -> l.contains("throttled by the throttle of usage plan") && l.contains("50 requests/s, burst 100"));
        assertThat(invoker.calls).hasSize(100);
        // /health needs no key: the plan does not apply, the stage's 200 burst for GET /health does
        for (int i = 0; i < 200; i++) {
            assertThat(call(g, "GET", "/health", null, false).status()).isEqualTo(200);
        }
        assertThat(call(g, "GET", "/health", null, false).status()).isEqualTo(429);
        // 50 requests a second later the key may go on
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(call(g, "GET", "/tx", "transaction_id=t", true).status()).isEqualTo(200);
    }

    @Test
    void withoutTheTemplatesResponsesAThrottleIsAwss429() throws IOException {
        ApiGateway g = gateway(ApiFixture.apiWithoutGatewayResponses());
        for (int i = 0; i < 100; i++) {
            call(g, "GET", "/tx", "transaction_id=t", true);
        }
        ApiResponse throttled = call(g, "GET", "/tx", "transaction_id=t", true);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(json(throttled).toString()).isEqualTo("{\"message\":\"Too Many Requests\"}");
    }

    @Test
    void aFunctionSlowerThanTheIntegrationTimeoutIsA504OrTheTemplatesDefault5xx() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        invoker.answering((f, p) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeInvoker.ok("{\"statusCode\":200,\"body\":\"late\"}");
        });
        try {
            // the methods' TimeoutInMillis set to 200 ms (API Gateway's own is 29 s)
            ApiResponse plain = call(gateway(withTimeout(ApiFixture.apiWithoutGatewayResponses(), 200)), "GET", "/health", null, false);
            assertThat(plain.status()).isEqualTo(504);
            assertThat(json(plain).toString()).isEqualTo("{\"message\":\"Endpoint request timed out\"}");
            // the app's template customizes DEFAULT_5XX (503 UNAVAILABLE) and not INTEGRATION_TIMEOUT: API Gateway then
            // answers with DEFAULT_5XX's body and its status, as a changed fallback status applies to every 5XX type
            ApiResponse app = call(gateway(withTimeout(api, 200)), "GET", "/health", null, false);
            assertThat(app.status()).isEqualTo(503);
            assertThat(json(app).path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(log).anyMatch(l -> l.contains("did not answer within the integration timeout (200 ms): INTEGRATION_TIMEOUT"));
        } finally {
            release.countDown();
        }
    }

    static RestApiModel withTimeout(RestApiModel a, int ms) {
        List<RestApiModel.Method> methods = a.methods().stream().map(m -> new RestApiModel.Method(m.resourceId(), m.httpMethod(),
                m.apiKeyRequired(), m.functionName(), m.requestParameters(), m.validateParameters(), m.validateBody(),
                m.requestModels(), ms)).toList();
        return new RestApiModel(a.id(), a.name(), a.rootResourceId(), a.binaryMediaTypes(), a.stages(), a.resources(), methods,
                a.gatewayResponses());
    }

    static String text(ApiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
