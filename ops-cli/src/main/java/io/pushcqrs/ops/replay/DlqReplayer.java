package io.pushcqrs.ops.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.GuardCondition;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-projects what the stream's on-failure queue names (docs/reliability.md, "Replay"), by the stream processor's
 * rules and under its write guard:
 * <ul>
 *   <li>a poison message of the stream processor names the item's key and the record's sequence number; a message of
 *       the event source mapping names a shard and a sequence range, whose records are read back from the stream (24 h
 *       retention) for the item keys they hold, each with the highest sequence number it has in the range;</li>
 *   <li>each item is re-projected from its <b>current</b> command (a consistent read): its view put with the record's
 *       sequence number under the guard (so a newer projection is never overwritten: "already current"), and its
 *       views under other user_ids (found on transaction-index) and, when the command is gone, every live view of
 *       the key, replaced by tombstones under the same guard: what the stream's MODIFY and REMOVE do;</li>
 *   <li>a message is deleted only when every item it names is replayed or already current; otherwise it stays
 *       (still failing: a command that still cannot be mapped, records no longer in the stream) and the reason is
 *       reported.</li>
 * </ul>
 * Idempotent: a second run finds the messages gone, or (if a delete was lost) every item already current. With
 * {@code dryRun} nothing is written or deleted and the messages are made visible again at the end.
 */
public final class DlqReplayer {
    /** How long a received message stays hidden from other readers while it is replayed. */
    static final int VISIBILITY_SECONDS = 120;

    private final SqsClient sqs;
    private final DynamoDbClient ddb;
    private final DynamoDbStreamsClient streams;
    private final String queueUrl;
    private final String commandTable;
    private final String notificationTable;
    private final boolean dryRun;
    private final Clock clock;

    public DlqReplayer(SqsClient sqs, DynamoDbClient ddb, DynamoDbStreamsClient streams, String queueUrl,
                       String commandTable, String notificationTable, boolean dryRun, Clock clock) {
        this.sqs = sqs;
        this.ddb = ddb;
        this.streams = streams;
        this.queueUrl = queueUrl;
        this.commandTable = commandTable;
        this.notificationTable = notificationTable;
        this.dryRun = dryRun;
        this.clock = clock;
    }

    /** One item to re-project: its command key and the sequence number of the failed record. */
    record Target(String transactionId, long createdAt, String sequenceNumber) {
    }

    /** Reads the queue to its end and replays every message. */
    public ReplayReport run() {
        ReplayReport report = new ReplayReport(dryRun);
        Set<String> seen = new HashSet<>();
        List<Message> hidden = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(VISIBILITY_SECONDS)).messages();
            boolean anyNew = false;
            for (Message m : batch) {
                if (!seen.add(m.messageId())) {
                    continue;
                }
                anyNew = true;
                boolean done = replay(m, report);
                if (done && !dryRun) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    report.deleted++;
                } else {
                    hidden.add(m);
                }
            }
            if (!anyNew) {
                break;
            }
        }
        // what stays in the queue is visible again at once (a dry run, or still failing), not after the timeout
        for (Message m : hidden) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
        return report;
    }

    /** Replays one message; true when everything it names is replayed or already current. */
    boolean replay(Message m, ReplayReport report) {
        report.messages++;
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(m.body());
        } catch (Exception e) {
            report.failing(m.messageId(), "not JSON: the message is not an on-failure message");
            return false;
        }
        List<Target> targets;
        try {
            targets = targets(body);
        } catch (Unreplayable e) {
            report.failing(m.messageId(), e.getMessage());
            return false;
        }
        boolean allDone = true;
        for (Target t : targets) {
            try {
                Outcome o = replay(t);
                report.count(o, t);
            } catch (Unreplayable e) {
                report.failing(m.messageId(), t.transactionId() + "/" + t.createdAt() + ": " + e.getMessage());
                allDone = false;
            }
        }
        return allDone;
    }

    /** The items a message names. */
    List<Target> targets(JsonNode body) {
        JsonNode poison = body.path("poisonRecord");
        if (poison.isObject()) {
            String tx = poison.at("/keys/transaction_id/S").asText(null);
            String created = poison.at("/keys/created_at/N").asText(null);
            String seq = poison.path("sequenceNumber").asText(null);
            if (tx == null || created == null || seq == null) {
                throw new Unreplayable("the poison record has no readable key (transaction_id S, created_at N) or"
                        + " sequence number: find it in the stream by its sequence number " + seq);
            }
            return List.of(new Target(tx, parseCreatedAt(created), seq));
        }
        JsonNode info = body.path("DDBStreamBatchInfo");
        if (!info.isObject() || info.path("shardId").asText("").isEmpty()) {
            throw new Unreplayable("not an on-failure message of the stream (no DDBStreamBatchInfo with a shardId)");
        }
        return fromStream(info.path("streamArn").asText(), info.path("shardId").asText(),
                info.path("startSequenceNumber").asText(), info.path("endSequenceNumber").asText());
    }

    /** The item keys of the records start..end of a shard, each with its highest sequence number in the range. */
    private List<Target> fromStream(String streamArn, String shardId, String start, String end) {
        BigInteger last = new BigInteger(end);
        Map<String, Target> byKey = new LinkedHashMap<>();
        String iterator;
        try {
            iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(start)).shardIterator();
            for (int pages = 0; iterator != null && pages < 1_000; pages++) {
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
                for (Record r : page.records()) {
                    if (new BigInteger(r.dynamodb().sequenceNumber()).compareTo(last) > 0) {
                        return List.copyOf(byKey.values());
                    }
                    Map<String, AttributeValue> keys = r.dynamodb().keys();
                    AttributeValue tx = keys.get(Attr.TRANSACTION_ID);
                    AttributeValue created = keys.get(Attr.CREATED_AT);
                    if (tx == null || tx.s() == null || created == null || created.n() == null) {
                        continue;
                    }
                    long createdAt = parseCreatedAt(created.n());
                    if (createdAt == CreateClaim.CREATED_AT) {
                        continue; // a create claim: never projected
                    }
                    byKey.put(tx.s() + "/" + createdAt, new Target(tx.s(), createdAt, r.dynamodb().sequenceNumber()));
                }
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        } catch (TrimmedDataAccessException | software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            throw new Unreplayable("the records " + start + ".." + end + " of shard " + shardId
                    + " are no longer in the stream (24 h retention): run scripts/rebuild.sh, then delete the message");
        }
        return List.copyOf(byKey.values());
    }

    /** What replaying one item did. */
    enum Outcome {
        REPLAYED, CURRENT
    }

    /** Re-projects one item from its current command under the guard of the failed record's sequence number. */
    Outcome replay(Target t) {
        String seq;
        try {
            seq = ViewKeys.padSequence(t.sequenceNumber());
        } catch (IllegalArgumentException e) {
            throw new Unreplayable("sequence number: " + e.getMessage());
        }
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(commandTable)
                .key(NotificationMapper.commandKey(t.transactionId(), t.createdAt())).consistentRead(true)).item();
        List<Map<String, AttributeValue>> views = liveViews(t);
        boolean wrote = false;
        if (item == null || item.isEmpty()) {
            // the command is gone: every live view of the key becomes a tombstone, as the stream's REMOVE does
            for (Map<String, AttributeValue> view : views) {
                Long version = NotificationMapper.longValue(view, Attr.SOURCE_VERSION);
                wrote |= put(Tombstones.item(view.get(Attr.USER_ID).s(), t.createdAt(), t.transactionId(), seq,
                        clock.millis()), seq, version == null ? null : version + 1);
            }
            return wrote ? Outcome.REPLAYED : Outcome.CURRENT;
        }
        Notification command;
        Map<String, AttributeValue> viewItem;
        try {
            command = NotificationMapper.fromCommandItem(item);
            viewItem = NotificationMapper.toViewItem(NotificationView.of(command), seq);
        } catch (MappingException e) {
            throw new Unreplayable("the command still cannot be projected: " + e.getMessage()
                    + " (fix the item in command-records, or the mapper)");
        }
        // views under another user_id (the item moved): tombstones, as the stream's MODIFY does
        for (Map<String, AttributeValue> view : views) {
            if (!command.userId().equals(view.get(Attr.USER_ID).s())) {
                wrote |= put(Tombstones.item(view.get(Attr.USER_ID).s(), t.createdAt(), t.transactionId(), seq,
                        clock.millis()), seq, command.version());
            }
        }
        wrote |= put(viewItem, seq, command.version());
        return wrote ? Outcome.REPLAYED : Outcome.CURRENT;
    }

    /** The live views of the item's key, under any user_id (tombstones carry no index key and are not found). */
    private List<Map<String, AttributeValue>> liveViews(Target t) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        ddb.queryPaginator(b -> b.tableName(notificationTable).indexName(Schema.TRANSACTION_INDEX)
                .keyConditionExpression("#tx = :tx AND #ca = :ca")
                .expressionAttributeNames(Map.of("#tx", Attr.TRANSACTION_ID, "#ca", Attr.CREATED_AT))
                .expressionAttributeValues(Map.of(":tx", AttributeValue.fromS(t.transactionId()),
                        ":ca", AttributeValue.fromN(Long.toString(t.createdAt())))))
                .items().forEach(out::add);
        return out;
    }

    /** A guarded put; true when written (or, in a dry run, when the guard would admit it). */
    private boolean put(Map<String, AttributeValue> item, String seq, Long version) {
        GuardCondition c = GuardCondition.of(seq, version);
        if (dryRun) {
            Map<String, AttributeValue> current = ddb.getItem(b -> b.tableName(notificationTable).consistentRead(true)
                    .key(Map.of(Attr.USER_ID, item.get(Attr.USER_ID), Attr.VIEW_SK, item.get(Attr.VIEW_SK)))).item();
            return admits(current, seq, version);
        }
        try {
            ddb.putItem(b -> b.tableName(notificationTable).item(item).conditionExpression(c.expression())
                    .expressionAttributeNames(c.names()).expressionAttributeValues(c.values()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The guard in Java, for the dry run (the stream processor's WriteGuard#admits). */
    static boolean admits(Map<String, AttributeValue> current, String seq, Long version) {
        if (current == null || current.isEmpty()) {
            return true;
        }
        AttributeValue s = current.get(Attr.SOURCE_SEQ);
        if (s != null) {
            return s.s() != null && s.s().compareTo(seq) < 0;
        }
        if (version == null) {
            return true;
        }
        AttributeValue v = current.get(Attr.SOURCE_VERSION);
        return v == null || (v.n() != null && new java.math.BigDecimal(v.n()).compareTo(java.math.BigDecimal.valueOf(version)) < 0);
    }

    private static long parseCreatedAt(String n) {
        try {
            return new java.math.BigDecimal(n).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new Unreplayable("created_at " + n + " is not an epoch-ms integer");
        }
    }

    /** Why an item or a message cannot be replayed now. */
    static final class Unreplayable extends RuntimeException {
        Unreplayable(String message) {
            super(message);
        }
    }
}
