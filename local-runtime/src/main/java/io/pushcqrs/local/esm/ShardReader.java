package io.pushcqrs.local.esm;

import io.pushcqrs.local.esm.PollerContext.Stopped;
import io.pushcqrs.local.esm.rules.Batching;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one shard and makes batches of its records ({@link Batching}), each delivered by a {@link BatchDelivery}
 * before the next is read.
 * <p>
 * The iterator comes from the checkpoint (AFTER_SEQUENCE_NUMBER) or, when there is none, from the position the
 * coordinator gives (TRIM_HORIZON or LATEST); a checkpoint older than the stream's retention falls back to
 * TRIM_HORIZON. The reader sleeps {@link StreamPoller.Options#idleSleep()} when there is nothing new, takes a new
 * iterator from where it got to when GetRecords fails (expired iterator, server error; the pause grows), and starts
 * again from the checkpoint after an unexpected failure (a checkpoint that cannot be written...). A closed shard
 * read to its end is marked ended in the checkpoint store, so its children may be read.
 */
final class ShardReader implements Runnable {
    private static final int MAX_GET_RECORDS = 1000;

    private final PollerContext ctx;
    private final String shardId;
    private final ShardIteratorType initial;
    private final BatchDelivery delivery;
    private final Runnable onExit;
    private final List<Record> buffer = new ArrayList<>();
    private String iterator;
    private String lastRead;      // the last sequence number taken into the buffer (or done with)
    private boolean ended;        // GetRecords answered no next iterator: the shard is closed and read
    private long windowStart;     // nanoTime when the first record of the buffer arrived
    private long bufferBytes;     // the size of the buffer's records in an event
    private int readFailures;     // consecutive failed GetRecords calls
    private ShardLanes lanes;     // the concurrent batches when ParallelizationFactor > 1, else null

    /** @param onExit run when the reader stops, for whatever reason */
    ShardReader(PollerContext ctx, String shardId, ShardIteratorType initial, Runnable onExit) {
        this.ctx = ctx;
        this.shardId = shardId;
        this.initial = initial;
        this.delivery = new BatchDelivery(ctx, shardId);
        this.onExit = onExit;
    }

    @Override
    public void run() {
        String lastProblem = null;
        if (ctx.spec.parallelizationFactor() > 1) {
            lanes = new ShardLanes(ctx, shardId, ctx.spec.parallelizationFactor());
        }
        try {
            while (!ctx.closed()) {
                try {
                    if (lanes != null ? laneStep() : step()) {
                        return;
                    }
                    lastProblem = null;
                } catch (Stopped e) {
                    return;
                } catch (RuntimeException e) {
                    // unexpected (a checkpoint that cannot be written, a broken invoker, ...): start again from the checkpoint
                    lastProblem = ctx.logOnce(lastProblem, "shard " + shardId + ": " + e + "; resuming from the checkpoint");
                    failed(e.toString());
                    buffer.clear();
                    bufferBytes = 0;
                    iterator = null;
                    lastRead = null;
                    ended = false;
                    if (lanes != null) {
                        lanes.close(); // the records in flight are read again from the checkpoint
                        lanes = new ShardLanes(ctx, shardId, ctx.spec.parallelizationFactor());
                    }
                    ctx.pause(ctx.options.maxRetryBackoff());
                }
            }
        } catch (Stopped e) {
            // closing
        } finally {
            if (lanes != null) {
                lanes.close();
            }
            onExit.run();
        }
    }

    /**
     * One round with concurrent batches: read (unless too much is in flight), hand the records to their lanes; at the
     * end of a closed shard, wait for every record to be done. Returns true when the shard is done for good.
     */
    private boolean laneStep() {
        RuntimeException failed = lanes.failure();
        if (failed != null) {
            throw new IllegalStateException("a concurrent batch failed: " + failed, failed);
        }
        int maxInFlight = Math.max(ctx.spec.batchSize(), 1) * ctx.spec.parallelizationFactor() * 2;
        if (!ended && iterator == null) {
            iterator = acquire();
        }
        int returned = 0;
        if (!ended && lanes.inFlight() < maxInFlight) {
            Integer read = read();
            if (read == null) {
                return false;
            }
            returned = read;
            if (!buffer.isEmpty()) {
                lanes.dispatch(new ArrayList<>(buffer));
                buffer.clear();
                bufferBytes = 0;
            }
        }
        if (ended) {
            lanes.shardEnded();
            if (lanes.inFlight() == 0) {
                ctx.checkpoints.markEnded(ctx.spec.uuid(), shardId);
                ctx.log("shard " + shardId + " is closed and read to its end");
                return true;
            }
        }
        if (returned == 0) {
            ctx.pause(ctx.options.idleSleep());
        }
        return false;
    }

    /** One round: read, maybe deliver a batch. Returns true when the shard is done for good. */
    private boolean step() {
        if (!ended && iterator == null) {
            iterator = acquire();
        }
        int returned = 0;
        if (!ended && buffer.size() < ctx.spec.batchSize()) {
            Integer read = read();
            if (read == null) {
                return false;
            }
            returned = read;
        }
        if (!buffer.isEmpty()) {
            Duration waited = Duration.ofNanos(System.nanoTime() - windowStart);
            Duration window = Duration.ofSeconds(ctx.spec.maxBatchingWindowSeconds());
            int fit = bufferBytes + 16 <= Batching.MAX_PAYLOAD_BYTES ? buffer.size()
                    : StreamEventFactory.recordsThatFit(buffer, ctx.spec.streamArn(), Batching.MAX_PAYLOAD_BYTES);
            if (Batching.invokeNow(buffer.size(), fit, ctx.spec.batchSize(), waited, window, ended)) {
                List<Record> batch = new ArrayList<>(buffer.subList(0, fit));
                buffer.subList(0, fit).clear();
                bufferBytes = 0;
                buffer.forEach(r -> bufferBytes += StreamEventFactory.size(r, ctx.spec.streamArn()) + 1);
                delivery.deliver(batch);
                return false;
            }
            if (returned == 0) {
                ctx.pause(Batching.waitBeforeNextRead(ctx.options.idleSleep(), waited, window));
            }
            return false;
        }
        if (ended) {
            ctx.checkpoints.markEnded(ctx.spec.uuid(), shardId);
            ctx.log("shard " + shardId + " is closed and read to its end");
            return true;
        }
        if (returned == 0) {
            ctx.pause(ctx.options.idleSleep());
        }
        return false;
    }

    /** One GetRecords into the buffer: the number of records it returned, or null when it failed (after a pause). */
    private Integer read() {
        GetRecordsResponse r;
        try {
            r = ctx.streams.getRecords(b -> b.shardIterator(iterator)
                    .limit(Math.min(MAX_GET_RECORDS, ctx.spec.batchSize() - buffer.size())));
        } catch (ExpiredIteratorException e) {
            ctx.log("shard " + shardId + ": the iterator expired; taking a new one");
            iterator = null;
            ctx.pause(ctx.options.retryBackoff());
            return null;
        } catch (SdkException e) {
            ctx.checkOpen();
            // said once per streak of failures (and once more if the shard gets stuck); the pause grows up to maxRetryBackoff
            String problem = "GetRecords failed (" + e.getMessage() + ")";
            if (failed(problem) == PollerStatus.Transition.FIRST_FAILURE) {
                ctx.log("shard " + shardId + ": " + problem + "; taking a new iterator");
            }
            iterator = null;
            ctx.pause(ctx.backoff(++readFailures));
            return null;
        }
        readFailures = 0;
        PollerStatus.Shard before = ctx.status.readSucceeded(shardId);
        if (before != null && before.stuck()) {
            ctx.log("shard " + shardId + " makes progress again, after " + before.failedReads() + " failed reads since "
                    + before.failingSince());
        }
        for (Record rec : r.records()) {
            if (buffer.isEmpty()) {
                windowStart = System.nanoTime();
            }
            buffer.add(rec);
            bufferBytes += StreamEventFactory.size(rec, ctx.spec.streamArn()) + 1;
            lastRead = rec.dynamodb().sequenceNumber();
        }
        if (!r.records().isEmpty()) {
            ctx.events.recordsRead(ctx.spec, r.records());
        }
        iterator = r.nextShardIterator();
        if (iterator == null) {
            ended = true;
        }
        return r.records().size();
    }

    /** Counts a failed read of this shard; logs, once, that the shard cannot make progress. */
    private PollerStatus.Transition failed(String problem) {
        PollerStatus.Transition t = ctx.status.readFailed(shardId, "shard " + shardId + ": " + problem,
                ctx.options.clock().instant());
        if (t == PollerStatus.Transition.STUCK) {
            ctx.log("shard " + shardId + " CANNOT MAKE PROGRESS: " + PollerStatus.STUCK_AFTER + " reads in a row failed, the"
                    + " last: " + problem + ". No record from here on reaches " + ctx.target + " and the iterator age grows"
                    + " (GET /_local/health); the poller keeps trying. On AWS, DynamoDB refuses the writes that make"
                    + " such records; this stream was written past the edge's checks (straight into moto?)");
        }
        return t;
    }

    private String acquire() {
        String uuid = ctx.spec.uuid();
        String after = lastRead != null ? lastRead : ctx.checkpoints.sequenceNumber(uuid, shardId).orElse(null);
        GetShardIteratorRequest.Builder req = GetShardIteratorRequest.builder().streamArn(ctx.spec.streamArn()).shardId(shardId);
        if (after != null) {
            req.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
        } else {
            req.shardIteratorType(initial);
        }
        try {
            return ctx.streams.getShardIterator(req.build()).shardIterator();
        } catch (TrimmedDataAccessException e) {
            ctx.log("shard " + shardId + ": the checkpoint " + after + " is past the stream's retention; reading from TRIM_HORIZON");
            return ctx.streams.getShardIterator(GetShardIteratorRequest.builder().streamArn(ctx.spec.streamArn())
                    .shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON).build()).shardIterator();
        } catch (ResourceNotFoundException e) {
            ctx.checkOpen();
            throw new IllegalStateException("the shard or stream is gone: " + e.awsErrorDetails().errorMessage(), e);
        }
    }
}
