package io.pushcqrs.ops.scale;

import io.pushcqrs.model.ViewShards;
import io.pushcqrs.ops.scale.Samples.Kind;
import io.pushcqrs.ops.scale.TransitionCosts.Transition;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Steady-state capacity and cost at a notification rate, from the mix and the per-command costs (expected values,
 * no randomness): request units per store, stream records and shards, Lambda invocations, GB-seconds and
 * concurrency, API requests, and the cost per million commands.
 */
public final class Capacity {
    /**
     * The function settings and durations the model assumes. Memory is the template's; the durations are AWS
     * assumptions (in-region DynamoDB calls of a few ms), next to which docs/scaling.md puts the embedded stack's.
     *
     * @param commandMs         command-lambda, warm, per command (a Query, then a write or a transaction)
     * @param streamBatchMs     stream-processor, per batch, before its writes
     * @param streamWriteMs     stream-processor, per conditional PutItem (one after the other in a batch)
     * @param queryMs           query-lambda, per query, around the invoke
     * @param queryResultMs     query-result-lambda, per query (its Queries, shards in parallel)
     * @param batchSize         the event source mapping's BatchSize
     * @param logBytesPerInvoke one JSON line plus Lambda's START/END/REPORT lines
     */
    public record Functions(int commandMemoryMb, int streamMemoryMb, int queryMemoryMb, int queryResultMemoryMb,
                            double commandMs, double streamBatchMs, double streamWriteMs, double queryMs,
                            double queryResultMs, int batchSize, int logBytesPerInvoke) {
        public static Functions template() {
            return new Functions(1024, 512, 1024, 1024, 20, 10, 6, 15, 15, 100, 900);
        }
    }

    /** The capacity at one rate. */
    public record AtRate(double notificationsPerSecond, double commandsPerSecond, double queriesPerSecond,
                         Map<Store, Double> writeUnitsPerSecond, Map<Store, Double> readUnitsPerSecond,
                         double streamRecordsPerSecond, int streamShards, double recordsPerSecondPerLane,
                         int parallelizationFactorNeeded, Map<String, Double> invocationsPerSecond,
                         Map<String, Double> concurrency, Map<String, Double> costPerSecond) {

        public double totalCostPerSecond() {
            return costPerSecond.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** USD per million commands (creates, status changes, deletes), their projection and the queries of the mix. */
        public double costPerMillionCommands() {
            return totalCostPerSecond() / commandsPerSecond * 1e6;
        }
    }

    private final Mix mix;
    private final Map<Kind, TransitionCosts> costs;
    private final Prices prices;
    private final Functions functions;

    public Capacity(Mix mix, Map<Kind, TransitionCosts> costs, Prices prices, Functions functions) {
        this.mix = mix;
        this.costs = costs;
        this.prices = prices;
        this.functions = functions;
    }

    /** How often each command happens per notification. */
    public Map<Transition, Double> commandsPerNotification() {
        Map<Transition, Double> per = new EnumMap<>(Transition.class);
        per.put(Transition.CREATE, 1.0);
        per.put(Transition.DELIVER, 1 - mix.failureRate());
        per.put(Transition.FAIL, mix.failureRate());
        per.put(Transition.RETRY, mix.failureRate() * mix.retriesPerFailure());
        per.put(Transition.DELETE, mix.deleteRate());
        return per;
    }

    private double share(Kind kind) {
        return kind == Kind.CAMPAIGN ? mix.campaignShare() : 1 - mix.campaignShare();
    }

    /** Expected write units per notification in a store. */
    public double writeUnitsPerNotification(Store store) {
        double units = 0;
        for (Kind kind : Kind.values()) {
            for (Map.Entry<Transition, Double> e : commandsPerNotification().entrySet()) {
                units += share(kind) * e.getValue() * costs.get(kind).units(e.getKey(), store);
            }
        }
        return units;
    }

    /** Read units of one query page of a type (eventually consistent Queries; a sharded type reads every shard). */
    public double readUnitsPerQuery(String type) {
        long view = costs.get(Kind.CAMPAIGN).viewBytes();
        int page = mix.pageLimit() + 1;
        return switch (type) {
            case "user" -> ItemSize.readUnits(page * view, false);
            case "marketing" -> sharded(ViewShards.MARKETING_SHARDS, page, view);
            case "failures" -> sharded(ViewShards.FAILURE_SHARDS, page, view);
            default -> ItemSize.readUnits(2 * view, false); // tx, sns: one or two items
        };
    }

    /** n Queries, each for ceil(page / n) + 1 items (ShardedRead's first reads). */
    static double sharded(int shards, int page, long itemBytes) {
        int each = (page + shards - 1) / shards + 1;
        return shards * ItemSize.readUnits(each * itemBytes, false);
    }

    public AtRate at(double notificationsPerSecond) {
        Map<Transition, Double> per = commandsPerNotification();
        double commands = notificationsPerSecond * mix.commandsPerNotification();
        double queries = notificationsPerSecond * mix.queriesPerNotification();
        Map<Store, Double> writes = new EnumMap<>(Store.class);
        for (Store store : Store.values()) {
            writes.put(store, notificationsPerSecond * writeUnitsPerNotification(store));
        }
        Map<Store, Double> reads = new EnumMap<>(Store.class);
        double commandReads = 0;
        double records = 0;
        double viewWrites = 0;
        for (Kind kind : Kind.values()) {
            for (Map.Entry<Transition, Double> e : per.entrySet()) {
                commandReads += share(kind) * e.getValue() * costs.get(kind).commandReadUnits(e.getKey());
                records += share(kind) * e.getValue() * costs.get(kind).streamRecords(e.getKey());
            }
        }
        viewWrites = notificationsPerSecond * per.values().stream().mapToDouble(Double::doubleValue).sum();
        reads.put(Store.COMMANDS, notificationsPerSecond * commandReads);
        Map<String, Store> readsFrom = Map.of("user", Store.VIEWS, "tx", Store.TRANSACTION_INDEX,
                "marketing", Store.MARKETING_INDEX, "failures", Store.FAILURES_INDEX, "sns", Store.SNS_INDEX);
        for (Map.Entry<String, Double> q : mix.queryShare().entrySet()) {
            reads.merge(readsFrom.get(q.getKey()), queries * q.getValue() * readUnitsPerQuery(q.getKey()), Double::sum);
        }
        for (Store store : Store.values()) {
            reads.putIfAbsent(store, 0.0);
        }
        double recordsPerSecond = notificationsPerSecond * records;

        // Streams: about one shard per partition of command-records; a new on-demand table starts with 4
        int shards = (int) Math.max(4, Math.ceil(Math.max(writes.get(Store.COMMANDS) / Simulation.WRITE_LIMIT,
                reads.get(Store.COMMANDS) / Simulation.READ_LIMIT)));
        double perShard = recordsPerSecond / shards;
        // a lane takes a full batch under load, fewer when the shard is quiet (AWS polls a shard about 4 times a second)
        double batch = Math.min(functions.batchSize(), Math.max(1, perShard / 4));
        double writingShare = viewWrites / recordsPerSecond; // claims are skipped: no write
        double batchMs = functions.streamBatchMs() + batch * writingShare * functions.streamWriteMs();
        double perLane = batch / (batchMs / 1000);
        int factor = (int) Math.ceil(perShard / perLane);

        Map<String, Double> invocations = new LinkedHashMap<>();
        invocations.put("command-lambda", commands);
        invocations.put("stream-processor", recordsPerSecond / batch);
        invocations.put("query-lambda", queries);
        invocations.put("query-result-lambda", queries);
        Map<String, Double> seconds = Map.of("command-lambda", functions.commandMs() / 1000,
                "stream-processor", batchMs / 1000, "query-lambda", (functions.queryMs() + functions.queryResultMs()) / 1000,
                "query-result-lambda", functions.queryResultMs() / 1000);
        Map<String, Double> memoryGb = Map.of("command-lambda", functions.commandMemoryMb() / 1024.0,
                "stream-processor", functions.streamMemoryMb() / 1024.0, "query-lambda", functions.queryMemoryMb() / 1024.0,
                "query-result-lambda", functions.queryResultMemoryMb() / 1024.0);
        Map<String, Double> concurrency = new LinkedHashMap<>();
        double gbSeconds = 0;
        double lambdaRequests = 0;
        for (Map.Entry<String, Double> e : invocations.entrySet()) {
            concurrency.put(e.getKey(), e.getValue() * seconds.get(e.getKey()));
            gbSeconds += e.getValue() * seconds.get(e.getKey()) * memoryGb.get(e.getKey());
            lambdaRequests += e.getValue();
        }
        double totalWrites = writes.values().stream().mapToDouble(Double::doubleValue).sum();
        double totalReads = reads.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> cost = new LinkedHashMap<>();
        cost.put("dynamodb_writes", totalWrites * prices.writeRequestUnitPerMillion() / 1e6);
        cost.put("dynamodb_reads", totalReads * prices.readRequestUnitPerMillion() / 1e6);
        cost.put("lambda_requests", lambdaRequests * prices.lambdaRequestPerMillion() / 1e6);
        cost.put("lambda_duration", gbSeconds * prices.lambdaGbSecond());
        cost.put("api_gateway", (commands + queries) * prices.apiRestRequestPerMillion() / 1e6);
        cost.put("cloudwatch_logs", lambdaRequests * functions.logBytesPerInvoke() / 1e9 * prices.logsIngestPerGb());
        // one GetSecretValue per query-result-lambda environment and hour, the secret itself: per second
        cost.put("secrets_manager", concurrency.get("query-result-lambda") / 3600 * prices.secretsManagerPer10kCalls() / 1e4
                + prices.secretsManagerPerSecretMonth() / (30 * 86_400.0));
        cost.put("sqs", 0.0); // only batches the mapping gives up on
        return new AtRate(notificationsPerSecond, commands, queries, writes, reads, recordsPerSecond, shards, perLane,
                factor, invocations, concurrency, cost);
    }
}
