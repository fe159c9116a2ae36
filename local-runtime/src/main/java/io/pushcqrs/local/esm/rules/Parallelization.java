package io.pushcqrs.local.esm.rules;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * ParallelizationFactor (1-10), by AWS's rule: a shard's records are processed by up to that many concurrent batches,
 * and the records of one partition key stay in order, because they always go to the same lane ({@link #lane}); records
 * of different keys may be processed in any order. Each lane batches and retries on its own.
 * <p>
 * The shard's checkpoint can then only move past records that are all done: {@link Progress} follows the records read
 * (in shard order) and those done (in any order), and gives the last record of the longest done prefix. A restart
 * resumes after it, so no record is lost or skipped; records behind it that were done already are delivered again (as
 * on AWS, processing must be idempotent). Pure: no threads, clock or I/O.
 */
public final class Parallelization {
    public static final int MIN_FACTOR = 1;
    public static final int MAX_FACTOR = 10;

    private Parallelization() {
    }

    /** The lane (0..factor-1) of a partition key (given as any stable text of its value). */
    public static int lane(String partitionKey, int factor) {
        if (factor < MIN_FACTOR || factor > MAX_FACTOR) {
            throw new IllegalArgumentException("ParallelizationFactor must be 1..10, was " + factor);
        }
        return Math.floorMod(partitionKey.hashCode() * 0x9E3779B1, factor);
    }

    /** The records of a shard in flight, and how far the checkpoint may move. Not thread-safe: the caller locks. */
    public static final class Progress {
        private final Deque<String> order = new ArrayDeque<>();
        private final Set<String> pending = new HashSet<>();
        private final Set<String> done = new HashSet<>();

        /** A record read (sequence numbers are given in shard order). */
        public void read(String sequenceNumber) {
            order.addLast(sequenceNumber);
            pending.add(sequenceNumber);
        }

        /** A record done with (delivered, or given up on). */
        public void done(String sequenceNumber) {
            if (!pending.contains(sequenceNumber)) {
                throw new IllegalArgumentException("record " + sequenceNumber + " was not read, or is past the checkpoint");
            }
            done.add(sequenceNumber);
        }

        /** The new checkpoint when the done prefix grew since the last call (the records before it are forgotten). */
        public Optional<String> advance() {
            String last = null;
            while (!order.isEmpty() && done.remove(order.peekFirst())) {
                last = order.removeFirst();
                pending.remove(last);
            }
            return Optional.ofNullable(last);
        }

        /** Records read and not yet behind the checkpoint. */
        public int inFlight() {
            return order.size();
        }
    }
}
