package io.pushcqrs.projection.adapter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.projection.app.BatchResult;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.ProjectionService;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event source mapping's side of the projection: a batch of command-records stream records ->
 * {@link ProjectionService} -> partial batch response. The records that could not be projected (the first failure
 * and every record after it) come back in {@code batchItemFailures}, so the mapping (with ReportBatchItemFailures)
 * resumes from the first one. Logs one line per batch ("batch projected"), one per failed batch ("record failed:
 * batch stopped", ERROR) and one per write the ordering guard refused ("skipped: stale"); never an item's content.
 * <p>
 * One exception: when the FIRST record of a batch of two or more cannot be projected (nothing was written), it
 * throws {@link FirstRecordFailedException} instead of reporting the whole batch. A partial response at the first
 * record makes the mapping retry the same records and, once its retries are exhausted, discard them all, the good
 * records behind the poison one included; a failed invocation is split in two by BisectBatchOnFunctionError (AWS:
 * "if the invocation fails and BisectBatchOnFunctionError is on, the batch is bisected regardless of
 * ReportBatchItemFailures"), so the poison record ends alone in the on-failure destination and the records behind it
 * are projected. A single-record batch is reported as before.
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
        BatchResult result = service.project(changes);
        log(context, result);
        if (result.hasFailure() && changes.size() > 1 && result.failed() == changes.size()) {
            // Nothing of this batch could be written: fail the invocation so that the mapping bisects it.
            BatchResult.RecordFailure f = result.failure();
            throw new FirstRecordFailedException("the first of " + changes.size() + " records (sequence number "
                    + f.sequenceNumber() + ", event " + f.eventId() + ") cannot be projected: " + f.reason()
                    + "; failing the invocation so that the event source mapping bisects the batch");
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String sequenceNumber : result.failedSequenceNumbers()) {
            failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
        }
        return new StreamsEventResponse(failures);
    }

    /** A stream record as the service takes it (images converted to SDK v2 values). */
    public static ChangeRecord toChange(DynamodbEvent.DynamodbStreamRecord record) {
        if (record == null) {
            return new ChangeRecord(null, null, null, null, null, null);
        }
        StreamRecord data = record.getDynamodb();
        if (data == null) {
            return new ChangeRecord(record.getEventID(), record.getEventName(), null, null, null, null);
        }
        return new ChangeRecord(record.getEventID(), record.getEventName(), data.getSequenceNumber(),
                StreamImages.toSdk(data.getKeys()), StreamImages.toSdk(data.getOldImage()),
                StreamImages.toSdk(data.getNewImage()),
                data.getApproximateCreationDateTime() == null ? null : data.getApproximateCreationDateTime().getTime());
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
                .put("failed", result.failed())
                .put("first_failed_seq", result.failed() == 0 ? null : result.failedSequenceNumbers().get(0))
                .write(result.failed() == 0 ? Log.Level.INFO : Log.Level.WARN, context);
    }

    /** Thrown when the first record of a multi-record batch cannot be projected (see the class comment). */
    public static final class FirstRecordFailedException extends RuntimeException {
        public FirstRecordFailedException(String message) {
            super(message);
        }
    }
}
