package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.NotificationView;

import java.util.List;

/**
 * A page as the service assembled it.
 *
 * @param items      the views, newest first
 * @param nextCursor the cursor of the next page, null on the last page
 * @param rounds     how many DynamoDB Queries it took
 * @param skipped    view items that could not be mapped and were left out (to be logged)
 */
public record QueryPage(List<NotificationView> items, String nextCursor, int rounds, List<SkippedItem> skipped) {
    public QueryPage {
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
    }

    /** A stored view item that could not be read, named by its key. */
    public record SkippedItem(String userId, String viewSk, String reason) {
    }
}
