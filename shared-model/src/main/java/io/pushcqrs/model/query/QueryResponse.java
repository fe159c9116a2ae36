package io.pushcqrs.model.query;

import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.error.ErrorBody;

import java.util.List;

/**
 * query-result-lambda's answer: a page of views newest first and the cursor of the next page
 * (null on the last page), or an error (success=false) such as VALIDATION_ERROR for a forged cursor.
 */
public record QueryResponse(boolean success, List<NotificationView> items, String nextCursor, ErrorBody error) {
    public static QueryResponse page(List<NotificationView> items, String nextCursor) {
        return new QueryResponse(true, List.copyOf(items), nextCursor, null);
    }

    public static QueryResponse failure(ErrorBody error) {
        return new QueryResponse(false, List.of(), null, error);
    }
}
