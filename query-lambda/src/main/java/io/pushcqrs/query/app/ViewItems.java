package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.json.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The item shape of query answers: the notification's snake_case fields flat, then
 * {@code source_version}; every epoch-ms time field present gets an ISO-8601 UTC twin right after
 * it, named {@code <field>_iso} (always with milliseconds: {@code 2026-11-26T10:00:00.000Z}).
 */
public final class ViewItems {
    /** The epoch-millisecond fields that get an {@code _iso} twin. */
    public static final List<String> TIME_FIELDS =
            List.of(Attr.CREATED_AT, Attr.SEND_TS, Attr.DELIVERED_TS, Attr.FAILED_TS);
    public static final String ISO_SUFFIX = "_iso";

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ViewItems() {
    }

    public static ObjectNode toItem(NotificationView view) {
        ObjectNode fields = Json.MAPPER.valueToTree(view.notification());
        ObjectNode item = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            item.set(field.getKey(), field.getValue());
            if (TIME_FIELDS.contains(field.getKey()) && field.getValue().isIntegralNumber()
                    && field.getValue().canConvertToLong()) {
                item.put(field.getKey() + ISO_SUFFIX, iso(field.getValue().longValue()));
            }
        }
        if (view.sourceVersion() != null) {
            item.put(Attr.SOURCE_VERSION, view.sourceVersion());
        }
        return item;
    }

    /** Epoch milliseconds as an ISO-8601 UTC instant with millisecond precision. */
    public static String iso(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis));
    }
}
