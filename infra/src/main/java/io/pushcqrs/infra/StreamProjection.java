package io.pushcqrs.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * The stream projection's wiring: command-records' stream -> event source mapping -> stream-processor, with bounded
 * retries, bisection, a maximum record age, partial batch responses and an on-failure queue (the DLQ, which keeps
 * the shard and sequence range of every batch the mapping gave up on). docs/architecture.md, "The projection".
 */
final class StreamProjection {
    /**
     * Context {@code streamBatchingWindowSeconds} (0..300, default {@value #DEFAULT_BATCHING_WINDOW_SECONDS}): how long
     * the mapping gathers records before it invokes. 0 (AWS's default for streams) invokes as soon as records are read:
     * latency first; a longer window makes fuller batches (fewer invocations) when the stream is quiet, at the price
     * of that much latency (docs/infra.md, "The batching window").
     */
    static final String CTX_BATCHING_WINDOW = "streamBatchingWindowSeconds";
    static final int DEFAULT_BATCHING_WINDOW_SECONDS = 0;

    private final StackParts stack;
    private final Queue streamDlq;

    /** Creates the on-failure queue; {@link #connect} adds the mapping once the function exists. */
    StreamProjection(StackParts stack) {
        this.stack = stack;
        this.streamDlq = streamProcessorDlq();
    }

    Queue dlq() {
        return streamDlq;
    }

    /** Where the stream mapping sends the metadata of batches it gave up on (replay from there). */
    private Queue streamProcessorDlq() {
        return Queue.Builder.create(stack.scope(), "StreamProcessorDlq")
                .queueName(stack.config().name("stream-processor-dlq"))
                // The maximum SQS allows: time to notice the alarm, fix and replay (the stream itself keeps 24 h).
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .removalPolicy(stack.removalPolicy())
                .build();
    }

    /** The batching window of the context value (null: the default); fails synthesis naming the rule. */
    static int batchingWindowSeconds(String value) {
        if (value == null) {
            return DEFAULT_BATCHING_WINDOW_SECONDS;
        }
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= 300) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("context " + CTX_BATCHING_WINDOW + "='" + value + "' must be a whole number"
                + " of seconds from 0 to 300 (Lambda's MaximumBatchingWindowInSeconds), e.g. -c "
                + CTX_BATCHING_WINDOW + "=1");
    }

    /** command-records' stream -> stream-processor, with bounded retries and an on-failure queue. */
    void connect(Table commandTable, Function streamProcessor) {
        streamProcessor.addEventSource(DynamoEventSource.Builder.create(commandTable)
                // From the oldest record still in the stream: nothing written before the mapping is lost.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(batchingWindowSeconds(InfraConfig.setting(stack.scope().getNode(),
                        CTX_BATCHING_WINDOW))))
                // A failing batch is split in halves until the poison record stands alone.
                .bisectBatchOnError(true)
                .retryAttempts(3)
                .maxRecordAge(Duration.hours(1))
                // The handler returns batchItemFailures: only the failed record and those after it retry.
                .reportBatchItemFailures(true)
                // One batch per shard at a time keeps the changes of one item in order.
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(streamDlq))
                .build());
    }
}
