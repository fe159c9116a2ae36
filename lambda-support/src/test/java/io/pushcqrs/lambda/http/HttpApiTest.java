package io.pushcqrs.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one error flow of the API functions. */
class HttpApiTest {
    private final List<String> lines = new ArrayList<>();

    private APIGatewayProxyResponseEvent call(Router router) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("post").withPath("/x")
                .withQueryStringParameters(Map.of("a", "1"))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("api-1"));
        return new HttpApi("test request", router, Log.to(lines::add)).handle(event, null);
    }

    private JsonNode line() {
        assertThat(lines).hasSize(1);
        return Json.readTree(lines.get(0));
    }

    @Test
    void anAnswerGoesOutWithTheCommonHeadersAndOneInfoLine() {
        APIGatewayProxyResponseEvent r = call((request, line) -> {
            line.put("route", "x");
            assertThat(request.upperMethod()).isEqualTo("POST");
            assertThat(request.parameter("a")).isEqualTo("1");
            return ApiAnswer.json(201, Map.of("success", true));
        });
        assertThat(r.getStatusCode()).isEqualTo(201);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .containsEntry("Cache-Control", "no-store").doesNotContainKey("Retry-After");
        JsonNode line = line();
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("api_request_id").asText()).isEqualTo("api-1");
        assertThat(line.get("method").asText()).isEqualTo("POST");
        assertThat(line.get("route").asText()).isEqualTo("x");
        assertThat(line.get("status").asInt()).isEqualTo(201);
        assertThat(line.has("duration_ms")).isTrue();
    }

    @Test
    void aClientErrorIsItsErrorJsonAndAWarnLine() {
        APIGatewayProxyResponseEvent r = call((request, line) -> {
            throw new ValidationException("limit", "must be between 1 and 100");
        });
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Json.readTree(r.getBody()).path("error").path("details").get(0).path("field").asText()).isEqualTo("limit");
        assertThat(line().get("level").asText()).isEqualTo("WARN");
        assertThat(line().get("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(line().has("stackTrace")).isFalse();
    }

    @Test
    void aMethodNotAllowedCarriesAllow() {
        APIGatewayProxyResponseEvent r = call((request, line) -> {
            throw new MethodNotAllowedException("POST", "/x", "PATCH, DELETE");
        });
        assertThat(r.getStatusCode()).isEqualTo(405);
        assertThat(r.getHeaders()).containsEntry("Allow", "PATCH, DELETE");
    }

    @Test
    void unavailableIs503WithRetryAfterAndTheReasonOnlyInTheLog() {
        APIGatewayProxyResponseEvent r = call((request, line) -> {
            throw new UnavailableException("table throttled for 8 s", null);
        });
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(r.getBody()).contains(UnavailableException.MESSAGE).doesNotContain("throttled");
        assertThat(line().get("level").asText()).isEqualTo("ERROR");
        assertThat(line().get("error").asText()).isEqualTo("table throttled for 8 s");
    }

    @Test
    void anInternalErrorOrABugIs500WithoutDetails() {
        for (RuntimeException e : List.of(new ApiException(ErrorCode.INTERNAL_ERROR, "role x lacks dynamodb:Query"),
                new IllegalStateException("bug in line 42"))) {
            lines.clear();
            APIGatewayProxyResponseEvent r = call((request, line) -> {
                throw e;
            });
            assertThat(r.getStatusCode()).isEqualTo(500);
            assertThat(Json.readTree(r.getBody()).path("error").path("message").asText()).isEqualTo("internal error");
            assertThat(r.getBody()).doesNotContain("role x").doesNotContain("line 42");
            assertThat(line().get("level").asText()).isEqualTo("ERROR");
            assertThat(line().get("stackTrace").isArray()).isTrue();
        }
    }

    @Test
    void aNullEventIsARequestWithoutMethodOrPath() {
        HttpRequest request = HttpRequest.of((APIGatewayProxyRequestEvent) null);
        assertThat(request.upperMethod()).isEmpty();
        assertThat(request.path()).isNull();
        assertThat(request.query()).isEmpty();
    }
}
