package io.pushcqrs.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown summary of a bench result (the JSON's tree), with the goals of docs/benchmarks.md checked. */
public final class BenchMarkdown {
    private BenchMarkdown() {
    }

    /** One goal: what, the limit, the measured value (null: not measured), and whether it is met. */
    public record Goal(String what, String limit, String measured, Boolean met) {
    }

    /** The goals of issue 13 against a result: light sync p50/p99, projection ratio, burst lag, query ratio, start-up. */
    public static List<Goal> goals(JsonNode r) {
        List<Goal> goals = new ArrayList<>();
        JsonNode sync = r.at("/sync_light/sync");
        goals.add(atMost("sync latency at light load, p50", sync.path("p50_ms"), 100, " ms"));
        goals.add(atMost("sync latency at light load, p99", sync.path("p99_ms"), 300, " ms"));
        JsonNode ratio = r.at("/sustained/ratio_to_raw");
        goals.add(ratio.isNumber()
                ? new Goal("projection rate / raw write rate", ">= 0.45", fmt(ratio.asDouble()), ratio.asDouble() >= 0.45)
                : new Goal("projection rate / raw write rate", ">= 0.45", null, null));
        goals.add(atMost("burst caught up after its last write", r.at("/burst/caught_up_after_last_write_ms"), 5000, " ms"));
        JsonNode q = r.at("/query/p50_ratio");
        goals.add(q.isNumber()
                ? new Goal("API vs direct query, p50", "<= 1.3", fmt(q.asDouble()), q.asDouble() <= 1.3)
                : new Goal("API vs direct query, p50", "<= 1.3", null, null));
        goals.add(atMost("start-up to first query", r.at("/startup/to_first_query_ms"), 10_000, " ms"));
        goals.add(atMost("first command visible after start-up", r.at("/startup/first_command_visible_ms"), 2000, " ms"));
        return goals;
    }

    private static Goal atMost(String what, JsonNode value, long limit, String unit) {
        if (!value.isNumber()) {
            return new Goal(what, "<= " + limit + unit, null, null);
        }
        return new Goal(what, "<= " + limit + unit, value.asLong() + unit, value.asLong() <= limit);
    }

    public static String render(JsonNode r, String jsonFile) {
        StringBuilder b = new StringBuilder();
        b.append("# bench ").append(r.path("name").asText()).append(", ").append(r.path("date").asText()).append("\n\n");
        b.append("`").append(r.path("command").asText()).append("`; ").append(r.path("config").asText()).append(".\n");
        JsonNode machine = r.path("machine");
        b.append(machine.path("cores").asInt()).append(" cores, Java ").append(machine.path("java").asText())
                .append(", load average ").append(machine.path("load_average_at_start").asText()).append(" at the start, ")
                .append(machine.path("load_average_at_end").asText("-")).append(" at the end")
                .append(". Every number: [").append(jsonFile).append("](").append(jsonFile).append(").\n\n");

        b.append("## Goals\n\n| goal | limit | measured | |\n|---|---|---|---|\n");
        for (Goal g : goals(r)) {
            b.append("| ").append(g.what()).append(" | ").append(g.limit()).append(" | ")
                    .append(g.measured() == null ? "not measured" : g.measured()).append(" | ")
                    .append(g.met() == null ? "" : g.met() ? "met" : "NOT met").append(" |\n");
        }

        b.append("\n## Sync latency (acknowledged -> visible), ms\n\n| load | count | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n");
        row(b, "light (one at a time)", r.at("/sync_light/sync"));
        row(b, "saturating (during the sustained burst)", r.at("/sustained/sync_saturated"));
        row(b, "POST /commands itself (light)", r.at("/sync_light/post"));

        b.append("\n## Write and projection rates\n\n| what | commands | writes/s | projected/s | caught up after the last write |\n|---|---|---|---|---|\n");
        JsonNode raw = r.path("raw_writes");
        b.append("| raw PutItem, plain table | ").append(raw.path("count").asText("-")).append(" | ")
                .append(raw.path("rate_per_s").asText("-")).append(" | | |\n");
        for (String part : new String[] {"burst", "sustained"}) {
            JsonNode p = r.path(part);
            b.append("| ").append(part).append(", PutItem into command-records | ").append(p.path("count").asText("-"))
                    .append(" | ").append(p.path("write_rate_per_s").asText("-")).append(" | ")
                    .append(p.path("projection_rate_per_s").asText("-")).append(" | ")
                    .append(p.has("caught_up_after_last_write_ms") ? p.get("caught_up_after_last_write_ms").asText() + " ms" : "-")
                    .append(" |\n");
        }
        if (r.at("/sustained/ratio_to_raw").isNumber()) {
            b.append("\nProjection rate / raw write rate: **").append(fmt(r.at("/sustained/ratio_to_raw").asDouble()))
                    .append("** (two backend writes a command: 0.5 is the limit).\n");
        }

        b.append("\n## Query, ms\n\n| path | count | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n");
        row(b, "GET /query/user through the API", r.at("/query/api"));
        row(b, "the same Query straight to DynamoDB", r.at("/query/direct"));
        b.append("\nRatio p50 ").append(r.at("/query/p50_ratio").asText("-")).append(", p99 ")
                .append(r.at("/query/p99_ratio").asText("-")).append(".\n");

        if (r.has("startup")) {
            b.append("\n## Start-up\n\n");
            b.append("Start to the first query answered: ").append(r.at("/startup/to_first_query_ms").asText("-"))
                    .append(" ms; the first command then visible ").append(r.at("/startup/first_command_visible_ms").asText("-"))
                    .append(" ms after its POST.\n");
        }
        if (r.has("invokes")) {
            b.append("\n## Invokes per function, ms\n\n| function | cold n | cold p50 | cold max | warm n | warm p50 | warm p99 |\n|---|---|---|---|---|---|---|\n");
            r.path("invokes").properties().forEach(e -> {
                JsonNode cold = e.getValue().path("cold");
                JsonNode warm = e.getValue().path("warm");
                b.append("| ").append(e.getKey()).append(" | ").append(cold.path("count").asText("0")).append(" | ")
                        .append(cold.path("p50_ms").asText("-")).append(" | ").append(cold.path("max_ms").asText("-"))
                        .append(" | ").append(warm.path("count").asText("0")).append(" | ")
                        .append(warm.path("p50_ms").asText("-")).append(" | ").append(warm.path("p99_ms").asText("-"))
                        .append(" |\n");
            });
        }
        if (r.path("jars").size() > 0) {
            b.append("\n## Jars\n\n| jar | bytes | MiB |\n|---|---|---|\n");
            r.path("jars").properties().forEach(e -> b.append("| ").append(e.getKey()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", e.getValue().asLong())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", e.getValue().asLong() / 1048576.0)).append(" |\n"));
        }
        JsonNode failures = r.path("failures");
        if (failures.size() > 0) {
            b.append("\n## Failures\n\n");
            failures.forEach(f -> b.append("- ").append(f.asText()).append("\n"));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String what, JsonNode s) {
        b.append("| ").append(what).append(" | ").append(s.path("count").asText("0")).append(" | ")
                .append(s.path("p50_ms").asText("-")).append(" | ").append(s.path("p90_ms").asText("-")).append(" | ")
                .append(s.path("p99_ms").asText("-")).append(" | ").append(s.path("max_ms").asText("-")).append(" |\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
