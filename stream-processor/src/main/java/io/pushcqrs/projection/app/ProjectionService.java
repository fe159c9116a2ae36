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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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
public final class ProjectionService implements AutoCloseable {
    /** How many item keys of a batch are written at once when the caller does not say. */
    public static final int DEFAULT_CONCURRENCY = 8;

    private final ViewStore store;
    private final Clock clock;
    private final int concurrency;
    private final ExecutorService pool;

    public ProjectionService(ViewStore store) {
        this(store, Clock.systemUTC());
    }

    /** @param clock the time a tombstone records when its stream record carries no creation time */
    public ProjectionService(ViewStore store, Clock clock) {
        this(store, clock, DEFAULT_CONCURRENCY);
    }

    /**
     * @param concurrency how many item keys of one batch are projected at once (1: one record after the other); the
     *                    records of one key are always projected in batch order
     */
    public ProjectionService(ViewStore store, Clock clock, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.store = store;
        this.clock = clock;
        this.concurrency = concurrency;
        if (concurrency == 1) {
            this.pool = null;
        } else {
            // Threads are made as groups need them and end after a minute idle: a service nobody closes (tests, a
            // frozen Lambda environment) keeps none for long.
            ThreadPoolExecutor executor = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemonThreads());
            executor.allowCoreThreadTimeOut(true);
            this.pool = executor;
        }
    }

    /**
     * Projects a batch: the records are grouped by their command item's key (transaction_id, created_at), the
     * groups run at once on at most {@code concurrency} threads, each group's records in batch order. A group stops
     * at its first record that cannot be projected. The batch's answer is the failed record that comes first in the
     * batch, followed by every record after it in batch order: the event source mapping resumes from the lowest
     * failed sequence number. Records of other keys after it may have been written already; their redelivery is
     * refused by the {@link WriteGuard} (a no-op), so nothing is projected twice or out of order.
     */
    public BatchResult project(List<ChangeRecord> records) {
        if (records == null || records.isEmpty()) {
            return BatchResult.empty();
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            groups.computeIfAbsent(groupKey(records.get(i), i), k -> new ArrayList<>()).add(i);
        }
        Tally tally = new Tally(records.size());
        RuntimeException[] failures = new RuntimeException[records.size()];
        if (pool == null || groups.size() == 1) {
            // one record after the other, in batch order; a key stops at its first failure, the others go on
            java.util.Set<String> stopped = new java.util.HashSet<>();
            for (int i = 0; i < records.size(); i++) {
                String key = groupKey(records.get(i), i);
                if (!stopped.contains(key)) {
                    projectGroup(records, List.of(i), tally, failures);
                    if (failures[i] != null) {
                        stopped.add(key);
                    }
                }
            }
        } else {
            List<Callable<Void>> tasks = new ArrayList<>(groups.size());
            for (List<Integer> group : groups.values()) {
                tasks.add(() -> {
                    projectGroup(records, group, tally, failures);
                    return null;
                });
            }
            runAll(tasks);
        }
        for (int i = 0; i < records.size(); i++) {
            if (failures[i] != null) {
                ChangeRecord record = records.get(i);
                List<String> failed = new ArrayList<>();
                for (ChangeRecord later : records.subList(i, records.size())) {
                    failed.add(later.sequenceNumber());
                }
                BatchResult.RecordFailure failure = new BatchResult.RecordFailure(record.eventId(),
                        record.sequenceNumber(), record.eventName(), describe(failures[i]));
                return tally.result(records.size(), failed, failure);
            }
        }
        return tally.result(records.size(), List.of(), null);
    }

    /** One key's records in batch order, up to its first failure. */
    private void projectGroup(List<ChangeRecord> records, List<Integer> group, Tally tally, RuntimeException[] failures) {
        for (int i : group) {
            try {
                project(records.get(i), i, tally);
            } catch (RuntimeException e) {
                failures[i] = e; // each index is written by its group's thread only; read after the join
                return;
            }
        }
    }

    private void runAll(List<Callable<Void>> tasks) {
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while projecting a batch", e);
        } catch (ExecutionException e) {
            // projectGroup catches every RuntimeException: only an Error gets here
            throw new IllegalStateException("projecting a batch failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The key that orders a record among the others: its command item's key, from Keys, else from its images. A
     * record without one is a group of its own (it cannot be projected anyway).
     */
    static String groupKey(ChangeRecord record, int index) {
        for (Map<String, AttributeValue> source : List.of(record.keys(), record.newImage(), record.oldImage())) {
            AttributeValue tx = source.get(Attr.TRANSACTION_ID);
            AttributeValue created = source.get(Attr.CREATED_AT);
            if (tx != null && tx.s() != null && created != null && created.n() != null) {
                return tx.s() + "\u0000" + normalizedNumber(created.n());
            }
        }
        return "\u0001record " + index;
    }

    private static String normalizedNumber(String n) {
        try {
            return new java.math.BigDecimal(n).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return n;
        }
    }

    /** Stops the threads (they are daemons: a Lambda environment never needs to). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    public int concurrency() {
        return concurrency;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "projection-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void project(ChangeRecord record, int index, Tally tally) {
        if (CreateClaim.isClaim(record.keys()) || CreateClaim.isClaim(record.newImage())
                || CreateClaim.isClaim(record.oldImage())) {
            return; // command-lambda's create claim (created_at -1): internal, not a notification, never projected
        }
        String seq = paddedSequence(record.sequenceNumber());
        String eventName = record.eventName() == null ? "" : record.eventName();
        switch (eventName) {
            case ChangeRecord.INSERT, ChangeRecord.MODIFY -> upsert(record, index, seq, tally);
            case ChangeRecord.REMOVE -> remove(record, index, seq, tally);
            default -> throw new MappingException("eventName",
                    "'" + record.eventName() + "' is not INSERT, MODIFY or REMOVE");
        }
    }

    private void upsert(ChangeRecord record, int index, String seq, Tally tally) {
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
                tally.delete(index, record, store.tombstone(Tombstones.item(oldUserId, command.createdAt(),
                        command.transactionId(), seq, changedAt(record)), guard));
            }
        }
        tally.upsert(index, record, store.upsert(viewItem, guard));
    }

    private void remove(ChangeRecord record, int index, String seq, Tally tally) {
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
        tally.delete(index, record, store.tombstone(Tombstones.item(userId, createdAt, transactionId, seq, changedAt(record)),
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

    /** Counts of one batch; the groups' threads add to it at once. */
    private static final class Tally {
        private final AtomicInteger upserted = new AtomicInteger();
        private final AtomicInteger deleted = new AtomicInteger();
        /** The refused writes by record index, so that the log lists them in batch order whatever ran first. */
        private final List<List<BatchResult.Skip>> skips;

        Tally(int records) {
            skips = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                skips.add(null);
            }
        }

        void upsert(int index, ChangeRecord record, WriteOutcome outcome) {
            if (outcome == WriteOutcome.APPLIED) {
                upserted.incrementAndGet();
            } else {
                skip(index, new BatchResult.Skip(record.eventId(), record.sequenceNumber(), "upsert"));
            }
        }

        void delete(int index, ChangeRecord record, WriteOutcome outcome) {
            if (outcome == WriteOutcome.APPLIED) {
                deleted.incrementAndGet();
            } else if (outcome == WriteOutcome.STALE) {
                skip(index, new BatchResult.Skip(record.eventId(), record.sequenceNumber(), "delete"));
            }
        }

        private synchronized void skip(int index, BatchResult.Skip skip) {
            if (skips.get(index) == null) {
                skips.set(index, new ArrayList<>(2));
            }
            skips.get(index).add(skip);
        }

        synchronized BatchResult result(int records, List<String> failed, BatchResult.RecordFailure failure) {
            List<BatchResult.Skip> all = new ArrayList<>();
            skips.forEach(s -> {
                if (s != null) {
                    all.addAll(s);
                }
            });
            return new BatchResult(records, upserted.get(), deleted.get(), all.size(), failed, failure, all);
        }
    }
}
