package io.pushcqrs.model.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result of one comparison of command-records with notification-records.
 *
 * @param commands          command items scanned
 * @param views             view items scanned
 * @param matched           commands whose view is present and equal
 * @param missing           commands with no view
 * @param stale             views that differ from their command
 * @param orphan            views with no command
 * @param unmappable        command items that cannot be projected (poison records)
 * @param viewsOfUnmappable views found at the key of an unmappable command (not compared)
 * @param tombstones        tombstones among the view items (deleted views, kept until their TTL: not a problem)
 * @param elapsed           how long the scans took
 */
public record SyncReport(String commandTable, String notificationTable, long commands, long views, long matched,
                         Category missing, Category stale, Category orphan, Category unmappable,
                         long viewsOfUnmappable, long tombstones, Duration elapsed) {

    public boolean inSync() {
        return problems() == 0;
    }

    public long problems() {
        return missing.count() + stale.count() + orphan.count() + unmappable.count();
    }

    public List<Category> categories() {
        return List.of(missing, stale, orphan, unmappable);
    }

    /** The human report. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "command-records       %-32s %d items%n", commandTable, commands));
        sb.append(String.format(Locale.ROOT, "notification-records  %-32s %d items (%d tombstones)%n", notificationTable,
                views, tombstones));
        sb.append(String.format(Locale.ROOT, "in sync     %d%n", matched));
        for (Category c : categories()) {
            sb.append(String.format(Locale.ROOT, "%-11s %d%n", c.name(), c.count()));
            for (Finding f : c.examples()) {
                sb.append("  - ").append(describe(f)).append(System.lineSeparator());
            }
            if (c.count() > c.examples().size()) {
                sb.append("  ... and ").append(c.count() - c.examples().size()).append(" more")
                        .append(System.lineSeparator());
            }
        }
        if (viewsOfUnmappable > 0) {
            sb.append("(").append(viewsOfUnmappable).append(" view(s) at the key of an unmappable command not compared)")
                    .append(System.lineSeparator());
        }
        sb.append(inSync() ? "IN SYNC" : "OUT OF SYNC (" + problems() + " problem" + (problems() == 1 ? "" : "s") + ")")
                .append(String.format(Locale.ROOT, "  (scanned in %.1f s)", elapsed.toMillis() / 1000.0))
                .append(System.lineSeparator());
        return sb.toString();
    }

    static String describe(Finding f) {
        List<String> parts = new ArrayList<>();
        parts.add(f.transactionId() == null ? "(no transaction_id)" : f.transactionId());
        if (f.createdAt() != null) {
            parts.add("created_at " + f.createdAt());
        }
        if (f.userId() != null) {
            parts.add("user " + f.userId());
        }
        return String.join(", ", parts) + ": " + f.detail();
    }

    /** The report as JSON. */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("in_sync", inSync());
        root.put("command_table", commandTable);
        root.put("notification_table", notificationTable);
        root.put("commands", commands);
        root.put("views", views);
        root.put("matched", matched);
        for (Category c : categories()) {
            ObjectNode cat = root.putObject(c.name());
            cat.put("count", c.count());
            ArrayNode examples = cat.putArray("examples");
            c.examples().forEach(f -> examples.add(Json.MAPPER.valueToTree(f)));
        }
        root.put("views_of_unmappable", viewsOfUnmappable);
        root.put("tombstones", tombstones);
        root.put("elapsed_ms", elapsed.toMillis());
        return root;
    }
}
