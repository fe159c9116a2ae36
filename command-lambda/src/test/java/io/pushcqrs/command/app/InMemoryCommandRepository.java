package io.pushcqrs.command.app;

import io.pushcqrs.model.Notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The port over a map, with the same conditions as the DynamoDB adapter (a missing version counts
 * as 0; updates never create items). Hooks let a test run "another writer" at the right moment.
 */
public class InMemoryCommandRepository implements CommandRepository {
    private final Map<String, TreeMap<Long, Notification>> items = new ConcurrentHashMap<>();
    /** Runs just before insert checks the key (simulates a concurrent writer). */
    public Runnable beforeInsert = () -> { };
    /** Runs just before update / delete check their condition. */
    public Runnable beforeWrite = () -> { };
    /** When set, every call throws it. */
    public RuntimeException failure;
    public int inserts;
    public int queries;

    public synchronized void put(Notification n) {
        items.computeIfAbsent(n.transactionId(), k -> new TreeMap<>()).put(n.createdAt(), n);
    }

    public synchronized void remove(String transactionId, long createdAt) {
        TreeMap<Long, Notification> m = items.get(transactionId);
        if (m != null) {
            m.remove(createdAt);
        }
    }

    public synchronized int size() {
        return items.values().stream().mapToInt(Map::size).sum();
    }

    private void maybeFail() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized Optional<Notification> find(String transactionId, long createdAt) {
        maybeFail();
        TreeMap<Long, Notification> m = items.get(transactionId);
        return Optional.ofNullable(m == null ? null : m.get(createdAt));
    }

    @Override
    public synchronized List<Notification> findAll(String transactionId) {
        maybeFail();
        queries++;
        TreeMap<Long, Notification> m = items.get(transactionId);
        return m == null ? List.of() : new ArrayList<>(m.values());
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
    public synchronized UpdateOutcome update(String transactionId, long createdAt, StatusChange c) {
        maybeFail();
        beforeWrite.run();
        Optional<Notification> current = find(transactionId, createdAt);
        if (current.isEmpty()) {
            return new Missing();
        }
        Notification n = current.get();
        if (CommandService.versionOf(n) != c.version()) {
            return new Stale(n);
        }
        Notification.Builder b = n.toBuilder().status(c.status()).version(c.version() + 1);
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
        Optional<Notification> current = find(transactionId, createdAt);
        if (current.isEmpty()) {
            return new Missing();
        }
        if (expectedVersion != null && CommandService.versionOf(current.get()) != expectedVersion) {
            return new Stale(current.get());
        }
        remove(transactionId, createdAt);
        return new Deleted(current.get());
    }
}
