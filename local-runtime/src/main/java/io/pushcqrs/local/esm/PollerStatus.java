package io.pushcqrs.local.esm;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a mapping's poller makes progress, shard by shard, and how far behind the stream it is.
 * <ul>
 * <li>A shard whose reads (GetShardIterator, GetRecords, or the reader's own step) fail {@value #STUCK_AFTER} times in
 *     a row cannot make progress: the poller is {@link StreamPoller.State#STUCK} until a read succeeds again. The
 *     caller logs the first failure of a streak, the moment it becomes stuck and the moment it recovers: three lines
 *     at most per streak, never one per retry.</li>
 * <li>The iterator age is AWS's IteratorAge metric: at each invocation, the age of the last record of the batch
 *     (now minus its ApproximateCreationDateTime), so it grows while a batch is retried. A shard that cannot be read
 *     has no record to measure: its age is at least the time since its reads started failing (the unreadable record
 *     was written before that), and that lower bound is what is reported while it lasts.</li>
 * </ul>
 * Thread-safe: the shard readers report, the health answer reads.
 */
final class PollerStatus {
    /** Consecutive failed reads after which a shard counts as stuck. */
    static final int STUCK_AFTER = 5;

    /** What a failed read changed, so the caller logs the first failure and the moment it got stuck, once each. */
    enum Transition { FIRST_FAILURE, STUCK, NONE }

    /**
     * One shard's state.
     *
     * @param failedReads    consecutive failed reads (0 while reads succeed)
     * @param failingSince   when the current streak of failures began, or null
     * @param stuckSince     when the shard became stuck, or null
     * @param problem        the last failure, or null
     * @param iteratorAgeMs  the last measured age (see the class comment)
     */
    record Shard(int failedReads, Instant failingSince, Instant stuckSince, String problem, long iteratorAgeMs) {
        boolean stuck() {
            return stuckSince != null;
        }
    }

    private final Map<String, Shard> shards = new LinkedHashMap<>();

    synchronized Transition readFailed(String shardId, String problem, Instant now) {
        Shard s = shards.getOrDefault(shardId, new Shard(0, null, null, null, 0));
        int failed = s.failedReads() + 1;
        Instant since = s.failingSince() == null ? now : s.failingSince();
        Instant stuck = s.stuckSince() != null ? s.stuckSince() : failed >= STUCK_AFTER ? now : null;
        shards.put(shardId, new Shard(failed, since, stuck, problem, s.iteratorAgeMs()));
        if (failed == 1) {
            return Transition.FIRST_FAILURE;
        }
        return s.stuckSince() == null && stuck != null ? Transition.STUCK : Transition.NONE;
    }

    /** A read succeeded; returns the shard's state before (to say that a stuck shard recovered), or null. */
    synchronized Shard readSucceeded(String shardId) {
        Shard s = shards.get(shardId);
        if (s == null || s.failedReads() == 0) {
            return null;
        }
        shards.put(shardId, new Shard(0, null, null, null, s.iteratorAgeMs()));
        return s;
    }

    /** An invocation with records whose last one was created at {@code lastCreated} (null: unknown). */
    synchronized void invoked(String shardId, Instant lastCreated, Instant now) {
        if (lastCreated == null) {
            return;
        }
        Shard s = shards.getOrDefault(shardId, new Shard(0, null, null, null, 0));
        long age = Math.max(0, Duration.between(lastCreated, now).toMillis());
        shards.put(shardId, new Shard(s.failedReads(), s.failingSince(), s.stuckSince(), s.problem(), age));
    }

    synchronized void forget(String shardId) {
        shards.remove(shardId);
    }

    /** Every shard as of now (a stuck shard's age is the lower bound described above). */
    synchronized Map<String, Shard> shards(Instant now) {
        Map<String, Shard> out = new LinkedHashMap<>();
        shards.forEach((id, s) -> {
            long age = s.iteratorAgeMs();
            if (s.failingSince() != null && s.failedReads() > 0) {
                age = Math.max(age, Duration.between(s.failingSince(), now).toMillis());
            }
            out.put(id, new Shard(s.failedReads(), s.failingSince(), s.stuckSince(), s.problem(), age));
        });
        return out;
    }
}
