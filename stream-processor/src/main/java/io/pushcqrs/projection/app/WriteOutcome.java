package io.pushcqrs.projection.app;

/** What a guarded write or delete did. */
public enum WriteOutcome {
    /** Written, or an existing item deleted. */
    APPLIED,
    /** Refused by the ordering guard: the view holds this change or a newer one (a no-op, not an error). */
    STALE,
    /** A delete of a key that held no item (a replayed REMOVE, or a view that was never written): a no-op. */
    ABSENT
}
