package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.lambda.http.ApiAnswer;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The query business service: asks the data reader for one page and shapes the answer.
 * <ul>
 *   <li>a page -> 200 {@code {"success":true,"count":N,"items":[...],"next_cursor":"..."}}
 *       (next_cursor left out on the last page), items as {@link ViewItems} makes them;</li>
 *   <li>an error answer of the reader (success=false) -> passed through with its code's status ({@link ReaderError});</li>
 *   <li>reader unavailable or its answer malformed -> 503 UNAVAILABLE (the reason goes to the log only);</li>
 *   <li>the invoke refused (AccessDenied, unknown function) -> 500 INTERNAL_ERROR, its action and resource logged.</li>
 * </ul>
 * Errors are exceptions (the toolkit's error flow answers them).
 */
public final class QueryApiService {
    public static final String UNAVAILABLE_MESSAGE = "the query service is unavailable, try again later";

    private final QueryResults results;

    public QueryApiService(QueryResults results) {
        this.results = results;
    }

    /** The answer of one page. */
    public record Page(boolean success, int count, List<ObjectNode> items, String nextCursor) {
    }

    /** The answer to one query on {@code route}; the log line gets the route and the count. */
    public ApiAnswer execute(String route, QueryRequest request, Log.Line line) {
        line.put("route", route);
        QueryResponse response;
        try {
            response = results.fetch(request);
        } catch (UnavailableException e) {
            throw unavailable(e.getMessage(), e.getCause());
        }
        if (response == null) {
            throw unavailable("query-result answered no response", null);
        }
        if (!response.success()) {
            ErrorBody error = response.error();
            if (error == null || error.code() == null) {
                throw unavailable("query-result answered success=false without an error code", null);
            }
            throw new ReaderError(error);
        }
        List<NotificationView> views = response.items() == null ? List.of() : response.items();
        List<ObjectNode> items = new ArrayList<>(views.size());
        for (NotificationView view : views) {
            if (view == null || view.notification() == null) {
                throw unavailable("query-result answered an item without a notification", null);
            }
            items.add(ViewItems.toItem(view));
        }
        line.put("count", items.size());
        return ApiAnswer.json(200, new Page(true, items.size(), items, response.nextCursor()));
    }

    private static UnavailableException unavailable(String reason, Throwable cause) {
        return new UnavailableException(UNAVAILABLE_MESSAGE, reason, cause);
    }
}
