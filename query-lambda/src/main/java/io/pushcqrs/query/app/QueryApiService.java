package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.http.ApiAnswer;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The query business service: asks the data reader for one page and shapes the answer.
 * <ul>
 *   <li>a page -> 200 {@code {"success":true,"count":N,"items":[...],"next_cursor":"..."}}
 *       (next_cursor left out on the last page), items as {@link ViewItems} makes them;</li>
 *   <li>an error answer of the reader (success=false) -> passed through with its code's status;</li>
 *   <li>reader unavailable or its answer malformed -> 503 UNAVAILABLE (the reason goes to the log only);</li>
 *   <li>the invoke refused (AccessDenied, unknown function) -> 500 INTERNAL_ERROR, its action and resource logged.</li>
 * </ul>
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

    public QueryOutcome execute(String route, QueryRequest request) {
        QueryResponse response;
        try {
            response = results.fetch(request);
        } catch (DownstreamUnavailable e) {
            return unavailable(route, e.getMessage());
        } catch (ApiException e) {
            // an AWS call that failed for another reason: its code's answer; the log gets the action and resource
            return QueryOutcome.error(route, e.toBody(), e.getMessage());
        }
        if (response == null) {
            return unavailable(route, "query-result answered no response");
        }
        if (!response.success()) {
            ErrorBody error = response.error();
            if (error == null || error.code() == null) {
                return unavailable(route, "query-result answered success=false without an error code");
            }
            return QueryOutcome.error(route, error, "query-result answered " + error.code() + ": " + error.message());
        }
        List<NotificationView> views = response.items() == null ? List.of() : response.items();
        List<ObjectNode> items = new ArrayList<>(views.size());
        for (NotificationView view : views) {
            if (view == null || view.notification() == null) {
                return unavailable(route, "query-result answered an item without a notification");
            }
            items.add(ViewItems.toItem(view));
        }
        Page page = new Page(true, items.size(), items, response.nextCursor());
        return QueryOutcome.ok(route, ApiAnswer.json(200, page), items.size());
    }

    private static QueryOutcome unavailable(String route, String detail) {
        return QueryOutcome.error(route, ErrorBody.of(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE), detail);
    }
}
