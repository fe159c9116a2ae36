package io.pushcqrs.ops.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.api.ApiClient;
import io.pushcqrs.ops.aws.AwsClients;
import io.pushcqrs.ops.config.ConnectionOptions;
import io.pushcqrs.ops.config.Outputs;
import io.pushcqrs.ops.config.Settings;
import io.pushcqrs.ops.sync.SyncChecker;
import io.pushcqrs.model.sync.SyncReport;
import io.pushcqrs.ops.ui.Args;
import io.pushcqrs.ops.ui.Progress;
import io.pushcqrs.ops.ui.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** {@code chaos}: the soak of docs/reliability.md ("Soak"), against a stack started with {@code --faults}. */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110, version = OpsCli.VERSION,
        header = "Soak: commands through the API with faults on, poison records, then the read side must be in sync.",
        description = {"Sends --count commands through the API (creates, status changes, duplicates, deletes, re-creates"
                + " of the same key) on --threads workers, each with its own transactions and a seeded sequence; writes"
                + " --poison records that cannot be mapped straight into command-records; then waits until the read side"
                + " has no missing, stale or orphan view and every poison record is named by a message of the on-failure"
                + " queue (DlqUrl). Start the stack with faults first: scripts/local-up.sh --faults <spec>"
                + " (docs/reliability.md).",
                "Exit code: 0 passed, 1 failed, 2 usage or connection error. Writes <results>/<date>-chaos.json and .md."},
        footerHeading = "%nExamples:%n",
        footer = {"  scripts/chaos.sh                       # 10,000 commands, the stack of .local/outputs.json",
                "  scripts/chaos.sh --count 1000 --seed 7 --results none"})
public final class ChaosCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10000", description = "Commands to send (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Workers (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--poison", paramLabel = "N", defaultValue = "5",
            description = "Records that cannot be mapped, written straight to command-records (default ${DEFAULT-VALUE}).")
    int poison;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the workload (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--users", paramLabel = "N", defaultValue = "200", description = "Distinct user_ids (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--sync-timeout", paramLabel = "DURATION", defaultValue = "15m", converter = Args.DurationConverter.class,
            description = "How long to wait for the read side and the on-failure queue (default ${DEFAULT-VALUE}).")
    Duration syncTimeout;

    @Option(names = "--dlq-url", paramLabel = "URL", description = "The on-failure queue (default: DlqUrl of the outputs file).")
    String dlqUrl;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
            description = "Where the result files go ('none': not written; default ${DEFAULT-VALUE}).")
    String results;

    public ChaosCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || threads < 1 || poison < 0 || users < 1) {
            throw OpsException.usage("--count, --threads and --users must be >= 1, --poison >= 0");
        }
        Settings settings = connection.resolve(ctx).requireAws();
        String apiUrl = settings.requireApiUrl();
        String queue = dlqUrl != null ? dlqUrl : Outputs.load(settings.outputsFile()).get(Outputs.DLQ_URL);
        if (queue == null && poison > 0) {
            throw OpsException.usage("no on-failure queue: give --dlq-url, or an outputs file with DlqUrl");
        }
        String run = "chaos-" + Long.toString(System.currentTimeMillis(), 36) + "-" + seed;
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("run", run).put("count", count).put("threads", threads).put("poison", poison).put("seed", seed)
                .put("api", apiUrl).put("started", java.time.Instant.now().toString());
        JsonNode faults = faultsOf(settings.endpoint());
        result.set("faults", faults);
        ctx.err().printf(Locale.ROOT, "chaos %s: %d commands on %d workers, %d poison record(s); faults: %s%n", run, count,
                threads, poison, faults == null ? "(none reported by the stack)" : faults.path("spec").asText());

        try (DynamoDbClient ddb = AwsClients.dynamoDb(settings, ctx);
             SqsClient sqs = queue == null ? null : AwsClients.sqs(settings, ctx);
             DynamoDbStreamsClient streams = AwsClients.streams(settings, ctx)) {
            long t0 = System.nanoTime();
            Workload.Counts counts = new Workload.Counts();
            ApiClient api = new ApiClient(apiUrl, settings.apiKey(), Duration.ofSeconds(60));
            long baseTime = System.currentTimeMillis() - 86_400_000L;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            AtomicLong failedWorkers = new AtomicLong();
            for (int w = 0; w < threads; w++) {
                int share = count / threads + (w < count % threads ? 1 : 0);
                Workload work = new Workload(api, run + "-w" + w, seed * 1_000_003L + w, counts, users,
                        baseTime + w * 10_000_000L);
                futures.add(pool.submit(() -> {
                    work.run(share);
                    return null;
                }));
            }
            // the poison records go in while the load runs, among the faults
            Set<String> poisonIds = writePoison(ddb, settings.commandTable(), run);
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failedWorkers.incrementAndGet();
                    counts.unexpected.add("a worker stopped: " + e.getCause());
                }
            }
            pool.shutdown();
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            ctx.err().printf(Locale.ROOT, "load done: %d commands in %.1f s (%.0f/s), %d resent after 5xx/I/O, %d throttled (429)%n",
                    counts.total(), loadSeconds, counts.total() / loadSeconds, counts.resent.get(), counts.throttled.get());

            // the read side, then the on-failure queue
            long t1 = System.nanoTime();
            long deadline = t1 + syncTimeout.toNanos();
            SyncChecker checker = new SyncChecker(ddb, settings.commandTable(), settings.notificationTable(), 5, 500);
            DlqAccounting dlq = queue == null ? null : new DlqAccounting(sqs, streams, queue, run);
            SyncReport report;
            int checks = 0;
            while (true) {
                checks++;
                report = checker.check(role -> Progress.silent());
                if (dlq != null) {
                    dlq.poll();
                }
                boolean synced = report.missing().count() + report.stale().count() + report.orphan().count() == 0;
                boolean accounted = dlq == null || dlq.named.containsAll(poisonIds);
                if (synced && accounted) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                ctx.err().printf(Locale.ROOT, "check %d: missing %d, stale %d, orphan %d, unmappable %d; poison in the"
                                + " on-failure queue %d of %d%n", checks, report.missing().count(), report.stale().count(),
                        report.orphan().count(), report.unmappable().count(),
                        dlq == null ? 0 : poisonIds.stream().filter(dlq.named::contains).count(), poisonIds.size());
                Thread.sleep(2000);
            }
            double syncSeconds = (System.nanoTime() - t1) / 1e9;
            Set<String> goodInDlq = new LinkedHashSet<>();
            if (dlq != null) {
                dlq.named.stream().filter(id -> !poisonIds.contains(id)).forEach(goodInDlq::add);
            }
            long poisonAccounted = dlq == null ? 0 : poisonIds.stream().filter(dlq.named::contains).count();
            boolean passed = report.missing().count() + report.stale().count() + report.orphan().count() == 0
                    && poisonAccounted == poisonIds.size() && counts.unexpected.isEmpty() && failedWorkers.get() == 0;

            ObjectNode ops = result.putObject("commands");
            counts.ops.forEach((k, v) -> ops.put(k, v.get()));
            ObjectNode answers = result.putObject("answers");
            counts.answers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> answers.put(e.getKey(), e.getValue().get()));
            result.put("resent_after_5xx_or_io", counts.resent.get()).put("throttled_429", counts.throttled.get());
            ArrayNode unexpected = result.putArray("unexpected_answers");
            counts.unexpected.stream().limit(20).forEach(unexpected::add);
            result.put("unexpected_count", counts.unexpected.size());
            result.put("load_seconds", round(loadSeconds)).put("commands_per_second", round(counts.total() / loadSeconds))
                    .put("sync_seconds", round(syncSeconds)).put("sync_checks", checks);
            ObjectNode sync = result.putObject("check_sync");
            sync.put("commands", report.commands()).put("views", report.views()).put("matched", report.matched())
                    .put("missing", report.missing().count()).put("stale", report.stale().count())
                    .put("orphan", report.orphan().count()).put("unmappable", report.unmappable().count())
                    .put("tombstones", report.tombstones());
            result.put("poison_written", poisonIds.size()).put("poison_in_on_failure_queue", poisonAccounted)
                    .put("on_failure_messages", dlq == null ? 0 : dlq.messages)
                    .put("on_failure_messages_unresolved", dlq == null ? 0 : dlq.unresolved);
            ArrayNode good = result.putArray("good_records_in_on_failure_queue");
            goodInDlq.stream().limit(20).forEach(good::add);
            JsonNode faultsAfter = faultsOf(settings.endpoint());
            if (faultsAfter != null) {
                result.set("faults_injected", faultsAfter);
            }
            result.put("passed", passed);

            ctx.out().print(markdown(result));
            if (!"none".equals(results)) {
                write(result);
            }
            return passed ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Items of the command side that no mapper can read (a platform outside the enum, as another tool might write). */
    private Set<String> writePoison(DynamoDbClient ddb, String table, String run) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < poison; i++) {
            String id = run + "-poison-" + i;
            long createdAt = System.currentTimeMillis() - 3_600_000L + i;
            Map<String, AttributeValue> item = Map.of(
                    "transaction_id", AttributeValue.fromS(id),
                    "created_at", AttributeValue.fromN(Long.toString(createdAt)),
                    "user_id", AttributeValue.fromS("chaos-poison-user"),
                    "platform", AttributeValue.fromS(i % 2 == 0 ? "ios" : "SMOKE_SIGNAL"),
                    "device_token", AttributeValue.fromS("tok-poison-" + i),
                    "status", AttributeValue.fromS("SENT"),
                    "version", AttributeValue.fromN("1"));
            ddb.putItem(b -> b.tableName(table).item(item));
            ids.add(id);
        }
        return ids;
    }

    /** The stack's fault counters (GET /_local/health), or null when the endpoint is not a local stack with faults. */
    private JsonNode faultsOf(URI endpoint) {
        if (endpoint == null) {
            return null;
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/_local/health"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode f = r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()).get("faults") : null;
            return f == null || f.isNull() ? null : f;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String markdown(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Chaos soak ").append(r.path("run").asText()).append(r.path("passed").asBoolean() ? ": PASSED" : ": FAILED")
                .append("\n\n");
        sb.append("| what | value |\n|---|---|\n");
        row(sb, "faults", r.path("faults").isMissingNode() || r.path("faults").isNull() ? "none" : r.path("faults").path("spec").asText());
        row(sb, "commands sent", r.path("count").asText() + " on " + r.path("threads").asText() + " workers (seed "
                + r.path("seed").asText() + "): " + r.path("commands").toString());
        row(sb, "answers", r.path("answers").toString());
        row(sb, "unexpected answers", r.path("unexpected_count").asText());
        row(sb, "resent after 5xx / I/O", r.path("resent_after_5xx_or_io").asText());
        row(sb, "throttled (429, resent)", r.path("throttled_429").asText());
        row(sb, "load", r.path("load_seconds").asText() + " s (" + r.path("commands_per_second").asText() + " commands/s)");
        row(sb, "until in sync and accounted", r.path("sync_seconds").asText() + " s (" + r.path("sync_checks").asText() + " checks)");
        JsonNode s = r.path("check_sync");
        row(sb, "check-sync", "commands " + s.path("commands").asText() + ", views " + s.path("views").asText() + ", matched "
                + s.path("matched").asText() + ", missing " + s.path("missing").asText() + ", stale " + s.path("stale").asText()
                + ", orphan " + s.path("orphan").asText() + ", unmappable " + s.path("unmappable").asText());
        row(sb, "poison records", r.path("poison_written").asText() + " written, " + r.path("poison_in_on_failure_queue").asText()
                + " named in the on-failure queue (" + r.path("on_failure_messages").asText() + " message(s))");
        row(sb, "good records in the on-failure queue", r.path("good_records_in_on_failure_queue").toString());
        if (r.has("faults_injected")) {
            row(sb, "faults injected", r.path("faults_injected").toString());
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, String value) {
        sb.append("| ").append(what).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private void write(ObjectNode result) throws IOException {
        Path dir = Path.of(results);
        String root = ctx.env("OPS_REPO_ROOT");
        if (!dir.isAbsolute() && "bench/results".equals(results) && root != null) {
            dir = Path.of(root).resolve(results);
        }
        ResultFiles files = ResultFiles.in(dir, LocalDate.now(ZoneOffset.UTC).toString(), "chaos");
        files.write(result, markdown(result));
        ctx.err().println("wrote " + files.json() + " and .md");
    }
}
