package io.pushcqrs.projection.app;

/** What a guarded write or delete did. */
public enum WriteOutcome {
    /** Written; for a tombstone: a live view was replaced by it. */
    APPLIED,
    /** Refused by the ordering guard: the view holds this change or a newer one (a no-op, not an error). */
    STALE,
    /**
     * A tombstone written where no live view was (none, or a tombstone of an older change: a view that was never
     * written, or a redelivered REMOVE); not counted as a delete.
     */
    ABSENT
}
