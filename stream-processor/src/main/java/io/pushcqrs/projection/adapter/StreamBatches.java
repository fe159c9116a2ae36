package io.pushcqrs.projection.adapter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.projection.app.BatchResult;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.Invocation;
import io.pushcqrs.projection.app.ProjectionService;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event source mapping's side of the projection: a batch of command-records stream records ->
 * {@link ProjectionService} -> partial batch response. The records that could not be projected (the first failure
 * and every record after it) come back in {@code batchItemFailures}, so the mapping (with ReportBatchItemFailures)
 * retries from the lowest one. A poison record never gets there: the service sends it to the on-failure queue and
 * it is done with, so it neither blocks the shard nor needs the mapping to bisect the batch around it (a failed
 * invocation, a crash or a timeout, is still bisected by the mapping). The invocation's remaining time (Context)
 * bounds the service's retries of transient failures.
 * <p>
 * Logs one line per batch ("batch projected"), one per failed batch ("record failed: batch stopped", ERROR), one
 * per poison record ("record poisoned: sent to the on-failure queue", ERROR) and one per write the ordering guard
 * refused ("skipped: stale"); never an item's content.
 */
public final class StreamBatches {
    private final ProjectionService service;
    private final Log log;

    public StreamBatches(ProjectionService service, Log log) {
        this.service = Objects.requireNonNull(service, "service");
        this.log = Objects.requireNonNull(log, "log");
    }

    public StreamsEventResponse handle(DynamodbEvent event, Context context) {
        List<ChangeRecord> changes = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                changes.add(toChange(record));
            }
        }
        BatchResult result = service.project(changes, invocation(context));
        log(context, result);
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String sequenceNumber : result.failedSequenceNumbers()) {
            failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
        }
        return new StreamsEventResponse(failures);
    }

    /** The invocation as the service sees it: its ids and the time it has left. */
    static Invocation invocation(Context context) {
        if (context == null) {
            return Invocation.unbounded();
        }
        return new Invocation(context.getAwsRequestId(), context.getInvokedFunctionArn(),
                () -> context.getRemainingTimeInMillis());
    }

    /** A stream record as the service takes it (images converted to SDK v2 values). */
    public static ChangeRecord toChange(DynamodbEvent.DynamodbStreamRecord record) {
        if (record == null) {
            return new ChangeRecord(null, null, null, null, null, null);
        }
        StreamRecord data = record.getDynamodb();
        if (data == null) {
            return new ChangeRecord(record.getEventID(), record.getEventName(), null, null, null, null, null,
                    record.getEventSourceARN());
        }
        return new ChangeRecord(record.getEventID(), record.getEventName(), data.getSequenceNumber(),
                StreamImages.toSdk(data.getKeys()), StreamImages.toSdk(data.getOldImage()),
                StreamImages.toSdk(data.getNewImage()),
                data.getApproximateCreationDateTime() == null ? null : data.getApproximateCreationDateTime().getTime(),
                record.getEventSourceARN());
    }

    private void log(Context context, BatchResult result) {
        String requestId = context == null ? null : context.getAwsRequestId();
        for (BatchResult.Skip skip : result.skips()) {
            log.line("skipped: stale").requestId(requestId)
                    .put("event_id", skip.eventId())
                    .put("sequence_number", skip.sequenceNumber())
                    .put("operation", skip.operation())
                    .write(Log.Level.INFO, context);
        }
        for (BatchResult.Poison poison : result.poisons()) {
            log.line("record poisoned: sent to the on-failure queue").requestId(requestId)
                    .put("event_id", poison.eventId())
                    .put("event_name", poison.eventName())
                    .put("sequence_number", poison.sequenceNumber())
                    .put("error", poison.reason())
                    .write(Log.Level.ERROR, context);
        }
        if (result.hasFailure()) {
            BatchResult.RecordFailure failure = result.failure();
            log.line("record failed: batch stopped").requestId(requestId)
                    .put("event_id", failure.eventId())
                    .put("event_name", failure.eventName())
                    .put("sequence_number", failure.sequenceNumber())
                    .put("error", failure.reason())
                    .put("not_written", result.failed())
                    .write(Log.Level.ERROR, context);
        }
        log.line("batch projected").requestId(requestId)
                .put("records", result.records())
                .put("upserted", result.upserted())
                .put("deleted", result.deleted())
                .put("skipped_stale", result.skippedStale())
                .put("poisoned", result.poisoned())
                .put("retries", result.retries())
                .put("failed", result.failed())
                .put("first_failed_seq", result.failed() == 0 ? null : result.failedSequenceNumbers().get(0))
                .write(result.failed() == 0 ? Log.Level.INFO : Log.Level.WARN, context);
    }
}
