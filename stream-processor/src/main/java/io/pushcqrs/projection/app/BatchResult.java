package io.pushcqrs.projection.app;

import java.util.List;

/**
 * What projecting one batch did.
 *
 * @param records               records in the batch
 * @param upserted              view items written
 * @param deleted               view items deleted (a delete of a key that held no item is not counted)
 * @param skippedStale          writes and deletes the ordering guard refused (duplicates, replays, older changes)
 * @param failedSequenceNumbers the first record that could not be projected and every record after it, in
 *                              batch order: the batch item failures to return to the event source mapping
 * @param failure               why the first failed record failed; null when none failed
 * @param skips                 the refused writes, one entry each (for the log)
 * @param poisons               the records that can never be projected, sent to the on-failure queue and done with
 * @param retries               transient failures tried again inside the invocation
 */
public record BatchResult(
        int records,
        int upserted,
        int deleted,
        int skippedStale,
        List<String> failedSequenceNumbers,
        RecordFailure failure,
        List<Skip> skips,
        List<Poison> poisons,
        int retries) {

    public BatchResult {
        failedSequenceNumbers = List.copyOf(failedSequenceNumbers.stream().map(s -> s == null ? "" : s).toList());
        skips = List.copyOf(skips);
        poisons = List.copyOf(poisons);
    }

    /** A result without poison records and retries. */
    public BatchResult(int records, int upserted, int deleted, int skippedStale, List<String> failedSequenceNumbers,
                       RecordFailure failure, List<Skip> skips) {
        this(records, upserted, deleted, skippedStale, failedSequenceNumbers, failure, skips, List.of(), 0);
    }

    public static BatchResult empty() {
        return new BatchResult(0, 0, 0, 0, List.of(), null, List.of());
    }

    public int poisoned() {
        return poisons.size();
    }

    public int failed() {
        return failedSequenceNumbers.size();
    }

    public boolean hasFailure() {
        return failure != null;
    }

    /** The record that stopped the batch. */
    public record RecordFailure(String eventId, String sequenceNumber, String eventName, String reason) {
    }

    /** A record that cannot be projected, sent to the on-failure queue. */
    public record Poison(String eventId, String sequenceNumber, String eventName, String reason) {
    }

    /** A write or delete the ordering guard refused: the view already holds this change or a newer one. */
    public record Skip(String eventId, String sequenceNumber, String operation) {
    }
}
