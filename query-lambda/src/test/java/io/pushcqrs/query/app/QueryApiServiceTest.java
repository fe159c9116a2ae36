package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.lambda.http.HttpRequest;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueryApiServiceTest {
    private final FakeQueryResults results = new FakeQueryResults();
    private final QueryApiService service = new QueryApiService(results);
    private final QueryRequest request = QueryRequest.transaction("tx-1", 30, null);

    private Outcome run() {
        return Outcome.of((r, line) -> service.execute("/tx", request, line), HttpRequest.of("GET", "/tx", null, Map.of()));
    }

    private static JsonNode body(Outcome outcome) {
        return Json.readTree(outcome.answer().body());
    }

    @Test
    void sendsTheRequestAsIs() {
        run();
        assertThat(results.only()).isSameAs(request);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyDownstreamErrorCodeIsPassedThroughWithItsHttpStatus(ErrorCode code) {
        results.answering(QueryResponse.failure(new ErrorBody(code, "why " + code,
                List.of(new FieldError("cursor", "is forged")))));
        Outcome outcome = run();
        assertThat(outcome.status()).isEqualTo(code.httpStatus());
        assertThat(body(outcome)).isEqualTo(Json.readTree("{\"success\":false,\"error\":{\"code\":\"" + code
                + "\",\"message\":\"why " + code + "\",\"details\":[{\"field\":\"cursor\",\"message\":\"is forged\"}]}}"));
        assertThat(outcome.errorCode()).isEqualTo(code.name());
        assertThat(outcome.count()).isNull();
    }

    @Test
    void successFalseWithoutAnErrorIs503() {
        results.answering(new QueryResponse(false, List.of(), null, null));
        Outcome outcome = run();
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.detail()).contains("without an error code");
    }

    @Test
    void successFalseWithAnErrorWithoutCodeIs503() {
        results.answering(new QueryResponse(false, List.of(), null, new ErrorBody(null, "x", null)));
        assertThat(run().status()).isEqualTo(503);
    }

    @Test
    void noResponseIs503() {
        results.answering(null);
        Outcome outcome = run();
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.detail()).contains("no response");
    }

    @Test
    void anItemWithoutNotificationIs503() {
        results.answering(new QueryResponse(true, Arrays.asList(FakeQueryResults.sentView(),
                new NotificationView(null, 1L)), null, null));
        Outcome outcome = run();
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.detail()).contains("without a notification");
    }

    @Test
    void aNullItemIs503() {
        results.answering(new QueryResponse(true, Arrays.asList((NotificationView) null), null, null));
        assertThat(run().status()).isEqualTo(503);
    }

    @Test
    void aSuccessWithoutItemsIsAnEmptyPage() {
        results.answering(new QueryResponse(true, null, null, null));
        Outcome outcome = run();
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(body(outcome)).isEqualTo(Json.readTree("{\"success\":true,\"count\":0,\"items\":[]}"));
        assertThat(outcome.count()).isZero();
    }

    @Test
    void downstreamUnavailableIs503WithTheStandardBody() {
        results.failing(new UnavailableException("timed out", null));
        Outcome outcome = run();
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(body(outcome)).isEqualTo(Json.readTree("{\"success\":false,\"error\":{\"code\":\"UNAVAILABLE\","
                + "\"message\":\"" + QueryApiService.UNAVAILABLE_MESSAGE + "\"}}"));
        assertThat(outcome.detail()).isEqualTo("timed out");
        assertThat(outcome.route()).isEqualTo("/tx");
    }
}
