package io.pushcqrs.local.esm;

import io.pushcqrs.local.esm.rules.BatchOutcome;
import io.pushcqrs.local.esm.rules.DeliveryRules;
import io.pushcqrs.local.esm.rules.DeliveryRules.AfterInvoke;
import io.pushcqrs.local.esm.rules.DeliveryRules.Discard;
import io.pushcqrs.local.esm.rules.DeliveryRules.Invoke;
import io.pushcqrs.local.esm.rules.DeliveryRules.Step;
import io.pushcqrs.local.lambda.InvokeResult;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.pushcqrs.local.esm.PollerContext.range;

/**
 * Delivers the batches of one shard: carries out what {@link DeliveryRules} decides, with the I/O it takes (invoke
 * the function, write the checkpoint, send to the on-failure queue, wait), and writes one log line per invocation
 * and per discard: shard, record count, first..last sequence number, attempt, outcome, duration.
 */
final class BatchDelivery {
    private static final int ON_FAILURE_SEND_ATTEMPTS = 3;

    private final PollerContext ctx;
    private final String shardId;
    /** Told of the records done with (delivered or given up on), in batch order. */
    private final Consumer<List<Record>> done;

    /** Records done with move the shard's checkpoint to the last of them (one batch at a time per shard). */
    BatchDelivery(PollerContext ctx, String shardId) {
        this(ctx, shardId, null);
    }

    /** @param done told of the records done with, instead of checkpointing (concurrent batches of a shard) */
    BatchDelivery(PollerContext ctx, String shardId, Consumer<List<Record>> done) {
        this.ctx = ctx;
        this.shardId = shardId;
        this.done = done != null ? done : records -> checkpoint(records.get(records.size() - 1));
    }

    /** Delivers one batch; returns when every record of it is done with (checkpointed). */
    void deliver(List<Record> batch) {
        List<Instant> created = new ArrayList<>(batch.size());
        batch.forEach(r -> created.add(r.dynamodb().approximateCreationDateTime()));
        DeliveryRules rules = new DeliveryRules(ctx.rules(), created);
        while (true) {
            ctx.checkOpen();
            Step step = rules.next(ctx.options.clock().instant());
            if (step instanceof Invoke i) {
                List<Record> records = batch.subList(i.from(), i.to());
                Invoked invoked = invoke(records);
                AfterInvoke after = rules.after(invoked.outcome());
                ctx.events.batch(ctx.spec, shardId, records, after.attempt(), invoked.outcome(), invoked.ms());
                ctx.log("shard " + shardId + " records=" + records.size() + " seq=" + range(records)
                        + " attempt=" + after.attempt() + " -> " + describe(invoked.outcome()) + " (" + invoked.ms() + " ms"
                        + (invoked.requestId() == null ? "" : ", request " + invoked.requestId()) + ")");
                if (after.done() > 0) {
                    List<Record> projected = batch.subList(after.doneFrom(), after.doneTo());
                    done.accept(projected);
                    ctx.recordsSucceeded.addAndGet(after.done());
                    ctx.events.projected(ctx.spec, projected);
                }
                ctx.pause(after.pause());
            } else if (step instanceof Discard d) {
                discard(batch.subList(d.from(), d.to()), d);
            } else {
                return;
            }
        }
    }

    private record Invoked(BatchOutcome outcome, String requestId, long ms) {
    }

    private Invoked invoke(List<Record> records) {
        List<String> seqs = new ArrayList<>(records.size());
        records.forEach(r -> seqs.add(r.dynamodb().sequenceNumber()));
        byte[] event = StreamEventFactory.event(records, ctx.spec.streamArn());
        long t0 = System.nanoTime();
        ctx.invocations.incrementAndGet();
        ctx.status.invoked(shardId, records.get(records.size() - 1).dynamodb().approximateCreationDateTime(),
                ctx.options.clock().instant());
        try {
            InvokeResult result = ctx.invoker.invoke(ctx.target, event);
            if (result == null) {
                throw new IllegalStateException("the invoker returned no result");
            }
            return new Invoked(BatchOutcome.of(result, seqs, ctx.spec.reportBatchItemFailures()), result.requestId(),
                    millisSince(t0));
        } catch (RuntimeException e) {
            ctx.checkOpen();
            return new Invoked(BatchOutcome.invokerFailed(e), null, millisSince(t0));
        }
    }

    private void discard(List<Record> records, Discard d) {
        String what = records.size() + " record(s) seq=" + range(records) + " (" + d.condition() + ", "
                + d.invokeCount() + " invocation(s))";
        OnFailureDestination onFailure = ctx.onFailure;
        boolean sent = false;
        if (onFailure == null) {
            ctx.log("shard " + shardId + " DISCARDED " + what + ": no on-failure destination, skipped");
        } else {
            String message = OnFailureMessage.json(ctx.spec.functionArn(), ctx.spec.streamArn(), shardId, records,
                    d.condition(), d.invokeCount(), d.lastOutcome(), ctx.options.clock().instant());
            if (sendWithRetries(onFailure, message)) {
                sent = true;
                ctx.onFailureMessages.incrementAndGet();
                ctx.log("shard " + shardId + " DISCARDED " + what + ": sent to " + onFailure.arn);
            } else {
                ctx.log("shard " + shardId + " DISCARDED " + what + ": the on-failure queue did not take it;"
                        + " the message was: " + message);
            }
        }
        ctx.recordsDiscarded.addAndGet(records.size());
        ctx.events.discarded(ctx.spec, shardId, records, d.condition(), sent);
        done.accept(records);
    }

    private boolean sendWithRetries(OnFailureDestination onFailure, String message) {
        for (int attempt = 1; ; attempt++) {
            try {
                onFailure.send(message);
                return true;
            } catch (SdkException e) {
                ctx.checkOpen();
                ctx.log("shard " + shardId + ": sending to the on-failure queue " + onFailure.arn + " failed ("
                        + e.getMessage() + ")" + (attempt < ON_FAILURE_SEND_ATTEMPTS ? "; trying again" : ""));
                if (attempt >= ON_FAILURE_SEND_ATTEMPTS) {
                    return false;
                }
                ctx.pause(ctx.backoff(attempt));
            }
        }
    }

    private void checkpoint(Record last) {
        ctx.checkpoints.put(ctx.spec.uuid(), shardId, last.dynamodb().sequenceNumber());
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String describe(BatchOutcome o) {
        return switch (o.kind()) {
            case SUCCESS -> "OK";
            case PARTIAL_FAILURE -> "PARTIAL FAILURE: " + o.detail();
            case FUNCTION_ERROR -> "FAILED: " + o.detail();
            case INVOKE_ERROR -> "NOT DELIVERED: " + o.detail();
        };
    }
}
