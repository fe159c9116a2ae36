package io.pushcqrs.local.stack;

import io.pushcqrs.local.edge.LineLog;
import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.lambda.LambdaInvoker;
import io.pushcqrs.local.resources.StackModel;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event source mappings of a deployment: one {@link StreamPoller} per mapping. A new mapping starts a poller; a
 * changed one (batch size, retries, destination, a new stream...) stops its poller and starts one with the new
 * settings, which resumes from the checkpoint of its stream (the checkpoint file is named by the mapping and the
 * stream, so an unchanged stream keeps its position); a deleted one stops. An unchanged mapping keeps polling.
 */
final class PollersPart implements StackPart {
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final LambdaInvoker invoker;
    private final CheckpointStore checkpoints;
    private final LineLog log;
    private final PrintStream out;
    /** Running pollers by mapping checkpoint id (uuid). */
    private final Map<String, StreamPoller> pollers = new ConcurrentHashMap<>();

    PollersPart(DynamoDbStreamsClient streams, SqsClient sqs, LambdaInvoker invoker, CheckpointStore checkpoints,
                LineLog log, PrintStream out) {
        this.streams = streams;
        this.sqs = sqs;
        this.invoker = invoker;
        this.checkpoints = checkpoints;
        this.log = log;
        this.out = out;
    }

    @Override
    public void apply(Change change) {
        Map<String, EsmSpec> before = byId(change.before());
        Map<String, EsmSpec> after = byId(change.after());
        for (Map.Entry<String, EsmSpec> e : before.entrySet()) {
            if (!Objects.equals(after.get(e.getKey()), e.getValue())) {
                StreamPoller p = pollers.remove(e.getKey());
                if (p != null) {
                    p.close();
                }
            }
        }
        for (EsmSpec spec : after.values()) {
            if (pollers.containsKey(spec.uuid())) {
                continue;
            }
            try {
                checkpoints.deleteOtherStreams(spec.uuid());
            } catch (IOException e) {
                out.println("(could not clean old checkpoints in " + checkpoints.dir() + ": " + e.getMessage() + ")");
            }
            StreamPoller poller = new StreamPoller(spec, streams, sqs, invoker, checkpoints,
                    StreamPoller.Options.defaults().withLog(log));
            pollers.put(spec.uuid(), poller);
            poller.start();
        }
    }

    /** The running pollers. */
    List<StreamPoller> pollers() {
        return new ArrayList<>(pollers.values());
    }

    @Override
    public void close() {
        for (StreamPoller p : pollers.values()) {
            p.close();
        }
        pollers.clear();
    }

    private static Map<String, EsmSpec> byId(StackModel model) {
        Map<String, EsmSpec> out = new LinkedHashMap<>();
        if (model != null) {
            model.mappings().forEach(m -> out.put(m.uuid(), m));
        }
        return out;
    }
}
