package io.pushcqrs.query.app;

import io.pushcqrs.lambda.http.ApiAnswer;
import io.pushcqrs.lambda.http.HttpRequest;
import io.pushcqrs.lambda.http.MethodNotAllowedException;
import io.pushcqrs.lambda.http.Router;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.query.QueryRequest;

import java.util.List;

/**
 * Routes a request: GET only; an unknown path is a 404 NOT_FOUND, a known path with another
 * method a 405 METHOD_NOT_ALLOWED; {@code /health} answers at once without the data reader;
 * every other route reads its parameters into a {@link QueryRequest} (400 on any bad one) and
 * hands it to the {@link QueryApiService}. Errors are exceptions, answered by the toolkit's
 * {@link io.pushcqrs.lambda.http.HttpApi}; command-lambda's CommandRouter has the same shape.
 */
public final class QueryRouter implements Router {
    public static final String HEALTH_PATH = "/health";
    public static final String ALLOWED_METHOD = "GET";
    private static final int MAX_ECHO = 128;

    private final QueryApiService service;
    private final String functionName;

    public QueryRouter(QueryApiService service, String functionName) {
        this.service = service;
        this.functionName = functionName;
    }

    /**
     * The router of the function: the reader of QUERY_RESULT_FUNCTION (required) through Lambda Invoke, and the
     * function's own name for /health.
     */
    public static QueryRouter fromEnvironment(io.pushcqrs.lambda.Env env) {
        return new QueryRouter(new QueryApiService(io.pushcqrs.query.adapter.LambdaInvokeQueryResults.fromEnvironment(env)),
                env.optional("AWS_LAMBDA_FUNCTION_NAME", "query-lambda"));
    }

    /** The body of {@code GET /health}. */
    public record Health(boolean success, String status, String function) {
    }

    @Override
    public ApiAnswer route(HttpRequest request, Log.Line line) {
        if (!request.query().isEmpty()) {
            line.put("params", List.copyOf(request.query().keySet())); // the names only: never a value or a cursor
        }
        String raw = request.path() != null ? request.path()
                : request.resource() != null && !request.resource().contains("{") ? request.resource() : null;
        String path = resolve(raw, request.stage());
        if (path == null) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no route " + echo(raw) + " (routes: " + HEALTH_PATH
                    + ", /query/user, /query/marketing, /query/failures, /tx, /sns)");
        }
        if (!ALLOWED_METHOD.equals(request.upperMethod())) {
            line.put("route", path);
            throw new MethodNotAllowedException(echo(request.method()), path, ALLOWED_METHOD);
        }
        if (HEALTH_PATH.equals(path)) {
            line.put("route", path);
            return ApiAnswer.json(200, new Health(true, "UP", functionName));
        }
        line.put("route", path);
        QueryRequest query = QueryRoute.byPath(path).orElseThrow().toRequest(new QueryParameters(request.query()));
        return service.execute(path, query, line);
    }

    /**
     * The known route a path names, or null: a trailing slash is ignored, and a leading
     * {@code /{stage}} segment is stripped when the path carries it (custom domains, local stacks).
     */
    static String resolve(String path, String stage) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (isKnown(p)) {
            return p;
        }
        if (stage != null && !stage.isEmpty() && p.startsWith("/" + stage + "/")) {
            String stripped = p.substring(stage.length() + 1);
            if (isKnown(stripped)) {
                return stripped;
            }
        }
        return null;
    }

    private static boolean isKnown(String path) {
        return HEALTH_PATH.equals(path) || QueryRoute.byPath(path).isPresent();
    }

    private static String echo(String value) {
        if (value == null) {
            return "(none)";
        }
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }
}
