package io.pushcqrs.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.http.ApiAnswer;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.query.adapter.LambdaInvokeQueryResults;
import io.pushcqrs.query.app.ApiRequest;
import io.pushcqrs.query.app.QueryApiService;
import io.pushcqrs.query.app.QueryOutcome;
import io.pushcqrs.query.app.QueryRouter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * API Gateway (REST, proxy integration) handler of the query routes and /health. Thin: event ->
 * {@link ApiRequest} -> {@link QueryRouter} -> proxy response; one JSON log line per request.
 * Nothing escapes: an unexpected failure is a 500 INTERNAL_ERROR with the error JSON, never a
 * stack trace to the caller.
 */
public class QueryApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    static final String INTERNAL_MESSAGE = "internal error; the request id is in the function's log";

    private final QueryRouter router;

    /** The constructor the Lambda runtime calls: the reader named by QUERY_RESULT_FUNCTION. */
    public QueryApiHandler() {
        this(new QueryRouter(new QueryApiService(LambdaInvokeQueryResults.fromEnvironment()),
                Schema.env("AWS_LAMBDA_FUNCTION_NAME", "query-lambda")));
    }

    public QueryApiHandler(QueryRouter router) {
        this.router = router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long start = System.nanoTime();
        ApiRequest request = toRequest(event);
        QueryOutcome outcome;
        try {
            outcome = router.handle(request);
        } catch (RuntimeException | Error e) {
            outcome = QueryOutcome.error(null, ErrorBody.of(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE),
                    e.getClass().getName() + ": " + e.getMessage() + at(e));
        }
        log(context, event, request, outcome, (System.nanoTime() - start) / 1_000_000);
        // Every 503 (the reader unavailable, or its own UNAVAILABLE answer) carries Retry-After.
        Map<String, String> headers = new HashMap<>(ApiAnswer.headersFor(outcome.status()));
        if (outcome.status() == ErrorCode.METHOD_NOT_ALLOWED.httpStatus()) {
            headers.put("Allow", QueryRouter.ALLOWED_METHOD);
        }
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(outcome.status())
                .withHeaders(headers)
                .withBody(outcome.answer().body())
                .withIsBase64Encoded(false);
    }

    /** The event as the router sees it; multi-valued parameters win over the single-valued map. */
    static ApiRequest toRequest(APIGatewayProxyRequestEvent event) {
        if (event == null) {
            return new ApiRequest(null, null, null, Map.of());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((k, v) -> query.put(k, v == null ? List.of() : List.of(v)));
        }
        if (event.getMultiValueQueryStringParameters() != null) {
            event.getMultiValueQueryStringParameters().forEach((k, v) -> query.put(k, v == null ? List.of() : v));
        }
        String path = event.getPath() != null ? event.getPath()
                : event.getResource() != null && !event.getResource().contains("{") ? event.getResource() : null;
        String stage = event.getRequestContext() == null ? null : event.getRequestContext().getStage();
        return new ApiRequest(event.getHttpMethod(), path, stage, query);
    }

    /** One line per request: ids, route, status, count, error and why; never headers, keys or cursors. */
    private static void log(Context context, APIGatewayProxyRequestEvent event, ApiRequest request,
                            QueryOutcome outcome, long millis) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", outcome.status() >= 500 ? "ERROR" : outcome.status() >= 400 ? "WARN" : "INFO");
        line.put("msg", "query-api");
        put(line, "request_id", context == null ? null : context.getAwsRequestId());
        put(line, "api_request_id", event == null || event.getRequestContext() == null ? null
                : event.getRequestContext().getRequestId());
        put(line, "method", request.method());
        put(line, "path", request.path());
        put(line, "route", outcome.route());
        if (!request.query().isEmpty()) {
            line.put("params", List.copyOf(request.query().keySet()));
        }
        line.put("status", outcome.status());
        put(line, "count", outcome.count());
        put(line, "error", outcome.errorCode());
        put(line, "detail", outcome.detail());
        line.put("duration_ms", millis);
        String text;
        try {
            text = Json.write(line);
        } catch (RuntimeException e) {
            text = "{\"msg\":\"query-api\",\"status\":" + outcome.status() + "}";
        }
        sink(context).accept(text);
    }

    private static Consumer<String> sink(Context context) {
        if (context != null && context.getLogger() != null) {
            return line -> context.getLogger().log(line + "\n");
        }
        return System.out::println;
    }

    private static void put(Map<String, Object> line, String key, Object value) {
        if (value != null) {
            line.put(key, value);
        }
    }

    private static String at(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0];
    }
}
