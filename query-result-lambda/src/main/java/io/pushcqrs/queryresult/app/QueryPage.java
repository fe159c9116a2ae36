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
 * @param bytes      what the items cost by {@link PageBudget#cost}
 * @param cutBySize  true when the page ended before its limit because the next item would not fit the budget
 */
public record QueryPage(List<NotificationView> items, String nextCursor, int rounds, List<SkippedItem> skipped,
                        long bytes, boolean cutBySize) {
    public QueryPage {
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
    }

    public QueryPage(List<NotificationView> items, String nextCursor, int rounds, List<SkippedItem> skipped) {
        this(items, nextCursor, rounds, skipped, 0, false);
    }

    /** A stored view item that could not be read, named by its key. */
    public record SkippedItem(String userId, String viewSk, String reason) {
    }
}
