package io.pushcqrs.ops.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;

import java.util.ArrayList;
import java.util.List;

/** What a replay of the on-failure queue did (or, in a dry run, would do). */
public final class ReplayReport {
    final boolean dryRun;
    int messages;
    int replayed;
    int current;
    int deleted;
    final List<String> replayedItems = new ArrayList<>();
    final List<String> failing = new ArrayList<>();

    ReplayReport(boolean dryRun) {
        this.dryRun = dryRun;
    }

    void count(DlqReplayer.Outcome o, DlqReplayer.Target t) {
        if (o == DlqReplayer.Outcome.REPLAYED) {
            replayed++;
            replayedItems.add(t.transactionId() + "/" + t.createdAt());
        } else {
            current++;
        }
    }

    void failing(String messageId, String reason) {
        failing.add("message " + messageId + ": " + reason);
    }

    public int stillFailing() {
        return failing.size();
    }

    public int replayed() {
        return replayed;
    }

    public int current() {
        return current;
    }

    public int messages() {
        return messages;
    }

    public int deleted() {
        return deleted;
    }

    /** The summary, for a person. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(dryRun ? "replay-dlq (dry run: nothing written or deleted)\n" : "replay-dlq\n");
        b.append(String.format("  %-25s %d%n", "messages read", messages));
        b.append(String.format("  %-25s %d%n", dryRun ? "would be replayed" : "replayed", replayed));
        b.append(String.format("  %-25s %d%n", "skipped, already current", current));
        b.append(String.format("  %-25s %d%n", "still failing", failing.size()));
        b.append(String.format("  %-25s %d%n", dryRun ? "messages kept" : "messages deleted", dryRun ? messages : deleted));
        replayedItems.stream().limit(10).forEach(i -> b.append("  ").append(dryRun ? "would replay " : "replayed ")
                .append(i).append('\n'));
        failing.forEach(f -> b.append("  still failing: ").append(f).append('\n'));
        return b.toString();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("dry_run", dryRun);
        o.put("messages", messages);
        o.put("replayed", replayed);
        o.put("already_current", current);
        o.put("still_failing", failing.size());
        o.put("deleted", deleted);
        o.putPOJO("failing", failing);
        return o;
    }
}
