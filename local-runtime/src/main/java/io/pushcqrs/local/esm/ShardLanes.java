package io.pushcqrs.local.esm;

import io.pushcqrs.local.esm.PollerContext.Stopped;
import io.pushcqrs.local.esm.rules.Batching;
import io.pushcqrs.local.esm.rules.Parallelization;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The concurrent batches of one shard when the mapping's ParallelizationFactor is above 1: one lane per batch, each a
 * daemon thread with its own queue, batching ({@link Batching}) and {@link BatchDelivery} (retries, bisect, partial
 * batch response, on-failure). A record goes to the lane of its partition key ({@link Parallelization#lane}), so a
 * key's records stay in order while other keys' records are processed at the same time. The checkpoint moves only
 * past records that are all done ({@link Parallelization.Progress}); it is written under a lock, so it never goes back.
 * A lane that fails unexpectedly stops the lanes; the reader then starts again from the checkpoint (records done past
 * it are sent again, none is lost).
 */
final class ShardLanes implements AutoCloseable {
    private final PollerContext ctx;
    private final String shardId;
    private final Lane[] lanes;
    private final Thread[] threads;
    private final Parallelization.Progress progress = new Parallelization.Progress();
    private volatile boolean shardEnded;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    ShardLanes(PollerContext ctx, String shardId, int factor) {
        this.ctx = ctx;
        this.shardId = shardId;
        this.lanes = new Lane[factor];
        this.threads = new Thread[factor];
        for (int i = 0; i < factor; i++) {
            lanes[i] = new Lane();
            threads[i] = new Thread(lanes[i], "esm-" + ctx.spec.uuid() + "-" + shardId + "-lane-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Hands records read from the shard (in its order) to their lanes. */
    void dispatch(List<Record> records) {
        synchronized (progress) {
            records.forEach(r -> progress.read(r.dynamodb().sequenceNumber()));
        }
        for (Record r : records) {
            lanes[Parallelization.lane(partitionKey(r), lanes.length)].queue.add(r);
        }
    }

    /** The reader reached the end of the (closed) shard: the lanes send what they hold without waiting for more. */
    void shardEnded() {
        shardEnded = true;
    }

    /** Records read and not yet behind the checkpoint. */
    int inFlight() {
        synchronized (progress) {
            return progress.inFlight();
        }
    }

    /** The unexpected failure of a lane, or null. */
    RuntimeException failure() {
        return failure;
    }

    /** The text that stands for a record's partition key: its partition key attribute's value, or its whole key. */
    String partitionKey(Record r) {
        Map<String, AttributeValue> keys = r.dynamodb().keys();
        String name = ctx.partitionKey;
        if (name != null && keys.containsKey(name)) {
            return StreamEventFactory.value(keys.get(name)).toString();
        }
        return StreamEventFactory.item(new TreeMap<>(keys)).toString();
    }

    private void done(List<Record> records) {
        synchronized (progress) {
            records.forEach(r -> progress.done(r.dynamodb().sequenceNumber()));
            progress.advance().ifPresent(seq -> ctx.checkpoints.put(ctx.spec.uuid(), shardId, seq));
        }
    }

    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One lane: its records in order, batched and delivered one batch at a time. */
    private final class Lane implements Runnable {
        final LinkedBlockingQueue<Record> queue = new LinkedBlockingQueue<>();
        private final List<Record> buffer = new ArrayList<>();
        private final BatchDelivery delivery = new BatchDelivery(ctx, shardId, ShardLanes.this::done);
        private long windowStart;

        @Override
        public void run() {
            try {
                while (!stopped && !ctx.closed()) {
                    step();
                }
            } catch (Stopped | InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                if (!stopped && !ctx.closed()) {
                    failure = e;
                }
            }
        }

        private void step() throws InterruptedException {
            Duration window = Duration.ofSeconds(ctx.spec.maxBatchingWindowSeconds());
            if (buffer.isEmpty()) {
                Record first = queue.poll(ctx.options.idleSleep().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    return;
                }
                buffer.add(first);
                windowStart = System.nanoTime();
            }
            queue.drainTo(buffer, Math.max(0, ctx.spec.batchSize() - buffer.size()));
            Duration waited = Duration.ofNanos(System.nanoTime() - windowStart);
            int fit = StreamEventFactory.recordsThatFit(buffer, ctx.spec.streamArn(), Batching.MAX_PAYLOAD_BYTES);
            if (Batching.invokeNow(buffer.size(), fit, ctx.spec.batchSize(), waited, window, shardEnded && queue.isEmpty())) {
                List<Record> batch = new ArrayList<>(buffer.subList(0, Math.min(fit, ctx.spec.batchSize())));
                buffer.subList(0, batch.size()).clear();
                if (!buffer.isEmpty()) {
                    windowStart = System.nanoTime();
                }
                delivery.deliver(batch);
                return;
            }
            Duration wait = Batching.waitBeforeNextRead(ctx.options.idleSleep(), waited, window);
            Record next = queue.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            if (next != null) {
                buffer.add(next);
            }
        }
    }
}
