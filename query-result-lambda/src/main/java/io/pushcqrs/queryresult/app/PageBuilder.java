package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The items of one page as the service takes them, in page order: a tombstone is passed over (the table's query
 * filters them out; no GSI holds one), an item the mapper cannot read is left out and reported but counts toward the
 * limit (so that paging moves past it), and an item that would take the page past its {@link PageBudget} is refused.
 */
final class PageBuilder {
    /** What became of an offered item. */
    enum Offer {
        /** On the page (or, unreadable, counted and reported). */
        TAKEN,
        /** A tombstone: consumed, not counted. */
        PASSED,
        /** It would pass the budget: not consumed, the page ends before it. */
        NO_ROOM
    }

    private final int limit;
    private final long budget;
    private final List<NotificationView> items = new ArrayList<>();
    private final List<QueryPage.SkippedItem> skipped = new ArrayList<>();
    private long bytes;
    private int taken;
    private boolean cut;

    PageBuilder(int limit, long budget) {
        this.limit = limit;
        this.budget = budget;
    }

    boolean full() {
        return taken >= limit;
    }

    int taken() {
        return taken;
    }

    Offer offer(Map<String, AttributeValue> item) {
        if (Tombstones.isTombstone(item)) {
            return Offer.PASSED;
        }
        NotificationView view;
        try {
            view = NotificationMapper.fromViewItem(item);
        } catch (MappingException e) {
            skipped.add(new QueryPage.SkippedItem(raw(item.get(Attr.USER_ID)), raw(item.get(Attr.VIEW_SK)), e.getMessage()));
            taken++;
            return Offer.TAKEN;
        }
        long cost = PageBudget.cost(view);
        if (!items.isEmpty() && bytes + cost > budget) {
            // the answer would not fit Lambda's response limit: the page ends before this item
            cut = true;
            return Offer.NO_ROOM;
        }
        bytes += cost;
        taken++;
        items.add(view);
        return Offer.TAKEN;
    }

    QueryPage page(String nextCursor, int rounds) {
        return new QueryPage(items, nextCursor, rounds, skipped, bytes, cut);
    }

    private static String raw(AttributeValue value) {
        if (value == null) {
            return null;
        }
        return value.s() != null ? value.s() : value.n() != null ? value.n() : String.valueOf(value);
    }
}
