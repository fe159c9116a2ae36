package io.pushcqrs.projection.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Projects command-records changes into notification-records (README "The read model and its projection rules";
 * docs/architecture.md, "A key's lifetimes").
 * <ul>
 *   <li>INSERT and MODIFY put the view of NewImage; a MODIFY that moves the item to another user_id first
 *       puts a tombstone at the view key of OldImage's user_id.</li>
 *   <li>REMOVE puts a tombstone at the view key of OldImage (never a delete): the key keeps the sequence number
 *       of the REMOVE, so a replayed older record of the deleted item stays refused, and the first record of a
 *       new item at the same key (versions restart at 1, the sequence number does not) is admitted.</li>
 *   <li>Every write carries a {@link WriteGuard} (stream sequence number, command version), so a duplicate,
 *       replayed or older change is a no-op ({@link WriteOutcome#STALE}), never an overwrite. Every key thus ends
 *       at its highest-sequence change, whatever order the records arrive in.</li>
 *   <li>Changes of command-lambda's create claims (created_at -1, {@link CreateClaim}) are skipped.</li>
 *   <li>The first record that cannot be projected (a mapping error or a store failure other than a refused
 *       guard) stops the batch: nothing after it is written, and it and every later record are reported as
 *       failed so that the event source mapping resumes from it. The service never throws for a record.</li>
 * </ul>
 */
public final class ProjectionService {
    private final ViewStore store;
    private final Clock clock;

    public ProjectionService(ViewStore store) {
        this(store, Clock.systemUTC());
    }

    /** @param clock the time a tombstone records when its stream record carries no creation time */
    public ProjectionService(ViewStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public BatchResult project(List<ChangeRecord> records) {
        if (records == null || records.isEmpty()) {
            return BatchResult.empty();
        }
        Tally tally = new Tally();
        for (int i = 0; i < records.size(); i++) {
            ChangeRecord record = records.get(i);
            try {
                project(record, tally);
            } catch (RuntimeException e) {
                List<String> failed = new ArrayList<>();
                for (ChangeRecord later : records.subList(i, records.size())) {
                    failed.add(later.sequenceNumber());
                }
                BatchResult.RecordFailure failure = new BatchResult.RecordFailure(record.eventId(),
                        record.sequenceNumber(), record.eventName(), describe(e));
                return tally.result(records.size(), failed, failure);
            }
        }
        return tally.result(records.size(), List.of(), null);
    }

    private void project(ChangeRecord record, Tally tally) {
        if (CreateClaim.isClaim(record.keys()) || CreateClaim.isClaim(record.newImage())
                || CreateClaim.isClaim(record.oldImage())) {
            return; // command-lambda's create claim (created_at -1): internal, not a notification, never projected
        }
        String seq = paddedSequence(record.sequenceNumber());
        String eventName = record.eventName() == null ? "" : record.eventName();
        switch (eventName) {
            case ChangeRecord.INSERT, ChangeRecord.MODIFY -> upsert(record, seq, tally);
            case ChangeRecord.REMOVE -> remove(record, seq, tally);
            default -> throw new MappingException("eventName",
                    "'" + record.eventName() + "' is not INSERT, MODIFY or REMOVE");
        }
    }

    private void upsert(ChangeRecord record, String seq, Tally tally) {
        if (record.newImage().isEmpty()) {
            throw new MappingException("NewImage", "is missing (the stream must carry NEW_AND_OLD_IMAGES)");
        }
        Notification command = NotificationMapper.fromCommandItem(record.newImage());
        // Map first: a record that cannot be mapped writes nothing, not even the tombstone of its old key.
        Map<String, AttributeValue> viewItem = NotificationMapper.toViewItem(NotificationView.of(command), seq);
        WriteGuard guard = new WriteGuard(seq, command.version());
        if (ChangeRecord.MODIFY.equals(record.eventName())) {
            String oldUserId = previousUserId(record.oldImage());
            if (oldUserId != null && !oldUserId.equals(command.userId())) {
                tally.delete(record, store.tombstone(Tombstones.item(oldUserId, command.createdAt(),
                        command.transactionId(), seq, changedAt(record)), guard));
            }
        }
        tally.upsert(record, store.upsert(viewItem, guard));
    }

    private void remove(ChangeRecord record, String seq, Tally tally) {
        Map<String, AttributeValue> old = record.oldImage();
        if (old.isEmpty()) {
            throw new MappingException("OldImage", "is missing (the stream must carry NEW_AND_OLD_IMAGES)");
        }
        String userId = required(Attr.USER_ID, NotificationMapper.string(old, Attr.USER_ID));
        Long createdAt = required(Attr.CREATED_AT, NotificationMapper.longValue(old, Attr.CREATED_AT));
        String transactionId = required(Attr.TRANSACTION_ID, NotificationMapper.string(old, Attr.TRANSACTION_ID));
        // The delete is the change after the last version it removes.
        Long version = NotificationMapper.longValue(old, Attr.VERSION);
        WriteGuard guard = new WriteGuard(seq, version == null ? null : Math.addExact(version, 1L));
        tally.delete(record, store.tombstone(Tombstones.item(userId, createdAt, transactionId, seq, changedAt(record)),
                guard));
    }

    /** When the change happened: the stream record's creation time, else now. */
    private long changedAt(ChangeRecord record) {
        return record.changedAt() != null ? record.changedAt() : clock.millis();
    }

    /**
     * OldImage's user_id, or null when it has none that a view could have been keyed by (absent, empty or not a
     * string): then the old item was never projected and there is no old view to replace by a tombstone.
     */
    private static String previousUserId(Map<String, AttributeValue> oldImage) {
        if (oldImage.isEmpty()) {
            return null;
        }
        try {
            return NotificationMapper.string(oldImage, Attr.USER_ID);
        } catch (MappingException e) {
            return null;
        }
    }

    private static String paddedSequence(String sequenceNumber) {
        try {
            return ViewKeys.padSequence(sequenceNumber);
        } catch (IllegalArgumentException e) {
            throw new MappingException("SequenceNumber", e.getMessage());
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new MappingException(field, "is required (OldImage)");
        }
        return value;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof MappingException) {
            return "mapping error: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Counts of one batch. */
    private static final class Tally {
        private int upserted;
        private int deleted;
        private final List<BatchResult.Skip> skips = new ArrayList<>();

        void upsert(ChangeRecord record, WriteOutcome outcome) {
            if (outcome == WriteOutcome.APPLIED) {
                upserted++;
            } else {
                skips.add(new BatchResult.Skip(record.eventId(), record.sequenceNumber(), "upsert"));
            }
        }

        void delete(ChangeRecord record, WriteOutcome outcome) {
            if (outcome == WriteOutcome.APPLIED) {
                deleted++;
            } else if (outcome == WriteOutcome.STALE) {
                skips.add(new BatchResult.Skip(record.eventId(), record.sequenceNumber(), "delete"));
            }
        }

        BatchResult result(int records, List<String> failed, BatchResult.RecordFailure failure) {
            return new BatchResult(records, upserted, deleted, skips.size(), failed, failure, skips);
        }
    }
}
