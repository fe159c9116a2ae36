package io.pushcqrs.query.app;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.http.ApiAnswer;
import io.pushcqrs.model.query.QueryRequest;

import java.util.Locale;

/**
 * Routes a request: GET only; an unknown path is a 404 NOT_FOUND, a known path with another
 * method a 405 METHOD_NOT_ALLOWED; {@code /health} answers at once without the data reader;
 * every other route reads its parameters into a {@link QueryRequest} (400 on any bad one) and
 * hands it to the {@link QueryApiService}.
 */
public final class QueryRouter {
    public static final String HEALTH_PATH = "/health";
    public static final String ALLOWED_METHOD = "GET";
    private static final int MAX_ECHO = 128;

    private final QueryApiService service;
    private final String functionName;

    public QueryRouter(QueryApiService service, String functionName) {
        this.service = service;
        this.functionName = functionName;
    }

    /** The body of {@code GET /health}. */
    public record Health(boolean success, String status, String function) {
    }

    public QueryOutcome handle(ApiRequest request) {
        String path = resolve(request.path(), request.stage());
        if (path == null) {
            return QueryOutcome.error(null, ErrorBody.of(ErrorCode.NOT_FOUND,
                    "no route " + echo(request.path()) + " (routes: " + HEALTH_PATH + ", /query/user, "
                            + "/query/marketing, /query/failures, /tx, /sns)"), null);
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        if (!ALLOWED_METHOD.equals(method)) {
            return QueryOutcome.error(path, ErrorBody.of(ErrorCode.METHOD_NOT_ALLOWED,
                    "method " + echo(request.method()) + " is not allowed on " + path + " (allowed: GET)"), null);
        }
        if (HEALTH_PATH.equals(path)) {
            return QueryOutcome.ok(path, ApiAnswer.json(200, new Health(true, "UP", functionName)), null);
        }
        QueryRoute route = QueryRoute.byPath(path).orElseThrow();
        QueryRequest query;
        try {
            query = route.toRequest(new QueryParameters(request.query()));
        } catch (ApiException e) {
            return QueryOutcome.error(path, e);
        }
        return service.execute(path, query);
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
