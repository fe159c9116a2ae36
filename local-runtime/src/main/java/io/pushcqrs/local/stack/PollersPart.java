package io.pushcqrs.local.stack;

import io.pushcqrs.local.edge.LineLog;
import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.iam.IamMode;
import io.pushcqrs.local.iam.Session;
import io.pushcqrs.local.lambda.LambdaInvoker;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.resources.StackModel;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event source mappings of a deployment: one {@link StreamPoller} per mapping. A new mapping starts a poller; a
 * changed one (batch size, retries, destination, a new stream, its function's role...) stops its poller and starts one
 * with the new settings, which resumes from the checkpoint of its stream (the checkpoint file is named by the mapping
 * and the stream, so an unchanged stream keeps its position); a deleted one stops. An unchanged mapping keeps
 * polling. With IAM, a mapping reads its stream and sends to its destination with its function's role (a session of
 * {@link IamPart}, through the edge's check), and one whose role lacks what it needs is not started (enforce), as
 * Lambda refuses to create it.
 */
final class PollersPart implements StackPart {
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final LambdaInvoker invoker;
    private final CheckpointStore checkpoints;
    private final LineLog log;
    private final PrintStream out;
    private final IamPart iam;
    private final URI endpoint;
    private final Duration idle;
    /** Running pollers by mapping checkpoint id (uuid). */
    private final Map<String, Running> pollers = new ConcurrentHashMap<>();
    /** Given to every poller started from now on (the console). */
    volatile io.pushcqrs.local.console.ConsoleEvents events = io.pushcqrs.local.console.ConsoleEvents.NONE;

    /** A poller, what it was started for (the spec, the session's key) and the clients made for it. */
    private record Running(EsmSpec spec, String sessionKey, StreamPoller poller, List<AutoCloseable> clients) {
    }

    PollersPart(DynamoDbStreamsClient streams, SqsClient sqs, LambdaInvoker invoker, CheckpointStore checkpoints,
                LineLog log, PrintStream out, IamPart iam, URI endpoint, Duration idle) {
        this.streams = streams;
        this.sqs = sqs;
        this.invoker = invoker;
        this.checkpoints = checkpoints;
        this.log = log;
        this.out = out;
        this.iam = iam;
        this.endpoint = endpoint;
        this.idle = idle;
    }

    @Override
    public void apply(Change change) {
        Map<String, EsmSpec> after = byId(change.after());
        for (String uuid : byId(change.before()).keySet()) {
            Running r = pollers.get(uuid);
            if (r != null && !same(r, after.get(uuid))) {
                stop(pollers.remove(uuid));
            }
        }
        for (EsmSpec spec : after.values()) {
            if (!pollers.containsKey(spec.uuid())) {
                pollers.put(spec.uuid(), start(spec));
            }
        }
    }

    private boolean same(Running r, EsmSpec spec) {
        if (spec == null || !Objects.equals(r.spec(), spec)) {
            return false;
        }
        Session session = iam.mappingSession(spec);
        return Objects.equals(r.sessionKey(), session == null ? null : session.accessKeyId());
    }

    /** Set after a replay of a persisted backend: the pollers take over their previous stream's checkpoint. */
    private volatile boolean carryCheckpoints;

    void carryCheckpointsOver() {
        carryCheckpoints = true;
    }

    private Running start(EsmSpec spec) {
        try {
            if (carryCheckpoints && checkpoints.carryOver(spec.uuid())) {
                log.accept("[esm " + spec.uuid() + "] the checkpoint of the stream before the restart is carried over"
                        + " (persisted backend: same shard and sequence numbers)");
            }
            checkpoints.deleteOtherStreams(spec.uuid());
        } catch (IOException e) {
            out.println("(could not clean old checkpoints in " + checkpoints.dir() + ": " + e.getMessage() + ")");
        }
        DynamoDbStreamsClient pollerStreams = streams;
        SqsClient pollerSqs = sqs;
        List<AutoCloseable> clients = new ArrayList<>();
        String refused = null;
        Session session = iam.mappingSession(spec);
        if (session != null) {
            // as AWS: the mapping reads the stream and sends to its destination with its function's role,
            // so its calls go through the edge's IAM check with that role's session
            refused = iam.checkMapping(spec);
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
            pollerStreams = MotoClients.streams(endpoint, credentials);
            pollerSqs = MotoClients.sqs(endpoint, credentials);
            clients.add(pollerStreams);
            clients.add(pollerSqs);
        }
        StreamPoller poller = new StreamPoller(spec, pollerStreams, pollerSqs, invoker, checkpoints,
                StreamPoller.Options.defaults().withIdleSleep(idle).withLog(log));
        poller.events(events);
        if (refused != null && iam.mode() == IamMode.ENFORCE) {
            log.accept("[esm " + spec.uuid() + "] NOT STARTED (IAM): " + refused);
        } else {
            if (refused != null) {
                log.accept("[esm " + spec.uuid() + "] IAM audit: AWS would refuse this mapping: " + refused);
            }
            poller.start();
        }
        return new Running(spec, session == null ? null : session.accessKeyId(), poller, clients);
    }

    private static void stop(Running r) {
        if (r == null) {
            return;
        }
        r.poller().close();
        for (AutoCloseable c : r.clients()) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a client: nothing to do
            }
        }
    }

    /**
     * Stops every poller and starts it again from its checkpoint, with the same settings (fault injection's restart
     * under load: docs/reliability.md); {@code whileStopped} runs for each mapping once every poller is stopped.
     */
    synchronized void restart(java.util.function.Consumer<EsmSpec> whileStopped) {
        for (Running r : pollers.values()) {
            stop(r);
        }
        for (Running r : pollers.values()) {
            whileStopped.accept(r.spec());
        }
        for (Map.Entry<String, Running> e : pollers.entrySet()) {
            e.setValue(start(e.getValue().spec()));
        }
    }

    /** The pollers (started or not: a mapping IAM refused has one that never started). */
    List<StreamPoller> pollers() {
        List<StreamPoller> out = new ArrayList<>();
        pollers.values().forEach(r -> out.add(r.poller()));
        return out;
    }

    @Override
    public void close() {
        pollers.values().forEach(PollersPart::stop);
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
