package io.pushcqrs.projection.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * One change of a command-records item as its DynamoDB stream reports it, already converted to SDK v2
 * attribute values. Absent images are empty maps, never null.
 *
 * @param eventId        the stream record's eventID (for logs)
 * @param eventName      INSERT, MODIFY or REMOVE (anything else cannot be projected)
 * @param sequenceNumber the stream sequence number, decimal digits as AWS sends it (the batch item identifier)
 * @param keys           the item's primary key (transaction_id, created_at)
 * @param oldImage       the item before the change (MODIFY, REMOVE)
 * @param newImage       the item after the change (INSERT, MODIFY)
 * @param changedAt      the stream record's ApproximateCreationDateTime as epoch milliseconds, or null when the
 *                       record has none (the time a tombstone records for a delete)
 * @param sourceArn      the stream's ARN (eventSourceARN), or null: for the on-failure message of a poison record
 */
public record ChangeRecord(
        String eventId,
        String eventName,
        String sequenceNumber,
        Map<String, AttributeValue> keys,
        Map<String, AttributeValue> oldImage,
        Map<String, AttributeValue> newImage,
        Long changedAt,
        String sourceArn) {

    public static final String INSERT = "INSERT";
    public static final String MODIFY = "MODIFY";
    public static final String REMOVE = "REMOVE";

    public ChangeRecord {
        keys = keys == null ? Map.of() : keys;
        oldImage = oldImage == null ? Map.of() : oldImage;
        newImage = newImage == null ? Map.of() : newImage;
    }

    /** A record without its stream's ARN. */
    public ChangeRecord(String eventId, String eventName, String sequenceNumber, Map<String, AttributeValue> keys,
                        Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage, Long changedAt) {
        this(eventId, eventName, sequenceNumber, keys, oldImage, newImage, changedAt, null);
    }

    /** A record without a creation time. */
    public ChangeRecord(String eventId, String eventName, String sequenceNumber, Map<String, AttributeValue> keys,
                        Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        this(eventId, eventName, sequenceNumber, keys, oldImage, newImage, null, null);
    }

    /** The same record with the given creation time (epoch milliseconds). */
    public ChangeRecord withChangedAt(Long millis) {
        return new ChangeRecord(eventId, eventName, sequenceNumber, keys, oldImage, newImage, millis, sourceArn);
    }
}
