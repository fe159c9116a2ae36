package io.pushcqrs.queryresult;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What query-lambda makes of a page, for size checks: its API Gateway proxy response, the items flat with an
 * {@code <field>_iso} twin after each time field and source_version, the page as the body string. Written in the
 * worst case: every non-ASCII character escaped as <code>&#92;uXXXX</code> (the Lambda Java runtime escapes supplementary
 * characters so), so the size is an upper bound of what AWS counts against the 6 MB response limit.
 */
public final class ProxyResponses {
    private static final List<String> TIME_FIELDS = List.of("created_at", "send_ts", "delivered_ts", "failed_ts");

    private ProxyResponses() {
    }

    public static int bytes(List<NotificationView> views, String nextCursor) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (NotificationView view : views) {
            ObjectNode fields = Json.MAPPER.valueToTree(view.notification());
            ObjectNode item = items.addObject();
            for (Map.Entry<String, JsonNode> f : fields.properties()) {
                item.set(f.getKey(), f.getValue());
                if (TIME_FIELDS.contains(f.getKey())) {
                    item.put(f.getKey() + "_iso", Instant.ofEpochMilli(f.getValue().longValue()).toString());
                }
            }
            if (view.sourceVersion() != null) {
                item.put("source_version", view.sourceVersion());
            }
        }
        ObjectNode page = Json.MAPPER.createObjectNode();
        page.put("success", true);
        page.put("count", views.size());
        page.set("items", items);
        if (nextCursor != null) {
            page.put("next_cursor", nextCursor);
        }
        ObjectNode proxy = Json.MAPPER.createObjectNode();
        proxy.put("statusCode", 200);
        proxy.putObject("headers").put("Content-Type", "application/json; charset=utf-8").put("Cache-Control", "no-store");
        proxy.put("body", Json.write(page));
        proxy.put("isBase64Encoded", false);
        try {
            return Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(proxy)
                    .getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
