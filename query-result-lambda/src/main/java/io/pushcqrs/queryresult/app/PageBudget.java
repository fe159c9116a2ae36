package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.json.Json;

/**
 * How many bytes of items a page may hold so that both answers that carry it stay under Lambda's 6 MB response
 * limit (docs/architecture.md, "Pages fit"): query-result-lambda's answer to query-lambda (the items as JSON), and
 * query-lambda's API Gateway proxy response, where the whole page is the {@code body} string, JSON-escaped once
 * more, and each item has up to four {@code <field>_iso} twins added.
 * <p>
 * The cost of an item is an upper bound of its size in the proxy response, computed from its JSON text as this
 * function writes it: every ASCII character counts 1, except {@code "} and <code>&#92;</code> which are escaped again in
 * the body string and count 2 (so a control character, already <code>&#92;u0001</code> here, counts 7: one stored byte
 * becomes seven response bytes, the worst growth there is); every non-ASCII UTF-16 unit counts 6, the size of a
 * <code>&#92;uXXXX</code> escape (the Lambda Java runtime escapes supplementary characters that way: 4 stored bytes become
 * 12), which also bounds its raw UTF-8 size (2 or 3 bytes). Add {@link #ITEM_OVERHEAD} for the {@code _iso} twins
 * and the separators. The answer to query-lambda is smaller than this cost (its bytes are the unescaped text).
 * <p>
 * {@link #DEFAULT_BUDGET} (5 MiB) leaves more than 1 MiB of the 6 MiB for what is not items: the proxy envelope,
 * headers, count and next_cursor (at most 2 KiB, escaped) take less than 8 KiB. One item alone never exceeds the
 * budget (a DynamoDB item is at most 400 KB, so its cost is at most 7 x 400 KB = 2.8 MB), so every page holds at
 * least one item and paging always progresses.
 */
public final class PageBudget {
    /** Lambda's synchronous response limit: 6 MB (6,291,456 bytes). */
    public static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
    /** The bytes of items a page may cost. */
    public static final long DEFAULT_BUDGET = 5L * 1024 * 1024;
    /**
     * Per item: four {@code ,"<field>_iso":"<instant>"} twins (each at most ~60 escaped bytes, for the largest
     * epoch millisecond a long holds) plus the comma between items.
     */
    public static final int ITEM_OVERHEAD = 256;

    private PageBudget() {
    }

    /** The upper bound of what one view adds to the proxy response. */
    public static long cost(NotificationView view) {
        return escapedCost(Json.write(view)) + ITEM_OVERHEAD;
    }

    /** The upper bound of the size of {@code json} written again inside a JSON string (see the class comment). */
    static long escapedCost(String json) {
        long cost = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x80 || c < 0x20) {
                cost += 6;
            } else if (c == '"' || c == '\\') {
                cost += 2;
            } else {
                cost += 1;
            }
        }
        return cost;
    }
}
