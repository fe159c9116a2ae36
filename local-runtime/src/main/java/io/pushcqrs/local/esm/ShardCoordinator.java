package io.pushcqrs.local.esm;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Which shards of the stream are read, and from where: lists the shards (DescribeStream, every page, again every
 * {@link StreamPoller.Options#shardRefresh()} or when a reader ends) and starts a daemon {@link ShardReader} per
 * shard that is not read to its end yet. A child shard is read only once its parent is read to its end. With
 * StartingPosition LATEST, the shards open at the first listing are read from LATEST and the closed ones are skipped
 * (marked ended); shards that appear later are read from TRIM_HORIZON, as AWS does.
 */
final class ShardCoordinator implements Runnable {
    private final PollerContext ctx;
    private final Map<String, Thread> readers = new ConcurrentHashMap<>();

    ShardCoordinator(PollerContext ctx) {
        this.ctx = ctx;
    }

    /** The reader threads running now. */
    List<Thread> readers() {
        return new ArrayList<>(readers.values());
    }

    @Override
    public void run() {
        Map<String, Boolean> firstSeenOpen = null; // shards present when the poller started: id -> open
        String lastProblem = null;
        while (!ctx.closed()) {
            try {
                List<Shard> shards = describeShards();
                if (firstSeenOpen == null) {
                    firstSeenOpen = new LinkedHashMap<>();
                    for (Shard s : shards) {
                        firstSeenOpen.put(s.shardId(), s.sequenceNumberRange() == null
                                || s.sequenceNumberRange().endingSequenceNumber() == null);
                    }
                    ctx.log("stream has " + shards.size() + " shard(s)");
                }
                startReaders(shards, firstSeenOpen);
                lastProblem = null;
            } catch (ResourceNotFoundException e) {
                lastProblem = ctx.logOnce(lastProblem, "stream not found (" + e.awsErrorDetails().errorMessage()
                        + "); trying again every " + ctx.options.shardRefresh().toSeconds() + " s");
            } catch (SdkException | IllegalStateException | UncheckedIOException e) {
                lastProblem = ctx.logOnce(lastProblem, "cannot list the shards: " + e.getMessage() + "; trying again");
            }
            try {
                ctx.wake.tryAcquire(ctx.options.shardRefresh().toMillis(), TimeUnit.MILLISECONDS);
                ctx.wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void startReaders(List<Shard> shards, Map<String, Boolean> firstSeenOpen) {
        String uuid = ctx.spec.uuid();
        Set<String> ids = new HashSet<>();
        shards.forEach(s -> ids.add(s.shardId()));
        for (Shard s : shards) {
            String id = s.shardId();
            if (readers.containsKey(id) || ctx.checkpoints.isEnded(uuid, id)) {
                continue;
            }
            String parent = s.parentShardId();
            if (parent != null && ids.contains(parent) && !ctx.checkpoints.isEnded(uuid, parent)) {
                continue; // the parent's records come first
            }
            ShardIteratorType initial = ShardIteratorType.TRIM_HORIZON;
            Boolean open = firstSeenOpen.get(id);
            if (open != null && "LATEST".equals(ctx.spec.startingPosition())) {
                if (!open && ctx.checkpoints.sequenceNumber(uuid, id).isEmpty()) {
                    ctx.checkpoints.markEnded(uuid, id); // LATEST: nothing of a closed shard is wanted
                    continue;
                }
                initial = ShardIteratorType.LATEST;
            }
            startReader(id, initial);
        }
    }

    private List<Shard> describeShards() {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            DescribeStreamResponse r = ctx.streams.describeStream(DescribeStreamRequest.builder()
                    .streamArn(ctx.spec.streamArn()).exclusiveStartShardId(start).build());
            shards.addAll(r.streamDescription().shards());
            r.streamDescription().keySchema().stream().filter(k -> k.keyType() == KeyType.HASH).findFirst()
                    .ifPresent(k -> ctx.partitionKey = k.attributeName());
            start = r.streamDescription().lastEvaluatedShardId();
        } while (start != null && !ctx.closed());
        return shards;
    }

    private synchronized void startReader(String shardId, ShardIteratorType initial) {
        if (ctx.closed()) {
            return;
        }
        ShardReader reader = new ShardReader(ctx, shardId, initial, () -> {
            readers.remove(shardId, Thread.currentThread()); // runs on the reader's own thread
            ctx.wake.release();
        });
        Thread t = new Thread(reader, "esm-" + ctx.spec.uuid() + "-" + shardId);
        t.setDaemon(true);
        readers.put(shardId, t);
        t.start();
    }
}
