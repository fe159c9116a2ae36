package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.api.ApiClient;
import io.pushcqrs.ops.api.ThrottleRetry;
import io.pushcqrs.ops.aws.AwsClients;
import io.pushcqrs.ops.aws.AwsErrors;
import io.pushcqrs.ops.config.ConnectionOptions;
import io.pushcqrs.ops.config.Settings;
import io.pushcqrs.ops.ui.Args;
import io.pushcqrs.ops.ui.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code insert}: sends N test commands through the API or straight into command-records. */
@Command(name = "insert", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        version = OpsCli.VERSION,
        header = "Sends N test commands through the API or straight into command-records.",
        description = {"Sends N test commands (random, or from a JSON file) at a chosen rate, through the API"
                + " (POST /commands) or straight into command-records (PutItem without version, as operators' tools do)."
                + " Progress on stderr, a summary at the end.",
                "Exit code: 0 every command accepted, 1 any request failed, 2 usage or connection error."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  scripts/insert.sh --count 1000 --rate 100",
                "  scripts/insert.sh --count 200 --mode direct --fail-ratio 0.3",
                "  scripts/insert.sh --file commands.json --json",
                "  scripts/insert.sh --count 50 --seed 42 --start 2026-01-01T00:00:00Z   # a rerun replays the same 50",
                "  scripts/insert.sh --api-url http://127.0.0.1:4566/restapis/abc123/dev/_user_request_ --api-key KEY"})
public final class InsertCommand implements Callable<Integer> {
    /** Kinds of destination. */
    public enum Mode { api, direct }

    private final Context ctx;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--count", paramLabel = "N",
            description = "Commands to send (default 10; with --file: every command in the file).")
    Integer count;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Commands per second; 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "4",
            description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--mode", paramLabel = "api|direct", defaultValue = "api",
            description = "api: POST /commands; direct: PutItem into command-records (default ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Send these commands instead of random ones: a JSON array of command objects, or JSON lines.")
    Path file;

    @Option(names = "--users", paramLabel = "U", defaultValue = "100",
            description = "Random commands spread over U users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--campaigns", paramLabel = "C", defaultValue = "10",
            description = "... and C campaigns (marketing_id; default ${DEFAULT-VALUE}).")
    int campaigns;

    @Option(names = "--fail-ratio", paramLabel = "F", defaultValue = "0.1",
            description = "Share of random commands with status FAILED, 0..1 (default ${DEFAULT-VALUE}).")
    double failRatio;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: random). Same seed + --start = same commands.")
    Long seed;

    @Option(names = "--start", paramLabel = "TIME", converter = Args.TimeConverter.class,
            description = "created_at of the first random command, epoch ms or ISO-8601 (default: now).")
    Long start;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Args.DurationConverter.class,
            description = "Timeout of one API request (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + ThrottleRetry.DEFAULT_MAX_RETRIES,
            description = "Send a throttled (429) command again up to N times, after a growing random pause (default: ${DEFAULT-VALUE}; 0: never).")
    int maxRetries;

    @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "2m", converter = Args.DurationConverter.class,
            description = "... and for at most this long after its first try (default ${DEFAULT-VALUE}).")
    Duration retryFor;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--ids-out", paramLabel = "FILE", description = "Write the transaction ids created, one a line.")
    Path idsOut;

    public InsertCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (count != null && count < 0) {
            throw OpsException.usage("--count must not be negative");
        }
        List<JsonNode> commands = commands();
        Settings settings = connection.resolve(ctx);
        try {
            InsertRunner.check(rate, threads);
        } catch (IllegalArgumentException e) {
            throw OpsException.usage(e.getMessage());
        }
        InsertSummary summary;
        if (mode == Mode.api) {
            String apiUrl = settings.requireApiUrl();
            if (maxRetries < 0) {
                throw OpsException.usage("--max-retries must not be negative");
            }
            if (retryFor.isNegative()) {
                throw OpsException.usage("--retry-for must not be negative");
            }
            ThrottleRetry retry = ThrottleRetry.of(maxRetries, retryFor);
            summary = run(new ApiSender(new ApiClient(apiUrl, settings.apiKey(), timeout, retry)), commands);
        } else {
            settings.requireAws();
            try (DynamoDbClient ddb = AwsClients.dynamoDb(settings, ctx)) {
                try {
                    ddb.describeTable(DescribeTableRequest.builder().tableName(settings.commandTable()).build());
                } catch (SdkException e) {
                    throw AwsErrors.describe(e, settings);
                }
                summary = run(new DirectSender(ddb, settings.commandTable(), System::currentTimeMillis), commands);
            }
        }
        if (idsOut != null) {
            writeIds(summary.createdIds());
        }
        if (json) {
            ctx.out().println(Json.write(summary.toJson()));
        } else {
            ctx.out().print(summary.render());
        }
        return summary.failures() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private InsertSummary run(Sender sender, List<JsonNode> commands) {
        ctx.err().printf(Locale.ROOT, "insert: %d command(s) -> %s, %d thread(s), rate %s%n", commands.size(),
                sender.target(), threads, rate > 0 ? rate + "/s" : "unlimited");
        Progress progress = new Progress(ctx.err(), ctx.interactive(), "", commands.size());
        return new InsertRunner(sender, rate, threads).run(commands, progress);
    }

    /** The commands to send: from --file (the first --count of them), else --count random ones. */
    List<JsonNode> commands() {
        if (file != null) {
            List<JsonNode> all = CommandFile.read(file);
            return count == null || count >= all.size() ? all : all.subList(0, count);
        }
        CommandGenerator generator;
        try {
            generator = new CommandGenerator(seed != null ? seed : System.nanoTime(), users, campaigns, failRatio,
                    start != null ? start : System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw OpsException.usage(e.getMessage());
        }
        int n = count == null ? 10 : count;
        List<JsonNode> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Notification c = generator.next();
            list.add(Json.MAPPER.valueToTree(c));
        }
        return list;
    }

    private void writeIds(List<String> ids) {
        try {
            Path parent = idsOut.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(idsOut, ids, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw OpsException.usage("cannot write " + idsOut + ": " + e.getMessage());
        }
    }
}
