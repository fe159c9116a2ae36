package io.pushcqrs.local.esm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.esm.rules.BatchOutcome;
import io.pushcqrs.local.esm.rules.DeliveryRules;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The record AWS Lambda sends to a stream mapping's on-failure destination when it discards a batch: it holds no
 * records, only where they are in the stream, so they can be read again within the stream's 24 h retention:
 * <pre>{"requestContext":{"requestId":..,"functionArn":..,"condition":"RetryAttemptsExhausted","approximateInvokeCount":4},
 *  "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
 *  "version":"1.0","timestamp":"2024-01-01T00:00:00.000Z",
 *  "DDBStreamBatchInfo":{"shardId":..,"startSequenceNumber":..,"endSequenceNumber":..,
 *    "approximateArrivalOfFirstRecord":"..","approximateArrivalOfLastRecord":"..","batchSize":N,"streamArn":..}}</pre>
 * {@code responseContext} describes the last invocation; it is left out when the records were never sent to the
 * function (condition RecordAgeExceeded before a first attempt).
 */
public final class OnFailureMessage {
    public static final String RETRY_ATTEMPTS_EXHAUSTED = DeliveryRules.RETRY_ATTEMPTS_EXHAUSTED;
    public static final String RECORD_AGE_EXCEEDED = DeliveryRules.RECORD_AGE_EXCEEDED;

    private OnFailureMessage() {
    }

    /**
     * @param records      the discarded records, in stream order (at least one)
     * @param lastOutcome  the outcome of the last invocation with them, or null when there was none
     */
    public static String json(String functionArn, String streamArn, String shardId, List<Record> records, String condition,
                              int approximateInvokeCount, BatchOutcome lastOutcome, Instant now) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an on-failure message needs at least one record");
        }
        ObjectNode root = StreamEventFactory.JSON.createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", functionArn);
        request.put("condition", condition);
        request.put("approximateInvokeCount", approximateInvokeCount);
        if (lastOutcome != null && approximateInvokeCount > 0) {
            ObjectNode response = root.putObject("responseContext");
            response.put("statusCode", lastOutcome.statusCode() == 0 ? 500 : lastOutcome.statusCode());
            response.put("executedVersion", "$LATEST");
            if (lastOutcome.functionError() != null) {
                response.put("functionError", lastOutcome.functionError());
            } else {
                response.putNull("functionError");
            }
        }
        root.put("version", "1.0");
        root.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS)));
        ObjectNode info = root.putObject("DDBStreamBatchInfo");
        Record first = records.get(0);
        Record last = records.get(records.size() - 1);
        info.put("shardId", shardId);
        info.put("startSequenceNumber", first.dynamodb().sequenceNumber());
        info.put("endSequenceNumber", last.dynamodb().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", arrival(first));
        info.put("approximateArrivalOfLastRecord", arrival(last));
        info.put("batchSize", records.size());
        info.put("streamArn", streamArn);
        try {
            return StreamEventFactory.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String arrival(Record r) {
        Instant t = r.dynamodb().approximateCreationDateTime();
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
