package io.pushcqrs.command.app;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.mapping.MappingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The port over a map, with the same conditions as the DynamoDB adapter (a missing version counts
 * as 0; updates never create items; the claim and the item of a first create are written together or
 * not at all). Hooks let a test run "another writer" at the right moment.
 */
public class InMemoryCommandRepository implements CommandRepository {
    private final Map<String, TreeMap<Long, StoredItem>> items = new ConcurrentHashMap<>();
    private final Map<String, Long> claims = new ConcurrentHashMap<>();
    /** Runs just before insert checks the key (simulates a concurrent writer). */
    public Runnable beforeInsert = () -> { };
    /** Runs just before update / delete check their condition. */
    public Runnable beforeWrite = () -> { };
    /** Runs after findAll has read, outside the lock (lets concurrent creates all read before any writes). */
    public Runnable afterFindAll = () -> { };
    /** When set, every call throws it. */
    public volatile RuntimeException failure;
    public int inserts;
    public int queries;

    public synchronized void put(Notification n) {
        items.computeIfAbsent(n.transactionId(), k -> new TreeMap<>()).put(n.createdAt(), StoredItem.of(n));
    }

    /** Stores an item the mapper could not read (a foreign tool's), with the problem the adapter would report. */
    public synchronized void putUnreadable(String transactionId, long createdAt, Long version, MappingException problem) {
        items.computeIfAbsent(transactionId, k -> new TreeMap<>())
                .put(createdAt, StoredItem.unreadable(transactionId, createdAt, version, problem));
    }

    public synchronized void remove(String transactionId, long createdAt) {
        TreeMap<Long, StoredItem> m = items.get(transactionId);
        if (m != null) {
            m.remove(createdAt);
        }
    }

    public synchronized int size() {
        return items.values().stream().mapToInt(Map::size).sum();
    }

    /** The readable notification with this key (tests). */
    public synchronized Optional<Notification> get(String transactionId, long createdAt) {
        TreeMap<Long, StoredItem> m = items.get(transactionId);
        return Optional.ofNullable(m == null ? null : m.get(createdAt)).map(StoredItem::notification);
    }

    /** The readable notifications of a transaction, oldest first (tests). */
    public synchronized List<Notification> all(String transactionId) {
        TreeMap<Long, StoredItem> m = items.get(transactionId);
        return m == null ? List.of() : m.values().stream().map(StoredItem::notification).toList();
    }

    /** The created_at the transaction's claim points at, if it has one. */
    public synchronized Optional<Long> claim(String transactionId) {
        return Optional.ofNullable(claims.get(transactionId));
    }

    public synchronized void putClaim(String transactionId, long createdAt) {
        claims.put(transactionId, createdAt);
    }

    private void maybeFail() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public synchronized Optional<StoredItem> find(String transactionId, long createdAt) {
        maybeFail();
        TreeMap<Long, StoredItem> m = items.get(transactionId);
        return Optional.ofNullable(m == null ? null : m.get(createdAt));
    }

    @Override
    public List<StoredItem> findAll(String transactionId) {
        List<StoredItem> result;
        synchronized (this) {
            maybeFail();
            queries++;
            TreeMap<Long, StoredItem> m = items.get(transactionId);
            result = m == null ? List.of() : new ArrayList<>(m.values());
        }
        afterFindAll.run();
        return result;
    }

    @Override
    public synchronized boolean insert(Notification n) {
        maybeFail();
        inserts++;
        beforeInsert.run();
        if (find(n.transactionId(), n.createdAt()).isPresent()) {
            return false;
        }
        put(n);
        return true;
    }

    @Override
    public synchronized ClaimOutcome insertClaimed(Notification n) {
        maybeFail();
        inserts++;
        beforeInsert.run();
        Long claimed = claims.get(n.transactionId());
        if (claimed != null) {
            return new ClaimTaken(claimed);
        }
        if (find(n.transactionId(), n.createdAt()).isPresent()) {
            return new KeyTaken();
        }
        claims.put(n.transactionId(), n.createdAt());
        put(n);
        return new Claimed();
    }

    @Override
    public synchronized void releaseClaim(String transactionId, long createdAt) {
        maybeFail();
        claims.remove(transactionId, createdAt);
    }

    @Override
    public synchronized UpdateOutcome update(String transactionId, long createdAt, StatusChange c) {
        maybeFail();
        beforeWrite.run();
        Optional<StoredItem> current = find(transactionId, createdAt);
        if (current.isEmpty()) {
            return new Missing();
        }
        if (CommandService.versionOf(current.get()) != c.version()) {
            return new Stale(current.get());
        }
        Notification.Builder b = current.get().notification().toBuilder().status(c.status()).version(c.version() + 1);
        if (c.retryCnt() != null) {
            b.retryCnt(c.retryCnt());
        }
        if (c.errorMsg() != null) {
            b.errorMsg(c.errorMsg());
        }
        if (c.sendTs() != null) {
            b.sendTs(c.sendTs());
        }
        if (c.deliveredTs() != null) {
            b.deliveredTs(c.deliveredTs());
        }
        if (c.failedTs() != null) {
            b.failedTs(c.failedTs());
        }
        if (c.apId() != null) {
            b.apId(c.apId());
        }
        if (c.snsId() != null) {
            b.snsId(c.snsId());
        }
        Notification updated = b.build();
        put(updated);
        return new Updated(updated);
    }

    @Override
    public synchronized DeleteOutcome delete(String transactionId, long createdAt, Long expectedVersion) {
        maybeFail();
        beforeWrite.run();
        Optional<StoredItem> current = find(transactionId, createdAt);
        if (current.isEmpty()) {
            return new Missing();
        }
        if (expectedVersion != null && CommandService.versionOf(current.get()) != expectedVersion) {
            return new Stale(current.get());
        }
        remove(transactionId, createdAt);
        return new Deleted();
    }
}
