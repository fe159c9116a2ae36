package io.pushcqrs.local.console;

import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.ApiRequest;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.rules.BatchOutcome;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.util.List;

/**
 * What the running stack tells the console as it happens: one call per event, from the thread that did the work,
 * each one line in the class where the event is (the Lambda runtime's invocation log, the stream poller's reader and
 * delivery, the edge's API Gateway route). Every method does nothing by default ({@link #NONE}), so a part that is not
 * wired to a console pays nothing; {@link ConsoleRecorder} keeps them in small in-memory rings and histograms. An
 * implementation must be cheap and must not throw (it runs on the hot path).
 */
public interface ConsoleEvents {
    /** Records nothing. */
    ConsoleEvents NONE = new ConsoleEvents() {
    };

    /**
     * One invocation as the Lambda runtime logs it in invocations.log.
     *
     * @param outcome {@code OK}, {@code ERROR(type)}, {@code TIMEOUT}, ... or, when no environment ran it, the refusal
     *                ({@code THROTTLED(...)}, {@code NOT_FOUND}...)
     * @param cold    whether a new environment started for it; null when no environment ran it
     */
    default void invocation(String function, long durationMs, String outcome, Boolean cold) {
    }

    /** A mapping's reader took these records from the stream (in stream order). */
    default void recordsRead(EsmSpec mapping, List<Record> records) {
    }

    /** A mapping invoked its function with these records: what came of it, the attempt, how long it took. */
    default void batch(EsmSpec mapping, String shardId, List<Record> records, int attempt, BatchOutcome outcome, long ms) {
    }

    /** The function reported these records done: their views are written (the invocation returned). */
    default void projected(EsmSpec mapping, List<Record> records) {
    }

    /** A mapping gave up on these records: sent to the on-failure queue ({@code sent}), or skipped without one. */
    default void discarded(EsmSpec mapping, String shardId, List<Record> records, String condition, boolean sent) {
    }

    /** API Gateway answered a request of the edge with this status. */
    default void apiRequest(ApiGateway gateway, ApiRequest request, int status) {
    }
}
