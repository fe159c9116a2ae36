package io.pushcqrs.local.esm.rules;

import java.time.Duration;

/**
 * When the records read from a shard make a batch, by the mapping's BatchSize and MaximumBatchingWindowInSeconds
 * and Lambda's 6 MB payload limit. Pure: the caller passes how long the first buffered record has waited.
 */
public final class Batching {
    /** Lambda's payload limit for a synchronous invocation: a batch stops growing at it. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    private Batching() {
    }

    /**
     * Whether the buffered records are invoked now: the batch is full, the window has elapsed since the first of
     * them arrived (a window of 0 invokes at once), the shard is read to its end, or the payload limit is reached.
     *
     * @param buffered     records waiting (at least one)
     * @param fit          how many of them fit in one event under {@link #MAX_PAYLOAD_BYTES}
     * @param batchSize    BatchSize
     * @param waited       since the first of them arrived
     * @param window       MaximumBatchingWindowInSeconds
     * @param shardEnded   GetRecords answered no next iterator
     */
    public static boolean invokeNow(int buffered, int fit, int batchSize, Duration waited, Duration window,
                                    boolean shardEnded) {
        return buffered >= batchSize || waited.compareTo(window) >= 0 || shardEnded || fit < buffered;
    }

    /** How long to wait before the next read when records are buffered but no batch is due: the idle pause, at most the rest of the window. */
    public static Duration waitBeforeNextRead(Duration idle, Duration waited, Duration window) {
        Duration rest = window.minus(waited);
        return rest.compareTo(idle) < 0 ? rest : idle;
    }
}
