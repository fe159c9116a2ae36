package io.pushcqrs.ops.sync;

import io.pushcqrs.model.sync.SyncReport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.OpsException;
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

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code check-sync}: compares command-records with notification-records. */
@Command(name = "check-sync", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        version = OpsCli.VERSION,
        header = "Compares command-records with notification-records.",
        description = {"Compares command-records with notification-records, every item (paged Scan, progress on"
                + " stderr), and reports in sync / missing / stale / orphan / unmappable with counts and examples.",
                "Exit code: 0 in sync, 1 out of sync, 2 usage or connection error."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  scripts/check-sync.sh",
                "  scripts/check-sync.sh --wait --timeout 60s        # poll until in sync, say how long it took",
                "  scripts/check-sync.sh --json --examples 20",
                "  scripts/check-sync.sh --endpoint http://127.0.0.1:4566 \\",
                "      --command-table dev-command-records --notification-table dev-notification-records"})
public final class CheckSyncCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--wait", description = "Re-check (about every --interval) until in sync or --timeout passes.")
    boolean waitForSync;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Args.DurationConverter.class,
            description = "How long --wait polls (60s, 2m, 500ms; default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Args.DurationConverter.class,
            description = "Pause between checks with --wait (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "5",
            description = "Examples shown per category (default ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "500",
            description = "Items per Scan page (default ${DEFAULT-VALUE}).")
    int pageSize;

    public CheckSyncCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (examples < 0 || pageSize < 1 || timeout.isNegative() || interval.isNegative()) {
            throw OpsException.usage("--examples must be >= 0, --page-size >= 1, durations not negative");
        }
        Settings settings = connection.resolve(ctx).requireAws();
        try (DynamoDbClient ddb = AwsClients.dynamoDb(settings, ctx)) {
            SyncChecker checker = new SyncChecker(ddb, settings.commandTable(), settings.notificationTable(),
                    examples, pageSize);
            return waitForSync ? pollUntilInSync(checker) : once(checker);
        } catch (SdkException e) {
            throw AwsErrors.describe(e, settings);
        }
    }

    private int once(SyncChecker checker) {
        SyncReport report = checker.check(this::progress);
        print(report, null, 1);
        return report.inSync() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private int pollUntilInSync(SyncChecker checker) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int checks = 0;
        while (true) {
            checks++;
            SyncReport report = checker.check(checks == 1 ? this::progress : role -> Progress.silent());
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (report.inSync()) {
                print(report, waited, checks);
                return ExitCodes.OK;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                print(report, waited, checks);
                return ExitCodes.FAILED;
            }
            ctx.err().printf(Locale.ROOT, "check %d: %d problem(s) (missing %d, stale %d, orphan %d, unmappable %d);"
                            + " %.0f s left%n", checks, report.problems(), report.missing().count(),
                    report.stale().count(), report.orphan().count(), report.unmappable().count(), left / 1e9);
            sleep(Math.min(interval.toNanos(), left));
        }
    }

    private void print(SyncReport report, Duration waited, int checks) {
        if (json) {
            ObjectNode node = report.toJson();
            if (waited != null) {
                node.put("waited_ms", waited.toMillis());
                node.put("checks", checks);
            }
            ctx.out().println(Json.write(node));
            return;
        }
        ctx.out().print(report.render());
        if (waited != null) {
            ctx.out().printf(Locale.ROOT, report.inSync() ? "in sync after %.1f s (%d check%s)%n"
                            : "still out of sync after %.1f s (%d check%s)%n",
                    waited.toMillis() / 1000.0, checks, checks == 1 ? "" : "s");
        }
    }

    private Progress progress(String role) {
        return new Progress(ctx.err(), ctx.interactive(), "scanning " + role + ":", -1);
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(0, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException(ExitCodes.USAGE, "interrupted");
        }
    }
}
