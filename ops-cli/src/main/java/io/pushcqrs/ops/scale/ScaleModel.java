package io.pushcqrs.ops.scale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.scale.Samples.Kind;
import io.pushcqrs.ops.scale.TransitionCosts.Transition;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model behind docs/scaling.md: per-command costs from the real items, the capacity and cost at 1k, 10k and 100k
 * notifications a second, and the scenarios simulated in both key layouts. {@link #toJson} and {@link #toMarkdown}
 * write the result file and its summary.
 */
public final class ScaleModel {
    /** The rates of the capacity table. */
    public static final double[] RATES = {1_000, 10_000, 100_000};

    public record ScenarioResults(Scenario scenario, Simulation.Result before, Simulation.Result after) {
    }

    private final Mix mix;
    private final Prices prices;
    private final Capacity.Functions functions;
    private final Map<Layout, Map<Kind, TransitionCosts>> costs = new EnumMap<>(Layout.class);
    private final Map<Kind, TransitionCosts> keysOnlyTransactions = new EnumMap<>(Kind.class);
    private final List<Capacity.AtRate> capacity = new ArrayList<>();
    private final List<ScenarioResults> scenarios = new ArrayList<>();
    private final long seed;

    public ScaleModel(Mix mix, Prices prices, Capacity.Functions functions, long seed) {
        this.mix = mix;
        this.prices = prices;
        this.functions = functions;
        this.seed = seed;
        for (Layout layout : Layout.values()) {
            Map<Kind, TransitionCosts> byKind = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                byKind.put(kind, TransitionCosts.of(kind, layout));
            }
            costs.put(layout, byKind);
        }
        for (Kind kind : Kind.values()) {
            keysOnlyTransactions.put(kind, TransitionCosts.of(kind, Layout.SHARDED,
                    Map.of(Store.TRANSACTION_INDEX, WriteCosts.Projection.KEYS_ONLY)));
        }
    }

    /** Computes the capacity table and simulates the scenarios; progress to the listener. */
    public ScaleModel run(List<Scenario> list, java.util.function.Consumer<String> progress) {
        Capacity cap = new Capacity(mix, costs.get(Layout.SHARDED), prices, functions);
        for (double rate : RATES) {
            capacity.add(cap.at(rate));
        }
        Simulation simulation = new Simulation(mix, seed);
        for (Scenario s : list) {
            long start = System.nanoTime();
            Simulation.Result before = simulation.run(s, Layout.UNSHARDED, costs.get(Layout.UNSHARDED));
            Simulation.Result after = simulation.run(s, Layout.SHARDED, costs.get(Layout.SHARDED));
            scenarios.add(new ScenarioResults(s, before, after));
            progress.accept(String.format(Locale.ROOT, "%s: %,d notifications, %.1f s", s.name(), after.notifications(),
                    (System.nanoTime() - start) / 1e9));
        }
        return this;
    }

    public List<Capacity.AtRate> capacity() {
        return capacity;
    }

    public List<ScenarioResults> scenarios() {
        return scenarios;
    }

    public Map<Kind, TransitionCosts> costs(Layout layout) {
        return costs.get(layout);
    }

    // ---- JSON -------------------------------------------------------------------------------------

    public ObjectNode toJson(String date, String commandLine) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("name", "scale-model");
        root.put("date", date);
        root.put("command", commandLine);
        root.put("seed", seed);
        ObjectNode limits = root.putObject("limits");
        limits.put("partition_write_units_per_second", Simulation.WRITE_LIMIT);
        limits.put("partition_read_units_per_second", Simulation.READ_LIMIT);
        limits.put("parallelization_factor_max", 10);
        ObjectNode shards = root.putObject("shards");
        shards.put("failures_index", ViewShards.FAILURE_SHARDS);
        shards.put("marketing_index", ViewShards.MARKETING_SHARDS);
        root.set("mix", Json.MAPPER.valueToTree(mix));
        root.put("commands_per_notification", mix.commandsPerNotification());
        root.set("functions", Json.MAPPER.valueToTree(functions));
        ObjectNode items = root.putObject("item_bytes");
        for (Kind kind : Kind.values()) {
            ObjectNode k = items.putObject(kind.name().toLowerCase(Locale.ROOT));
            k.put("command_item", ItemSize.bytes(Samples.commandItem(Samples.delivered(kind))));
            k.put("view_sent", ItemSize.bytes(Layout.SHARDED.view(Samples.created(kind), 1, Samples.seq(1))));
            k.put("view_delivered", ItemSize.bytes(Layout.SHARDED.view(Samples.delivered(kind), 2, Samples.seq(2))));
            k.put("view_failed", ItemSize.bytes(Layout.SHARDED.view(Samples.failed(kind), 2, Samples.seq(2))));
        }
        items.put("claim", ItemSize.bytes(Samples.claimItem(Samples.created(Kind.CAMPAIGN))));
        items.put("tombstone", ItemSize.bytes(Samples.tombstone(Samples.created(Kind.CAMPAIGN), Samples.seq(4))));
        ObjectNode units = root.putObject("write_units_per_command");
        for (Layout layout : Layout.values()) {
            ObjectNode l = units.putObject(layout.name());
            for (Kind kind : Kind.values()) {
                ObjectNode k = l.putObject(kind.name().toLowerCase(Locale.ROOT));
                for (Transition t : Transition.values()) {
                    ObjectNode tn = k.putObject(t.name());
                    for (Store store : Store.values()) {
                        tn.put(store.resourceName(), costs.get(layout).get(kind).units(t, store));
                    }
                    tn.put("stream_records", costs.get(layout).get(kind).streamRecords(t));
                    tn.put("command_read_units", costs.get(layout).get(kind).commandReadUnits(t));
                }
            }
        }
        ArrayNode cap = root.putArray("capacity");
        for (Capacity.AtRate r : capacity) {
            ObjectNode n = cap.addObject();
            n.put("notifications_per_second", r.notificationsPerSecond());
            n.put("commands_per_second", r.commandsPerSecond());
            n.put("queries_per_second", r.queriesPerSecond());
            ObjectNode w = n.putObject("write_units_per_second");
            r.writeUnitsPerSecond().forEach((s, v) -> w.put(s.resourceName(), round(v)));
            ObjectNode rd = n.putObject("read_units_per_second");
            r.readUnitsPerSecond().forEach((s, v) -> rd.put(s.resourceName(), round(v)));
            n.put("stream_records_per_second", round(r.streamRecordsPerSecond()));
            n.put("stream_shards_at_least", r.streamShards());
            n.put("records_per_second_per_lane", round(r.recordsPerSecondPerLane()));
            n.put("parallelization_factor_needed", r.parallelizationFactorNeeded());
            n.set("invocations_per_second", Json.MAPPER.valueToTree(r.invocationsPerSecond()));
            n.set("concurrency", Json.MAPPER.valueToTree(r.concurrency()));
            n.set("cost_per_second_usd", Json.MAPPER.valueToTree(r.costPerSecond()));
            n.put("cost_per_million_commands_usd", round(r.costPerMillionCommands()));
        }
        ObjectNode alt = root.putObject("transaction_index_keys_only");
        Capacity all = new Capacity(mix, costs.get(Layout.SHARDED), prices, functions);
        Capacity keysOnly = new Capacity(mix, keysOnlyTransactions, prices, functions);
        alt.put("write_units_per_notification_all", round(all.writeUnitsPerNotification(Store.TRANSACTION_INDEX)));
        alt.put("write_units_per_notification_keys_only", round(keysOnly.writeUnitsPerNotification(Store.TRANSACTION_INDEX)));
        alt.put("total_write_units_per_notification", round(totalWrites(all)));
        ArrayNode sc = root.putArray("scenarios");
        for (ScenarioResults r : scenarios) {
            ObjectNode n = sc.addObject();
            n.put("name", r.scenario().name());
            n.put("description", r.scenario().description());
            n.put("seconds", r.scenario().seconds());
            n.put("notifications", r.after().notifications());
            for (Simulation.Result res : List.of(r.before(), r.after())) {
                ObjectNode l = n.putObject(res.layout().name());
                l.put("layout", res.layout().description());
                res.stores().forEach((store, load) -> {
                    ObjectNode s = l.putObject(store.resourceName());
                    s.put("peak_write_units_per_second", round(load.peakUnitsPerSecond()));
                    s.put("mean_write_units_per_second", round(load.meanUnitsPerSecond()));
                    s.put("hottest_key", load.hottestKey());
                    s.put("hottest_key_peak_write_units_per_second", round(load.hottestKeyPeak()));
                    s.put("hottest_key_share_of_limit", round(load.utilisation()));
                    s.put("seconds_over_limit", load.secondsOverLimit());
                    s.put("per_key_simulated", load.tracked());
                });
            }
        }
        root.set("prices", Json.MAPPER.valueToTree(prices));
        root.set("price_sources", Json.MAPPER.valueToTree(prices.sources()));
        return root;
    }

    private static double totalWrites(Capacity c) {
        double sum = 0;
        for (Store s : Store.values()) {
            sum += c.writeUnitsPerNotification(s);
        }
        return sum;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    // ---- Markdown ---------------------------------------------------------------------------------

    public String toMarkdown(String date, String commandLine, String jsonFile) {
        StringBuilder md = new StringBuilder();
        md.append("# Scale model, ").append(date).append("\n\n");
        md.append("`").append(commandLine).append("` (seed ").append(seed).append("); the numbers in full: `")
                .append(jsonFile).append("`; what they mean: docs/scaling.md.\n\n");
        md.append("## Hottest partition key per scenario (write units a second, limit 1,000)\n\n");
        md.append("| scenario | store | before: key | peak | after: key | peak | seconds over the limit before / after |\n");
        md.append("|---|---|---|---:|---|---:|---|\n");
        for (ScenarioResults r : scenarios) {
            for (Store store : new Store[]{Store.VIEWS, Store.MARKETING_INDEX, Store.FAILURES_INDEX}) {
                Simulation.StoreLoad b = r.before().stores().get(store);
                Simulation.StoreLoad a = r.after().stores().get(store);
                if (b.hottestKeyPeak() == 0 && a.hottestKeyPeak() == 0) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f%s | %s | %,.0f%s | %d / %d |%n",
                        r.scenario().name(), store.resourceName(), b.hottestKey(), b.hottestKeyPeak(),
                        b.hottestKeyPeak() > Simulation.WRITE_LIMIT ? " **over**" : "", a.hottestKey(), a.hottestKeyPeak(),
                        a.hottestKeyPeak() > Simulation.WRITE_LIMIT ? " **over**" : "", b.secondsOverLimit(),
                        a.secondsOverLimit()));
            }
        }
        md.append("\n## Capacity and cost at three rates (write-sharded layout)\n\n");
        md.append("| | ");
        for (Capacity.AtRate r : capacity) {
            md.append(String.format(Locale.ROOT, "%,.0f/s | ", r.notificationsPerSecond()));
        }
        md.append("\n|---|");
        md.append("---:|".repeat(capacity.size())).append('\n');
        row(md, "commands/s", r -> r.commandsPerSecond());
        row(md, "queries/s", r -> r.queriesPerSecond());
        for (Store s : Store.values()) {
            row(md, s.resourceName() + " WRU/s", r -> r.writeUnitsPerSecond().get(s));
        }
        for (Store s : Store.values()) {
            row(md, s.resourceName() + " RRU/s", r -> r.readUnitsPerSecond().get(s));
        }
        row(md, "stream records/s", r -> r.streamRecordsPerSecond());
        row(md, "stream shards (at least)", r -> r.streamShards());
        row(md, "ParallelizationFactor needed", r -> r.parallelizationFactorNeeded());
        for (String f : capacity.get(0).concurrency().keySet()) {
            row(md, f + " concurrency", r -> r.concurrency().get(f));
        }
        rowMoney(md, "cost/hour, USD", r -> r.totalCostPerSecond() * 3600);
        rowMoney(md, "cost per million commands, USD", Capacity.AtRate::costPerMillionCommands);
        md.append("\nCost per million commands, by part (USD): ");
        Capacity.AtRate mid = capacity.get(1);
        mid.costPerSecond().forEach((k, v) -> md.append(String.format(Locale.ROOT, "%s %.3f; ", k,
                v / mid.commandsPerSecond() * 1e6)));
        md.append("\n");
        return md.toString();
    }

    private void row(StringBuilder md, String name, java.util.function.ToDoubleFunction<Capacity.AtRate> f) {
        md.append("| ").append(name).append(" | ");
        for (Capacity.AtRate r : capacity) {
            md.append(String.format(Locale.ROOT, "%,.0f | ", f.applyAsDouble(r)));
        }
        md.append('\n');
    }

    private void rowMoney(StringBuilder md, String name, java.util.function.ToDoubleFunction<Capacity.AtRate> f) {
        md.append("| ").append(name).append(" | ");
        for (Capacity.AtRate r : capacity) {
            md.append(String.format(Locale.ROOT, "%,.2f | ", f.applyAsDouble(r)));
        }
        md.append('\n');
    }
}
