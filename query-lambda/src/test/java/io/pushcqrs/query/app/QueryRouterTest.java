package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.lambda.http.HttpRequest;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.model.query.QueryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueryRouterTest {
    private final FakeQueryResults results = new FakeQueryResults();
    private final QueryRouter router = new QueryRouter(new QueryApiService(results), "dev-query-lambda");

    private Outcome get(String path, String... params) {
        return call("GET", path, params);
    }

    private Outcome call(String method, String path, String... params) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            query.computeIfAbsent(params[i], k -> new java.util.ArrayList<>()).add(params[i + 1]);
        }
        return Outcome.of(router, HttpRequest.of(method, path, "dev", query));
    }

    private static JsonNode body(Outcome outcome) {
        return Json.readTree(outcome.answer().body());
    }

    private static void assertError(Outcome outcome, int status, String code, String... messageParts) {
        assertThat(outcome.status()).isEqualTo(status);
        JsonNode body = body(outcome);
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("error").path("code").asText()).isEqualTo(code);
        assertThat(body.path("error").path("message").asText()).contains(messageParts);
        assertThat(outcome.errorCode()).isEqualTo(code);
    }

    // ---- routes -> QueryRequest

    @Test
    void userRouteWithEpochMillisBuildsTheRequest() {
        Outcome outcome = get("/query/user", "user_id", "u1", "from", "1700000000000", "to", "1700000009999",
                "limit", "10", "cursor", "abc");
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(results.only()).isEqualTo(QueryRequest.user("u1", 1_700_000_000_000L, 1_700_000_009_999L, 10, "abc"));
        assertThat(outcome.route()).isEqualTo("/query/user");
    }

    @Test
    void userRouteAcceptsIsoInstantsWithZoneMillisAndOffsets() {
        get("/query/user", "user_id", "u1", "from", "2026-11-26T10:00:00Z", "to", "2026-11-26T19:00:00.123+09:00");
        QueryRequest q = results.only();
        assertThat(q.from()).isEqualTo(1_795_687_200_000L);
        assertThat(q.to()).isEqualTo(FakeQueryResults.CREATED_AT);
    }

    @Test
    void anUnencodedPlusOfAnOffsetThatArrivesAsASpaceIsAccepted() {
        get("/query/user", "user_id", "u1", "from", "2026-11-26T19:00:00 09:00");
        assertThat(results.only().from()).isEqualTo(1_795_687_200_000L);
    }

    @Test
    void userRouteDefaultsLimitTo30AndLeavesOptionalParametersOut() {
        get("/query/user", "user_id", "u1");
        assertThat(results.only()).isEqualTo(QueryRequest.user("u1", null, null, 30, null));
    }

    @Test
    void emptyOptionalParametersCountAsAbsent() {
        get("/query/user", "user_id", "u1", "limit", "", "cursor", "", "from", " ");
        assertThat(results.only()).isEqualTo(QueryRequest.user("u1", null, null, 30, null));
    }

    @Test
    void marketingRoute() {
        get("/query/marketing", "marketing_id", "camp-7", "limit", "100", "cursor", "c1");
        assertThat(results.only()).isEqualTo(QueryRequest.marketing("camp-7", 100, "c1"));
    }

    @Test
    void failuresRouteWithoutTransactionIdAsksForRecentFailures() {
        get("/query/failures");
        assertThat(results.only()).isEqualTo(QueryRequest.failures(null, 30, null));
    }

    @Test
    void failuresRouteOfOneTransaction() {
        get("/query/failures", "transaction_id", "tx-1", "limit", "1");
        assertThat(results.only()).isEqualTo(QueryRequest.failures("tx-1", 1, null));
        assertThat(results.only().type()).isEqualTo(QueryType.FAILURES);
    }

    @Test
    void transactionRoute() {
        get("/tx", "transaction_id", "tx-1");
        assertThat(results.only()).isEqualTo(QueryRequest.transaction("tx-1", 30, null));
    }

    @Test
    void snsRoute() {
        get("/sns", "sns_id", "arn:aws:sns:us-east-1:123:msg/1");
        assertThat(results.only()).isEqualTo(QueryRequest.sns("arn:aws:sns:us-east-1:123:msg/1", 30, null));
    }

    @Test
    void theSameValueGivenTwiceCountsOnce() {
        get("/tx", "transaction_id", "tx-1", "transaction_id", "tx-1");
        assertThat(results.only().transactionId()).isEqualTo("tx-1");
    }

    @Test
    void aTrailingSlashAndAStagePrefixResolveToTheRoute() {
        assertThat(get("/tx/", "transaction_id", "t").status()).isEqualTo(200);
        assertThat(get("/dev/tx", "transaction_id", "t").status()).isEqualTo(200);
        assertThat(get("/dev/health").status()).isEqualTo(200);
        assertThat(results.requests).hasSize(2);
    }

    // ---- bad parameters -> 400 naming them, no downstream call

    @ParameterizedTest
    @CsvSource({
            "/query/user, user_id",
            "/query/marketing, marketing_id",
            "/tx, transaction_id",
            "/sns, sns_id"})
    void aMissingRequiredParameterIs400(String path, String parameter) {
        assertError(get(path), 400, "VALIDATION_ERROR", parameter + ": is required");
        assertError(get(path, parameter, "   "), 400, "VALIDATION_ERROR", parameter + ": is required");
        assertThat(results.requests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "1e3", "0x10", "99999999999", "99999999999999999999999"})
    void aLimitThatIsNotAnIntegerIs400(String limit) {
        assertError(get("/tx", "transaction_id", "t", "limit", limit), 400, "VALIDATION_ERROR",
                "limit: must be an integer between 1 and 100");
        assertThat(results.requests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101", "1000"})
    void aLimitOutside1To100Is400(String limit) {
        assertError(get("/query/failures", "limit", limit), 400, "VALIDATION_ERROR",
                "limit: must be between 1 and 100 (was " + Integer.parseInt(limit) + ")");
        assertThat(results.requests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "100"})
    void limitBoundsAreAccepted(String limit) {
        assertThat(get("/query/failures", "limit", limit).status()).isEqualTo(200);
        assertThat(results.only().limit()).isEqualTo(Integer.parseInt(limit));
    }

    @ParameterizedTest
    @CsvSource({
            "from, yesterday",
            "from, 2026-11-26",
            "from, 2026-11-26T10:00:00",
            "to, 2026-13-01T00:00:00Z",
            "to, 12:00",
            "to, 99999999999999999999"})
    void aBadTimeIs400NamingTheParameter(String parameter, String value) {
        Outcome outcome = get("/query/user", "user_id", "u1", parameter, value);
        assertError(outcome, 400, "VALIDATION_ERROR", parameter + ": ");
        assertThat(body(outcome).path("error").path("details").get(0).path("field").asText()).isEqualTo(parameter);
        assertThat(results.requests).isEmpty();
    }

    @Test
    void aNegativeTimeIs400() {
        assertError(get("/query/user", "user_id", "u1", "from", "-5"), 400, "VALIDATION_ERROR",
                "from: must not be negative");
    }

    @Test
    void microsecondsOrNanosecondsAre400SayingEpochMilliseconds() {
        assertError(get("/query/user", "user_id", "u1", "from", "1700000000000000"), 400, "VALIDATION_ERROR",
                "from: must be epoch milliseconds of at most 15 digits");
        assertError(get("/query/user", "user_id", "u1", "to", "1700000000000000000"), 400, "VALIDATION_ERROR",
                "to: must be epoch milliseconds of at most 15 digits");
        assertError(get("/query/user", "user_id", "u1", "to", "9999999999999999999"), 400, "VALIDATION_ERROR",
                "to: must be epoch milliseconds of at most 15 digits");
        // an ISO instant past the year 33658 does not fit 15 digits either
        assertError(get("/query/user", "user_id", "u1", "to", "+40000-01-01T00:00:00Z"), 400, "VALIDATION_ERROR",
                "to: must be epoch milliseconds");
        get("/query/user", "user_id", "u1", "from", "999999999999999");
        assertThat(results.only().from()).isEqualTo(999_999_999_999_999L);
    }

    @Test
    void fromAfterToIs400() {
        assertError(get("/query/user", "user_id", "u1", "from", "2026-11-26T10:00:01Z", "to", "2026-11-26T10:00:00Z"),
                400, "VALIDATION_ERROR", "from: must not be after to");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void unknownParametersAre400NamingEachOne() {
        Outcome outcome = get("/query/user", "userId", "u1", "limt", "5", "user_id", "u1");
        assertError(outcome, 400, "VALIDATION_ERROR", "limt: is not a parameter of /query/user",
                "userId: is not a parameter of /query/user", "allowed: user_id, from, to, limit, cursor");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void fromAndToAreUnknownOnOtherRoutes() {
        assertError(get("/query/marketing", "marketing_id", "m", "from", "1"), 400, "VALIDATION_ERROR",
                "from: is not a parameter of /query/marketing");
        assertError(get("/query/failures", "user_id", "u1"), 400, "VALIDATION_ERROR",
                "user_id: is not a parameter of /query/failures");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void twoDifferentValuesOfOneParameterAre400() {
        Outcome outcome = get("/tx", "transaction_id", "a", "transaction_id", "b");
        assertError(outcome, 400, "VALIDATION_ERROR", "transaction_id: was given 2 times with different values");
        assertThat(body(outcome).path("error").path("message").asText()).doesNotContain("is required");
        assertError(get("/query/failures", "limit", "5", "limit", "6"), 400, "VALIDATION_ERROR",
                "limit: was given 2 times");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void idsAreCheckedByTheQueryValidator() {
        assertError(get("/query/user", "user_id", "u 1"), 400, "VALIDATION_ERROR",
                "user_id: may contain only letters, digits");
        assertError(get("/sns", "sns_id", "x".repeat(129)), 400, "VALIDATION_ERROR",
                "sns_id: must be at most 128 characters");
        assertError(get("/query/failures", "transaction_id", "<script>"), 400, "VALIDATION_ERROR", "transaction_id");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void anOverlongCursorIs400() {
        assertError(get("/tx", "transaction_id", "t", "cursor", "c".repeat(6145)), 400, "VALIDATION_ERROR",
                "cursor: must be at most 6144 characters");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void everyBadParameterIsNamedInOneAnswer() {
        Outcome outcome = get("/query/user", "from", "soon", "limit", "many", "colour", "red");
        JsonNode details = body(outcome).path("error").path("details");
        assertThat(outcome.status()).isEqualTo(400);
        assertThat(details.findValuesAsText("field")).containsExactly("colour", "user_id", "from", "limit");
    }

    @Test
    void aLongBadValueIsCutInTheMessage() {
        String message = body(get("/query/user", "user_id", "u", "from", "y".repeat(5000)))
                .path("error").path("message").asText();
        assertThat(message).contains("y".repeat(64) + "...").hasSizeLessThan(300);
    }

    // ---- routing errors

    @ParameterizedTest
    @ValueSource(strings = {"/", "/query", "/query/users", "/commands", "/prod/tx", "/Query/user", "/health/x"})
    void anUnknownPathIs404(String path) {
        assertError(get(path, "transaction_id", "t"), 404, "NOT_FOUND", "no route " + path);
        assertThat(results.requests).isEmpty();
    }

    @Test
    void aMissingPathIs404() {
        assertError(call("GET", null), 404, "NOT_FOUND", "no route (none)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
    void anotherMethodOnAKnownPathIs405(String method) {
        assertError(call(method, "/query/user", "user_id", "u1"), 405, "METHOD_NOT_ALLOWED",
                "method " + method + " is not allowed on /query/user (allowed: GET)");
        assertError(call(method, "/health"), 405, "METHOD_NOT_ALLOWED", "/health");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void aMissingMethodIs405() {
        assertError(call(null, "/tx", "transaction_id", "t"), 405, "METHOD_NOT_ALLOWED", "method (none)");
    }

    @Test
    void aLowerCaseGetIsAGet() {
        assertThat(call("get", "/tx", "transaction_id", "t").status()).isEqualTo(200);
    }

    // ---- /health

    @Test
    void healthAnswersUpWithoutCallingDownstream() {
        results.failing(new UnavailableException("down", null));
        Outcome outcome = get("/health", "anything", "goes");
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(body(outcome)).isEqualTo(Json.readTree(
                "{\"success\":true,\"status\":\"UP\",\"function\":\"dev-query-lambda\"}"));
        assertThat(results.requests).isEmpty();
    }

    // ---- the answer

    @Test
    void aPageIsAnsweredWithCountItemsAndNextCursor() {
        results.answering(QueryResponse.page(List.of(FakeQueryResults.failedView(), FakeQueryResults.sentView()), "next-1"));
        Outcome outcome = get("/query/user", "user_id", "u1");
        JsonNode body = body(outcome);
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.count()).isEqualTo(2);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("count").asInt()).isEqualTo(2);
        assertThat(body.path("next_cursor").asText()).isEqualTo("next-1");
        assertThat(body.path("items").get(0).path("transaction_id").asText()).isEqualTo("tx-1");
        assertThat(body.path("items").get(0).path("created_at_iso").asText()).isEqualTo("2026-11-26T10:00:00.123Z");
        assertThat(body.path("items").get(0).path("source_version").asLong()).isEqualTo(3);
        assertThat(body.path("items").get(1).path("transaction_id").asText()).isEqualTo("tx-2");
    }

    @Test
    void theLastPageHasNoNextCursor() {
        results.answering(QueryResponse.page(List.of(FakeQueryResults.sentView()), null));
        JsonNode body = body(get("/sns", "sns_id", "s"));
        assertThat(body.has("next_cursor")).isFalse();
        assertThat(body.path("count").asInt()).isEqualTo(1);
    }

    @Test
    void anEmptyPageIsA200WithNoItems() {
        JsonNode body = body(get("/tx", "transaction_id", "nothing-here"));
        assertThat(body).isEqualTo(Json.readTree("{\"success\":true,\"count\":0,\"items\":[]}"));
    }

    @Test
    void aDownstreamErrorIsPassedThroughWithItsStatus() {
        results.answering(QueryResponse.failure(ErrorBody.of(ErrorCode.VALIDATION_ERROR, "cursor: is not valid")));
        Outcome outcome = get("/tx", "transaction_id", "t", "cursor", "forged");
        assertError(outcome, 400, "VALIDATION_ERROR", "cursor: is not valid");
        assertThat(outcome.detail()).contains("cursor: is not valid");
    }

    @Test
    void aDownstreamUnavailableIs503WithoutTheReason() {
        results.failing(new UnavailableException("function dev-query-result failed (Unhandled): NPE secret-ish", null));
        Outcome outcome = get("/query/user", "user_id", "u1");
        assertError(outcome, 503, "UNAVAILABLE", QueryApiService.UNAVAILABLE_MESSAGE);
        assertThat(outcome.answer().body()).doesNotContain("Unhandled", "NPE");
        assertThat(outcome.detail()).contains("Unhandled");
    }

    @Test
    void everyRouteNamesItsParametersInTheUnknownParameterMessage() {
        for (QueryRoute route : QueryRoute.values()) {
            Outcome outcome = get(route.path(), "nope", "1");
            assertThat(outcome.status()).isEqualTo(400);
            assertThat(body(outcome).path("error").path("message").asText())
                    .contains("nope: is not a parameter of " + route.path())
                    .contains(String.join(", ", route.parameters()));
        }
        assertThat(Arrays.stream(QueryRoute.values()).map(QueryRoute::path))
                .containsExactly("/query/user", "/query/marketing", "/query/failures", "/tx", "/sns");
    }
}
