package io.pushcqrs.ops.rebuild;

import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.aws.AwsClients;
import io.pushcqrs.ops.aws.AwsErrors;
import io.pushcqrs.ops.config.ConnectionOptions;
import io.pushcqrs.ops.config.Settings;
import io.pushcqrs.ops.ui.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code rebuild}: re-projects notification-records from command-records. */
@Command(name = "rebuild", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        version = OpsCli.VERSION,
        header = "Re-projects notification-records from command-records.",
        description = {"Re-projects the read side from command-records (after a missed stream window): scans every"
                + " command (paged, progress on stderr) and writes its view by the stream processor's rules, never"
                + " over a newer projection. Idempotent (a second run writes nothing and says so) and resumable"
                + " (--resume continues from the checkpoint saved after each page; Ctrl-C leaves it).",
                "Exit code: 0 done, 1 done but views left differing (see --force) or commands that cannot be"
                + " projected, 2 usage or connection error."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  scripts/rebuild.sh --dry-run                  # what it would write",
                "  scripts/rebuild.sh",
                "  scripts/rebuild.sh --resume                   # after Ctrl-C or a failure",
                "  scripts/rebuild.sh --delete-orphans --force   # also drop views without command, overwrite differing ones",
                "  scripts/rebuild.sh --json"})
public final class RebuildCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--dry-run", description = "Report what would be written or deleted; write nothing.")
    boolean dryRun;

    @Option(names = "--resume", description = "Continue from the checkpoint of an interrupted run.")
    boolean resume;

    @Option(names = "--force", description = "Also overwrite views that differ but are not provably older"
            + " (versionless commands, same version).")
    boolean force;

    @Option(names = "--delete-orphans", description = "Then delete views whose command is gone.")
    boolean deleteOrphans;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Checkpoint file (default: " + Checkpoint.DEFAULT_FILE + " in the repository root).")
    Path checkpoint;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "200",
            description = "Items per Scan page, i.e. per checkpoint (default ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "5",
            description = "Examples shown per category (default ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    public RebuildCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (pageSize < 1 || examples < 0) {
            throw OpsException.usage("--page-size must be >= 1 and --examples >= 0");
        }
        Settings settings = connection.resolve(ctx).requireAws();
        Path file = checkpoint != null ? checkpoint : ctx.repoRoot().resolve(Checkpoint.DEFAULT_FILE);
        Checkpoint from = null;
        if (resume) {
            if (Files.isRegularFile(file)) {
                from = Checkpoint.load(file);
                if (!from.commandTable().equals(settings.commandTable())
                        || !from.notificationTable().equals(settings.notificationTable())) {
                    throw OpsException.usage("the checkpoint " + file + " is for " + from.commandTable() + " -> "
                            + from.notificationTable() + ", not " + settings.commandTable() + " -> "
                            + settings.notificationTable() + ": delete it or pass --checkpoint");
                }
                ctx.err().println("resuming from " + file + " (phase " + from.phase() + ", "
                        + from.counts().commandsScanned + " commands done)");
            } else {
                ctx.err().println("no checkpoint at " + file + ": starting from the beginning");
            }
        } else if (Files.isRegularFile(file) && !dryRun) {
            ctx.err().println("note: " + file + " holds the checkpoint of an interrupted run; starting over"
                    + " (pass --resume to continue it instead)");
        }
        Rebuilder.Options options = new Rebuilder.Options(force, dryRun, deleteOrphans, pageSize, examples);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread hook = new Thread(() -> {
            if (running.get() && !dryRun) {
                ctx.err().println();
                ctx.err().println(Files.isRegularFile(file)
                        ? "interrupted: the checkpoint " + file + " is kept; continue with scripts/rebuild.sh --resume"
                        : "interrupted before the first page completed: nothing to resume, run it again");
            }
        }, "rebuild-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        RebuildReport report;
        try (DynamoDbClient ddb = AwsClients.dynamoDb(settings, ctx)) {
            report = new Rebuilder(ddb, settings.commandTable(), settings.notificationTable(), options, file,
                    role -> new Progress(ctx.err(), ctx.interactive(), "scanning " + role + ":", -1)).run(from);
        } catch (SdkException e) {
            running.set(false);
            if (Files.isRegularFile(file) && !dryRun) {
                ctx.err().println("the checkpoint " + file + " is kept; continue with scripts/rebuild.sh --resume");
            }
            throw AwsErrors.describe(e, settings);
        } finally {
            running.set(false);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
        if (json) {
            ctx.out().println(Json.write(report.toJson()));
        } else {
            ctx.out().print(report.render());
        }
        return report.complete() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
