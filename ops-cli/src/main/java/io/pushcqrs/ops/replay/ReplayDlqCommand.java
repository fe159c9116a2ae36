package io.pushcqrs.ops.replay;

import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.aws.AwsClients;
import io.pushcqrs.ops.aws.AwsErrors;
import io.pushcqrs.ops.config.ConnectionOptions;
import io.pushcqrs.ops.config.Outputs;
import io.pushcqrs.ops.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code replay-dlq}: re-projects what the stream's on-failure queue names, then deletes those messages. */
@Command(name = "replay-dlq", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        version = OpsCli.VERSION,
        header = "Re-projects the records the stream's on-failure queue names, once their cause is fixed.",
        description = {"Reads every message of the on-failure queue (the stream processor's poison records and the"
                + " event source mapping's discarded batches), re-projects each item it names from its current command"
                + " under the stream processor's write guard (never over a newer projection), and deletes a message"
                + " only when all its items are replayed or already current. Idempotent; --dry-run writes and deletes"
                + " nothing. docs/reliability.md, \"Replay\".",
                "Exit code: 0 nothing left failing, 1 messages still failing (kept in the queue, reasons printed),"
                + " 2 usage or connection error."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  scripts/replay-dlq.sh --dry-run     # what it would replay",
                "  scripts/replay-dlq.sh",
                "  scripts/replay-dlq.sh --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/qa-stream-processor-dlq --json"})
public final class ReplayDlqCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--queue-url", paramLabel = "URL", description = "The on-failure queue (default: DlqUrl in the outputs).")
    String queueUrl;

    @Option(names = "--dry-run", description = "Report what would be replayed; write and delete nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    public ReplayDlqCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Settings settings = connection.resolve(ctx).requireAws();
        String url = queueUrl != null && !queueUrl.isBlank() ? queueUrl
                : Outputs.load(settings.outputsFile()).get(Outputs.DLQ_URL);
        if (url == null || url.isBlank()) {
            throw OpsException.usage("no on-failure queue: pass --queue-url, or an outputs file with DlqUrl");
        }
        ReplayReport report;
        try (SqsClient sqs = AwsClients.sqs(settings, ctx);
             DynamoDbClient ddb = AwsClients.dynamoDb(settings, ctx);
             DynamoDbStreamsClient streams = AwsClients.streams(settings, ctx)) {
            report = new DlqReplayer(sqs, ddb, streams, url, settings.commandTable(), settings.notificationTable(),
                    dryRun, Clock.systemUTC()).run();
        } catch (SdkException e) {
            throw AwsErrors.describe(e, settings);
        }
        if (json) {
            ctx.out().println(Json.write(report.toJson()));
        } else {
            ctx.out().print(report.render());
        }
        return report.stillFailing() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
