package io.pushcqrs.ops.rebuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.sync.Category;
import io.pushcqrs.model.sync.Finding;

import java.util.List;
import java.util.Locale;

/** What a rebuild did (or, in a dry run, would do). */
public record RebuildReport(String commandTable, String notificationTable, Rebuilder.Options options,
                           RebuildCounts counts, Category skippedDiffers, Category skippedNewer, Category unmappable,
                           Category orphans) {

    /** True when every command has its projection (nothing left differing, nothing unmappable). */
    public boolean complete() {
        return counts.skippedDiffers == 0 && counts.unmappable == 0;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        String would = options.dryRun() ? "would write" : "written";
        if (options.dryRun()) {
            sb.append("DRY RUN: nothing was written").append(nl);
        }
        sb.append("rebuild ").append(commandTable).append(" -> ").append(notificationTable).append(nl);
        sb.append(String.format(Locale.ROOT, "commands scanned  %d%n", counts.commandsScanned));
        sb.append(String.format(Locale.ROOT, "%-17s %d (new %d, replaced older %d, forced %d)%n", would,
                counts.written(), counts.created, counts.replacedOlder, counts.forced));
        if (counts.replacedTombstones > 0) {
            sb.append(String.format(Locale.ROOT, "%-17s %d (deleted more than %d h ago, command re-created)%n",
                    "over tombstones", counts.replacedTombstones, Tombstones.STREAM_RETENTION.toHours()));
        }
        if (counts.rekeyed > 0) {
            sb.append(String.format(Locale.ROOT, "%-17s %d (same data, index keys of another layout)%n", "re-keyed",
                    counts.rekeyed));
        }
        sb.append(String.format(Locale.ROOT, "unchanged         %d%n", counts.unchanged));
        section(sb, "skipped-newer", counts.skippedNewer, skippedNewer);
        section(sb, "skipped-differs", counts.skippedDiffers, skippedDiffers);
        section(sb, "unmappable", counts.unmappable, unmappable);
        if (options.deleteOrphans()) {
            sb.append(String.format(Locale.ROOT, "views scanned     %d (tombstones %d)%n", counts.viewsScanned,
                    counts.tombstones));
            section(sb, options.dryRun() ? "orphans to delete" : "orphans deleted", counts.orphansDeleted, orphans);
            if (counts.orphansChanged > 0) {
                sb.append(String.format(Locale.ROOT, "orphans kept      %d (changed while rebuilding)%n",
                        counts.orphansChanged));
            }
        }
        if (counts.nothingChanged()) {
            sb.append(options.dryRun() ? "nothing to do: the read side matches command-records"
                    : "nothing changed: the read side already matched command-records").append(nl);
        }
        if (counts.skippedDiffers > 0) {
            sb.append(counts.skippedDiffers).append(" view(s) differ and were kept: rerun with --force to overwrite them")
                    .append(nl);
        }
        if (counts.unmappable > 0) {
            sb.append(counts.unmappable).append(" command item(s) cannot be projected: fix or remove them").append(nl);
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String name, long count, Category c) {
        sb.append(String.format(Locale.ROOT, "%-17s %d%n", name, count));
        for (Finding f : c.examples()) {
            sb.append("  - ").append(f.transactionId()).append(f.userId() == null ? "" : " (user " + f.userId() + ")")
                    .append(": ").append(f.detail()).append(System.lineSeparator());
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("dry_run", options.dryRun());
        n.put("command_table", commandTable);
        n.put("notification_table", notificationTable);
        n.set("counts", Json.MAPPER.valueToTree(counts));
        n.put("written", counts.written());
        n.put("nothing_changed", counts.nothingChanged());
        n.put("complete", complete());
        ObjectNode examples = n.putObject("examples");
        for (Category c : List.of(skippedNewer, skippedDiffers, unmappable, orphans)) {
            ArrayNode a = examples.putArray(c.name().replace('-', '_'));
            c.examples().forEach(f -> a.add(Json.MAPPER.valueToTree(f)));
        }
        return n;
    }
}
