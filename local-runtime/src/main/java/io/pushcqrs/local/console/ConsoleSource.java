package io.pushcqrs.local.console;

import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.model.sync.SyncReport;

import java.time.Instant;
import java.util.List;

/**
 * What the console reads from the running stack when a page asks (never before): its state, the deployed model, and
 * the answers that cost a call to the backend (the stream read behind a mapping's checkpoint, DescribeTable, the
 * dead-letter queue, a check-sync scan). {@link StackSource} is the running stack's; tests give their own.
 */
public interface ConsoleSource {

    record StackInfo(String name, String status, String endpoint, Instant startedAt) {
    }

    /** A mapping with its poller's state now. */
    record MappingInfo(EsmSpec spec, String table, StreamPoller.Status status, StreamPoller.Stats stats) {
    }

    /**
     * How far a mapping is behind its stream: the records after its checkpoint (read from the stream on request).
     *
     * @param records     records not done with yet (in flight included); at most {@link StackSource#MAX_LAG_COUNT}
     * @param capped      true when there are more than that
     * @param oldestAgeMs the age of the oldest of them (now minus its ApproximateCreationDateTime), null when none
     * @param problem     why it could not be read, else null
     */
    record Lag(long records, boolean capped, Long oldestAgeMs, String problem) {
        public static final Lag NONE = new Lag(0, false, null, null);
    }

    record FunctionInfo(FunctionSpec spec, boolean active, int environments, int maxEnvironments) {
    }

    record IndexInfo(String name, List<String> keys, String status, Long itemCount) {
    }

    /** A table as DescribeTable answers (moto's ItemCount is exact and live; AWS's is refreshed about every 6 h). */
    record TableInfo(String name, String status, Long itemCount, Long sizeBytes, List<String> keys, String stream,
                     List<IndexInfo> indexes, String problem) {
    }

    /**
     * An on-failure message, read from its JSON body (AWS's shape: DDBStreamBatchInfo, requestContext). The stream
     * processor's own messages for poison records (condition PoisonRecord, no shard id) also name the item
     * ({@code item}: its keys) and why it cannot be projected ({@code detail}); null in the mapping's messages.
     */
    record QueueMessage(String messageId, Instant sent, int receiveCount, String shardId, String startSequenceNumber,
                        String endSequenceNumber, Integer batchSize, String condition, String functionError,
                        Integer approximateInvokeCount, String item, String detail) {
    }

    record QueueInfo(String name, String url, Long depth, Long inFlight, List<QueueMessage> messages, String problem) {
    }

    StackInfo stack();

    List<MappingInfo> mappings();

    Lag lag(EsmSpec mapping);

    List<FunctionInfo> functions();

    /** The last lines of a function's log ({@code <function>.log}), oldest first. */
    List<String> logTail(String function, int lines);

    List<TableInfo> tables();

    /** The stack's queues with their depth and up to {@code maxMessages} messages, newest first. */
    List<QueueInfo> queues(int maxMessages);

    List<RestApiModel> apis();

    /** Runs check-sync's comparison of the command and notification tables. */
    SyncReport checkSync(int examples);
}
