package io.pushcqrs.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.api.ApiClient;
import io.pushcqrs.ops.api.ThrottleRetry;
import io.pushcqrs.ops.aws.AwsClients;
import io.pushcqrs.ops.aws.AwsErrors;
import io.pushcqrs.ops.config.ConnectionOptions;
import io.pushcqrs.ops.config.Settings;
import io.pushcqrs.ops.ui.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: the stack's performance in one run (docs/benchmarks.md): raw backend write rate, projection rate over
 * a sustained burst and its ratio to the raw rate, sync latency at a light and a saturating rate, API vs direct query,
 * start-up to first query, cold and warm invokes per function, each jar's size. Writes
 * {@code <out-dir>/<date>-<name>.json} and {@code .md}; progress on stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {
                "Measures a running stack (scripts/bench.sh starts an embedded one on its own port by default) and",
                "writes <out-dir>/<date>-<name>.json and .md (docs/benchmarks.md). In one run, in this order:",
                "  start-up      (with --started-at) start to the first query answered, then the first command visible",
                "  light sync    POST /commands one at a time, acknowledged -> visible in the read table (p50/p90/p99/max)",
                "  query         GET /query/user through the API vs the same Query straight to DynamoDB (p50/p99)",
                "  raw writes    PutItem into a plain table of command-records' keys, created and deleted by the run",
                "  burst         --burst commands PutItem'd into command-records: caught up how long after the last write",
                "  sustained     --count commands PutItem'd into command-records at full speed: projection rate, its",
                "                ratio to the raw rate (two backend writes a command: 0.5 is the limit), and the sync",
                "                latency of commands POSTed meanwhile (the saturating rate)",
                "  invokes       (with --invocations-log) cold and warm invoke durations per function",
                "  jars          each function jar's size (<module>/target/<module>.jar)",
                "Exit codes: 0 written, 1 a measurement failed (timeout, errors; still written), 2 usage or connection."},
        footer = {"%nExamples:",
                "  scripts/bench.sh --quick                          # small numbers, an embedded stack of its own",
                "  scripts/bench.sh --name after                     # the full run (20,000 commands)",
                "  scripts/bench.sh --outputs .local/outputs.json    # a stack that is running (any outputs file)"})
public final class BenchCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--count", paramLabel = "N", description = "commands of the sustained burst (default: ${DEFAULT-VALUE}; --quick: 300)",
            defaultValue = "20000")
    int count;

    @Option(names = "--burst", paramLabel = "N", description = "commands of the catch-up burst (default: ${DEFAULT-VALUE}; --quick: 200)",
            defaultValue = "2000")
    int burst;

    @Option(names = "--raw-count", paramLabel = "N", description = "PutItems of the raw rate (default: ${DEFAULT-VALUE}; --quick: 200)",
            defaultValue = "3000")
    int rawCount;

    @Option(names = "--samples", paramLabel = "N", description = "light-load sync samples and query pairs (default: ${DEFAULT-VALUE}; --quick: 20)",
            defaultValue = "100")
    int samples;

    @Option(names = "--threads", paramLabel = "N", description = "writer threads of the raw and burst writes (default: ${DEFAULT-VALUE})",
            defaultValue = "8")
    int threads;

    @Option(names = "--users", paramLabel = "N", description = "distinct user_ids of the generated commands (default: ${DEFAULT-VALUE})",
            defaultValue = "500")
    int users;

    @Option(names = "--quick", description = "small numbers, for a test or a first look (seconds, not minutes)")
    boolean quick;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long a burst may take to be projected (default: ${DEFAULT-VALUE})",
            defaultValue = "600")
    int timeoutSeconds;

    @Option(names = "--started-at", paramLabel = "EPOCH_MS", description = "when the stack was started (scripts/bench.sh sets it): measures start-up to first query")
    Long startedAt;

    @Option(names = "--invocations-log", paramLabel = "FILE", description = "the embedded stack's invocations.log: cold and warm invokes per function")
    Path invocationsLog;

    @Option(names = "--config", paramLabel = "TEXT", description = "what the stack was started with, for the report (scripts/bench.sh sets it)")
    String config;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "where to write the result files (default: bench/results of the repository)")
    Path outDir;

    @Option(names = "--name", paramLabel = "NAME", description = "file name after the date (default: ${DEFAULT-VALUE})",
            defaultValue = "bench")
    String name;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "the date in the file name (default: today, UTC)")
    String date;

    public BenchCommand(Context ctx) {
        this.ctx = ctx;
    }

    /** The sizes of a run once --quick has been applied. */
    record Sizes(int count, int burst, int rawCount, int samples, int threads, int users) {
        static Sizes of(BenchCommand c) {
            return c.quick
                    ? new Sizes(Math.min(c.count, 300), Math.min(c.burst, 200), Math.min(c.rawCount, 200),
                    Math.min(c.samples, 20), c.threads, Math.min(c.users, 50))
                    : new Sizes(c.count, c.burst, c.rawCount, c.samples, c.threads, c.users);
        }

        void check() {
            if (count < 1 || burst < 1 || rawCount < 1 || samples < 1 || threads < 1 || users < 1) {
                throw OpsException.usage("--count, --burst, --raw-count, --samples, --threads and --users must be at least 1");
            }
        }
    }

    @Override
    public Integer call() {
        String day = date != null ? date : LocalDate.now(ZoneOffset.UTC).toString();
        if (!day.matches("\\d{4}-\\d{2}-\\d{2}") || !name.matches("[A-Za-z0-9._-]+")) {
            throw OpsException.usage("--date must be YYYY-MM-DD and --name letters, digits, . _ -");
        }
        Sizes sizes = Sizes.of(this);
        sizes.check();
        if (outDir == null) {
            outDir = ctx.repoRoot().resolve("bench").resolve("results");
        }
        Settings settings = connection.resolve(ctx).requireAws();
        String apiUrl = settings.requireApiUrl();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", day);
        result.put("name", name);
        result.put("config", config == null ? "a running stack (" + settings.endpointLabel() + ")" : config);
        result.put("sizes", Map.of("count", sizes.count(), "burst", sizes.burst(), "raw_count", sizes.rawCount(),
                "samples", sizes.samples(), "threads", sizes.threads(), "users", sizes.users()));
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("load_average_at_start", loadAverage());
        result.put("machine", machine);
        List<String> failures = new ArrayList<>();
        ApiClient api = new ApiClient(apiUrl, settings.apiKey(), Duration.ofSeconds(30), ThrottleRetry.DEFAULT);
        try (DynamoDbClient ddb = AwsClients.dynamoDb(settings, ctx)) {
            Measurements m = new Measurements(ddb, api, settings.commandTable(), settings.notificationTable(), sizes, Duration.ofSeconds(timeoutSeconds), line -> ctx.err().println("bench: " + line));
            if (startedAt != null) {
                result.put("startup", m.startup(startedAt, failures));
            }
            result.put("sync_light", m.lightSync(failures));
            result.put("query", m.queries(failures));
            Map<String, Object> raw = m.rawWrites(failures);
            result.put("raw_writes", raw);
            result.put("burst", m.burst(sizes.burst(), false, failures));
            Map<String, Object> sustained = m.burst(sizes.count(), true, failures);
            Object rawRate = raw.get("rate_per_s");
            Object projRate = sustained.get("projection_rate_per_s");
            if (rawRate instanceof Number r && projRate instanceof Number p && r.doubleValue() > 0) {
                sustained.put("ratio_to_raw", Math.round(p.doubleValue() / r.doubleValue() * 1000) / 1000.0);
            }
            result.put("sustained", sustained);
        } catch (SdkException e) {
            throw AwsErrors.describe(e, settings);
        }
        if (invocationsLog != null) {
            try {
                result.put("invokes", InvocationLog.read(invocationsLog));
            } catch (IOException e) {
                failures.add("cannot read " + invocationsLog + ": " + e.getMessage());
            }
        }
        machine.put("load_average_at_end", loadAverage());
        result.put("jars", Jars.sizes(ctx.repoRoot()));
        result.put("failures", failures);
        String commandLine = "scripts/bench.sh" + (quick ? " --quick" : "") + " --name " + name;
        result.put("command", commandLine);
        ResultFiles files = ResultFiles.in(outDir, day, name);
        try {
            JsonNode tree = Json.MAPPER.valueToTree(result);
            files.write(result, BenchMarkdown.render(tree, files.json().getFileName().toString()));
        } catch (IOException e) {
            throw OpsException.usage("cannot write " + outDir + ": " + e.getMessage());
        }
        ctx.out().println("wrote " + files.json() + " and " + files.markdown());
        for (String f : failures) {
            ctx.err().println("bench: FAILED: " + f);
        }
        return failures.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static double loadAverage() {
        return Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100)
                / 100.0;
    }
}
