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
 */
public record BatchResult(
        int records,
        int upserted,
        int deleted,
        int skippedStale,
        List<String> failedSequenceNumbers,
        RecordFailure failure,
        List<Skip> skips) {

    public BatchResult {
        failedSequenceNumbers = List.copyOf(failedSequenceNumbers.stream().map(s -> s == null ? "" : s).toList());
        skips = List.copyOf(skips);
    }

    public static BatchResult empty() {
        return new BatchResult(0, 0, 0, 0, List.of(), null, List.of());
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

    /** A write or delete the ordering guard refused: the view already holds this change or a newer one. */
    public record Skip(String eventId, String sequenceNumber, String operation) {
    }
}
