package io.pushcqrs.projection;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.lambda.aws.DynamoDbClients;
import io.pushcqrs.projection.adapter.DynamoDbViewStore;
import io.pushcqrs.projection.adapter.StreamImages;
import io.pushcqrs.projection.app.BatchResult;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.ProjectionService;
import io.pushcqrs.projection.app.ViewStore;
import io.pushcqrs.projection.app.WriteGuard;
import io.pushcqrs.projection.app.WriteOutcome;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The stream processor: a batch of command-records stream records -> {@link ProjectionService} -> partial batch
 * response. The records that could not be projected (the first failure and every record after it) come back in
 * {@code batchItemFailures}, so the event source mapping (with ReportBatchItemFailures) resumes from the first
 * one. Logs one JSON line per batch, one per failed batch and one per write the ordering guard refused
 * ("skipped: stale"); never an item's content.
 * <p>
 * One exception: when the FIRST record of a batch of two or more cannot be projected (nothing was written), the
 * handler throws {@link FirstRecordFailedException} instead of reporting the whole batch. A partial response at
 * the first record makes the mapping retry the same records and, once its retries are exhausted, discard them all,
 * the good records behind the poison one included; a failed invocation is split in two by BisectBatchOnFunctionError
 * (AWS: "if the invocation fails and BisectBatchOnFunctionError is on, the batch is bisected regardless of
 * ReportBatchItemFailures"), so the poison record ends alone in the on-failure destination and the records behind
 * it are projected. A single-record batch is reported as before.
 * <p>
 * Environment: NOTIFICATION_TABLE (required), AWS_REGION (default us-east-1), AWS_ENDPOINT_URL (optional).
 * Without NOTIFICATION_TABLE every batch fails as a whole (reported, not thrown), with the reason in the log.
 */
public class StreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final ProjectionService service;

    /** The constructor the Lambda runtime calls: configuration from the environment. */
    public StreamHandler() {
        this(System::getenv);
    }

    StreamHandler(Function<String, String> env) {
        this(new ProjectionService(viewStore(env)));
    }

    public StreamHandler(ProjectionService service) {
        this.service = service;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
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
    static ChangeRecord toChange(DynamodbEvent.DynamodbStreamRecord record) {
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

    private static ViewStore viewStore(Function<String, String> env) {
        String table = env.apply(Schema.ENV_NOTIFICATION_TABLE);
        if (table == null || table.isBlank()) {
            String reason = "environment variable " + Schema.ENV_NOTIFICATION_TABLE + " is not set";
            System.out.println(line(Map.of("message", "stream processor not configured", "error", reason)));
            return new UnconfiguredViewStore(reason);
        }
        return new DynamoDbViewStore(DynamoDbClients.fromEnvironment(env::apply), table.trim());
    }

    private static void log(Context context, BatchResult result) {
        String requestId = context == null ? null : context.getAwsRequestId();
        LambdaLogger logger = context == null ? null : context.getLogger();
        for (BatchResult.Skip skip : result.skips()) {
            Map<String, Object> fields = fields("skipped: stale", requestId);
            fields.put("event_id", skip.eventId());
            fields.put("sequence_number", skip.sequenceNumber());
            fields.put("operation", skip.operation());
            write(logger, fields);
        }
        if (result.hasFailure()) {
            BatchResult.RecordFailure failure = result.failure();
            Map<String, Object> fields = fields("record failed: batch stopped", requestId);
            fields.put("event_id", failure.eventId());
            fields.put("event_name", failure.eventName());
            fields.put("sequence_number", failure.sequenceNumber());
            fields.put("error", failure.reason());
            fields.put("not_written", result.failed());
            write(logger, fields);
        }
        Map<String, Object> fields = fields("batch projected", requestId);
        fields.put("records", result.records());
        fields.put("upserted", result.upserted());
        fields.put("deleted", result.deleted());
        fields.put("skipped_stale", result.skippedStale());
        fields.put("failed", result.failed());
        fields.put("first_failed_seq", result.failed() == 0 ? null : result.failedSequenceNumbers().get(0));
        write(logger, fields);
    }

    private static Map<String, Object> fields(String message, String requestId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("message", message);
        fields.put("request_id", requestId);
        return fields;
    }

    private static void write(LambdaLogger logger, Map<String, Object> fields) {
        String line = line(fields);
        if (logger != null) {
            logger.log(line + "\n");
        } else {
            System.out.println(line);
        }
    }

    private static String line(Map<String, ?> fields) {
        try {
            return Json.MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            return fields.toString();
        }
    }

    /** Thrown when the first record of a multi-record batch cannot be projected (see the class comment). */
    public static final class FirstRecordFailedException extends RuntimeException {
        public FirstRecordFailedException(String message) {
            super(message);
        }
    }

    /** The store of a function started without NOTIFICATION_TABLE: every write fails, so every batch is retried. */
    private record UnconfiguredViewStore(String reason) implements ViewStore {
        @Override
        public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
            throw new IllegalStateException(reason);
        }

        @Override
        public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
            throw new IllegalStateException(reason);
        }
    }
}
