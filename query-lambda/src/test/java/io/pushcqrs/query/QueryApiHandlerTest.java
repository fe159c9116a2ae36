package io.pushcqrs.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.awstest.TestContext;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.pushcqrs.query.app.FakeQueryResults;
import io.pushcqrs.query.app.QueryApiService;
import io.pushcqrs.query.app.QueryRouter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The handler fed with API Gateway REST proxy events, deserialised as the Lambda Java runtime does. */
class QueryApiHandlerTest {
    private static final String API_KEY = "k3yS3cr3tV4lue0123456789abcdef";

    private final FakeQueryResults results = new FakeQueryResults();
    private final QueryApiHandler handler =
            new QueryApiHandler(new QueryRouter(new QueryApiService(results), "dev-query-lambda"));
    private final TestContext context = new TestContext("8f7e6d5c-1111-2222-3333-444455556666");

    private APIGatewayProxyRequestEvent event(String fixture) {
        return EventLoader.loadApiGatewayRestEvent("events/" + fixture);
    }

    private APIGatewayProxyResponseEvent handle(String fixture) {
        return handler.handleRequest(event(fixture), context);
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) {
        return Json.readTree(response.getBody());
    }

    private JsonNode logLine() {
        assertThat(context.lines).hasSize(1);
        assertThat(context.lines.get(0)).endsWith("\n").doesNotContain(API_KEY);
        assertThat(context.lines.get(0).trim()).doesNotContain("\n");
        return Json.readTree(context.lines.get(0));
    }

    @Test
    void theFixturesDeserialiseLikeTheRuntimeDoesIt() {
        APIGatewayProxyRequestEvent e = event("query-user.json");
        assertThat(e.getHttpMethod()).isEqualTo("GET");
        assertThat(e.getPath()).isEqualTo("/query/user");
        assertThat(e.getMultiValueQueryStringParameters()).containsEntry("user_id", List.of("u1"));
        assertThat(e.getRequestContext().getRequestId()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        assertThat(e.getRequestContext().getStage()).isEqualTo("prod");
        assertThat(e.getRequestContext().getIdentity().getApiKey()).isEqualTo(API_KEY);
        assertThat(e.getIsBase64Encoded()).isFalse();
        assertThat(e.getBody()).isNull();
    }

    @Test
    void userQueryAnswersThePageWithIsoTimes() {
        results.answering(QueryResponse.page(List.of(FakeQueryResults.failedView()), "next-page"));

        APIGatewayProxyResponseEvent response = handle("query-user.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getIsBase64Encoded()).isFalse();
        assertThat(results.only()).isEqualTo(QueryRequest.user("u1", 1_795_687_200_000L, 1_795_687_299_999L, 2,
                "eyJvcGFxdWUiOnRydWV9.c2ln"));
        JsonNode body = body(response);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("count").asInt()).isEqualTo(1);
        assertThat(body.path("next_cursor").asText()).isEqualTo("next-page");
        JsonNode item = body.path("items").get(0);
        assertThat(item.path("transaction_id").asText()).isEqualTo("tx-1");
        assertThat(item.path("created_at").asLong()).isEqualTo(FakeQueryResults.CREATED_AT);
        assertThat(item.path("created_at_iso").asText()).isEqualTo("2026-11-26T10:00:00.123Z");
        assertThat(item.path("failed_ts_iso").asText()).isEqualTo("2026-11-26T10:01:00.000Z");
        assertThat(item.path("source_version").asLong()).isEqualTo(3);
        assertThat(item.has("notification")).isFalse();

        JsonNode log = logLine();
        assertThat(log.path("AWSRequestId").asText()).isEqualTo("8f7e6d5c-1111-2222-3333-444455556666");
        assertThat(log.path("api_request_id").asText()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        assertThat(log.path("route").asText()).isEqualTo("/query/user");
        assertThat(log.path("status").asInt()).isEqualTo(200);
        assertThat(log.path("count").asInt()).isEqualTo(1);
        assertThat(log.path("level").asText()).isEqualTo("INFO");
        assertThat(context.lines.get(0)).doesNotContain("eyJvcGFxdWUiOnRydWV9");
    }

    @Test
    void marketingQuery() {
        assertThat(handle("query-marketing.json").getStatusCode()).isEqualTo(200);
        assertThat(results.only()).isEqualTo(QueryRequest.marketing("camp-42", 30, null));
    }

    @Test
    void failuresWithoutQueryStringAskForRecentFailures() {
        APIGatewayProxyResponseEvent response = handle("query-failures-all.json");
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(results.only()).isEqualTo(QueryRequest.failures(null, 30, null));
        assertThat(body(response)).isEqualTo(Json.readTree("{\"success\":true,\"count\":0,\"items\":[]}"));
    }

    @Test
    void twoValuesOfOneParameterAre400EvenThoughTheSingleValueMapHoldsOnlyTheLast() {
        APIGatewayProxyResponseEvent response = handle("tx-two-values.json");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(body(response).path("error").path("message").asText()).contains("transaction_id: was given 2 times");
        assertThat(results.requests).isEmpty();
        assertThat(logLine().path("level").asText()).isEqualTo("WARN");
    }

    @Test
    void aLimitOutOfRangeIs400() {
        APIGatewayProxyResponseEvent response = handle("sns-bad-limit.json");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).path("error").path("details").get(0).path("field").asText()).isEqualTo("limit");
        assertThat(logLine().path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void healthIsUpWithoutCallingDownstream() {
        results.failing(new UnavailableException("down", null));
        APIGatewayProxyResponseEvent response = handle("health.json");
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(Json.readTree(
                "{\"success\":true,\"status\":\"UP\",\"function\":\"dev-query-lambda\"}"));
        assertThat(results.requests).isEmpty();
    }

    @Test
    void aPostOnAQueryRouteIs405WithAllowHeader() {
        APIGatewayProxyResponseEvent response = handle("post-query-user.json");
        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET");
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(results.requests).isEmpty();
    }

    @Test
    void anUnknownPathBehindAProxyResourceIs404() {
        APIGatewayProxyResponseEvent response = handle("proxy-unknown-path.json");
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).doesNotContainKey("Allow");
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(body(response).path("error").path("message").asText()).contains("/query/nothing");
        assertThat(logLine().has("route")).isFalse();
    }

    @Test
    void downstreamDownIs503AndTheReasonIsLoggedNotAnswered() {
        results.failing(new UnavailableException("function dev-query-result failed (Unhandled): NPE", null));
        APIGatewayProxyResponseEvent response = handle("query-marketing.json");
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(body(response)).isEqualTo(Json.readTree("{\"success\":false,\"error\":{\"code\":\"UNAVAILABLE\","
                + "\"message\":\"" + QueryApiService.UNAVAILABLE_MESSAGE + "\"}}"));
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        JsonNode log = logLine();
        assertThat(log.path("level").asText()).isEqualTo("ERROR");
        assertThat(log.path("error").asText()).contains("(Unhandled): NPE");
        assertThat(log.path("api_request_id").asText()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    }

    @Test
    void theReadersOwnUnavailableAnswerIs503WithRetryAfter() {
        results.answering(QueryResponse.failure(ErrorBody.of(ErrorCode.UNAVAILABLE, "a backing service is unavailable now")));
        APIGatewayProxyResponseEvent response = handle("query-user.json");
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void aRefusedInvokeIs500AndTheLogNamesTheActionAndTheFunction() {
        results.failing(AwsFailure.of(AwsFailure.Kind.MISCONFIGURED, "lambda:InvokeFunction", "function/dev-query-result-lambda",
                "AccessDeniedException", 403, "not authorized").exception(null));
        APIGatewayProxyResponseEvent response = handle("query-marketing.json");
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getHeaders()).doesNotContainKey("Retry-After");
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(response.getBody()).doesNotContain("dev-query-result-lambda");
        JsonNode log = logLine();
        assertThat(log.path("level").asText()).isEqualTo("ERROR");
        assertThat(log.path("error").asText())
                .startsWith("lambda:InvokeFunction on function/dev-query-result-lambda failed: AccessDeniedException");
    }

    @Test
    void aDownstreamErrorIsPassedThrough() {
        results.answering(QueryResponse.failure(ErrorBody.of(ErrorCode.VALIDATION_ERROR, "cursor: is forged")));
        APIGatewayProxyResponseEvent response = handle("query-user.json");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).path("error").path("message").asText()).isEqualTo("cursor: is forged");
    }

    @Test
    void anUnexpectedFailureIs500WithoutStackTrace() {
        results.failing(new IllegalStateException("boom in the reader"));
        APIGatewayProxyResponseEvent response = handle("query-user.json");
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(response.getBody()).doesNotContain("boom", "IllegalStateException", "at io.");
        assertThat(logLine().path("error").asText()).contains("IllegalStateException: boom in the reader");
        assertThat(logLine().path("stackTrace").isArray()).isTrue();
    }

    @Test
    void anErrorThrownDeepInsideIsStillAnAnswer() {
        QueryApiHandler broken = new QueryApiHandler(new QueryRouter(new QueryApiService(q -> {
            throw new ExceptionInInitializerError("static init failed");
        }), "dev-query-lambda"));
        assertThat(broken.handleRequest(event("query-user.json"), context).getStatusCode()).isEqualTo(500);
        assertThat(logLine().path("error").asText()).contains("ExceptionInInitializerError: static init failed");
    }

    @Test
    void aNullOrEmptyEventIs404() {
        assertThat(handler.handleRequest(null, context).getStatusCode()).isEqualTo(404);
        assertThat(handler.handleRequest(new APIGatewayProxyRequestEvent(), context).getStatusCode()).isEqualTo(404);
        assertThat(context.lines).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"status\":404"));
    }

    @Test
    void theResourceIsUsedWhenThePathIsMissing() {
        APIGatewayProxyRequestEvent e = event("query-marketing.json").withPath(null);
        assertThat(handler.handleRequest(e, context).getStatusCode()).isEqualTo(200);
        APIGatewayProxyRequestEvent proxy = event("proxy-unknown-path.json").withPath(null);
        assertThat(handler.handleRequest(proxy, context).getStatusCode()).isEqualTo(404);
    }

    @Test
    void theResponseSerialisesToTheProxyResponseShape() {
        APIGatewayProxyResponseEvent response = handle("health.json");
        PojoSerializer<APIGatewayProxyResponseEvent> serializer = LambdaEventSerializers
                .serializerFor(APIGatewayProxyResponseEvent.class, getClass().getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(response, out);
        JsonNode json = Json.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.path("statusCode").asInt()).isEqualTo(200);
        assertThat(json.path("isBase64Encoded").asBoolean(true)).isFalse();
        assertThat(json.path("headers").path("Content-Type").asText()).startsWith("application/json");
        assertThat(Json.readTree(json.path("body").asText()).path("status").asText()).isEqualTo("UP");
    }

    // ---- what the Lambda runtime needs of the handler class

    @Test
    void theHandlerHasWhatTheRuntimeCalls() throws Exception {
        assertThat(Modifier.isPublic(QueryApiHandler.class.getModifiers())).isTrue();
        assertThat(Modifier.isAbstract(QueryApiHandler.class.getModifiers())).isFalse();
        assertThat(Modifier.isPublic(QueryApiHandler.class.getConstructor().getModifiers())).isTrue();
        Method method = QueryApiHandler.class.getMethod("handleRequest",
                APIGatewayProxyRequestEvent.class, Context.class);
        assertThat(method.getReturnType()).isEqualTo(APIGatewayProxyResponseEvent.class);
        Type handlerInterface = Arrays.stream(QueryApiHandler.class.getGenericInterfaces())
                .filter(t -> t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class)
                .findFirst().orElseThrow();
        assertThat(((ParameterizedType) handlerInterface).getActualTypeArguments())
                .containsExactly(APIGatewayProxyRequestEvent.class, APIGatewayProxyResponseEvent.class);
        assertThat(LambdaEventSerializers.isLambdaSupportedEvent(APIGatewayProxyRequestEvent.class.getName())).isTrue();
    }

    @Test
    void theNoArgConstructorWithoutConfigurationFailsTheInitPhaseNamingTheVariable() {
        Assumptions.assumeTrue(System.getenv("QUERY_RESULT_FUNCTION") == null);
        org.assertj.core.api.Assertions.assertThatThrownBy(QueryApiHandler::new)
                .isInstanceOf(io.pushcqrs.lambda.Env.MissingVariableException.class)
                .hasMessageContaining("QUERY_RESULT_FUNCTION is not set");
    }
}
