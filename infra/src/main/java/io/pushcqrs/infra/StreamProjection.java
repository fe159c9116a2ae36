package io.pushcqrs.infra;

import software.amazon.awscdk.Duration;
import software.constructs.IConstruct;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * The stream projection's wiring: command-records' stream -> event source mapping -> stream-processor, with retries
 * until a maximum record age, bisection, partial batch responses and an on-failure queue (the DLQ: the shard and
 * sequence range of every batch the mapping gave up on, and the poison records the handler sends there itself).
 * docs/architecture.md, "The projection"; docs/reliability.md.
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

    /** How old a record may get before the mapping gives it up to the on-failure queue: 22 h (see connect). */
    static final Duration MAX_RECORD_AGE = Duration.hours(22);

    /**
     * command-records' stream -> stream-processor: a failed record is retried until it is {@link #MAX_RECORD_AGE} old
     * (docs/reliability.md, "The mapping's retry and age settings").
     */
    void connect(Table commandTable, Function streamProcessor) {
        streamProcessor.addEventSource(DynamoEventSource.Builder.create(commandTable)
                // From the oldest record still in the stream: nothing written before the mapping is lost.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(batchingWindowSeconds(InfraConfig.setting(stack.scope().getNode(),
                        CTX_BATCHING_WINDOW))))
                // A failed invocation (a crash, a timeout) is split in halves until the record that causes it stands
                // alone. Poison records never fail an invocation: the handler sends them to the on-failure queue.
                .bisectBatchOnError(true)
                // Retried until the record is 22 h old, however often: transient failures (an outage of the table)
                // must not send good records to the on-failure queue. 22 h, not -1: on -1 a record is retried until
                // the stream's 24 h retention trims it, and then it is gone without an on-failure message; at 22 h
                // the mapping says which records it gave up while the stream still holds them for 2 h (replay-dlq).
                .maxRecordAge(MAX_RECORD_AGE)
                // The handler returns batchItemFailures: only the failed record and those after it retry.
                .reportBatchItemFailures(true)
                // One batch per shard at a time keeps the changes of one item in order.
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(streamDlq))
                .build());
        // MaximumRetryAttempts -1 (no count: the age above is the bound). The CDK takes 0..10000 only, CloudFormation
        // and Lambda take -1 (Lambda's own default, written out so that the template says it).
        for (IConstruct c : streamProcessor.getNode().findAll()) {
            if (c instanceof CfnEventSourceMapping mapping) {
                mapping.addPropertyOverride("MaximumRetryAttempts", -1);
            }
        }
    }
}
