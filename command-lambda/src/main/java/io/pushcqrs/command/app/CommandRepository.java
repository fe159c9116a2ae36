package io.pushcqrs.command.app;

import io.pushcqrs.model.Notification;

import java.util.List;
import java.util.Optional;

/**
 * The port to the command-records table (PK transaction_id, SK created_at). Reads are strongly
 * consistent. Store failures that a retry may cure (throttling, service errors, timeouts) are
 * raised as {@link CommandStoreUnavailableException}.
 */
public interface CommandRepository {

    /** The item with this key, if any. */
    Optional<Notification> find(String transactionId, long createdAt);

    /** Every item of this transaction_id, oldest (lowest created_at) first. */
    List<Notification> findAll(String transactionId);

    /** Writes the item unless one with the same key exists; false when it exists. */
    boolean insert(Notification notification);

    /**
     * Applies a status change to the item with this key if its version is {@code change.version()}
     * (a missing version counts as 0), setting the version to {@code change.version() + 1}.
     */
    UpdateOutcome update(String transactionId, long createdAt, StatusChange change);

    /**
     * Deletes the item with this key; when {@code expectedVersion} is not null only if its version
     * is that one (a missing version counts as 0).
     */
    DeleteOutcome delete(String transactionId, long createdAt, Long expectedVersion);

    /** The result of a conditional update. */
    sealed interface UpdateOutcome permits Updated, Stale, Missing {
    }

    /** The result of a conditional delete. */
    sealed interface DeleteOutcome permits Deleted, Stale, Missing {
    }

    /** The update was applied; {@code item} is the item as stored now. */
    record Updated(Notification item) implements UpdateOutcome {
    }

    /** The item was deleted; {@code item} is what it held. */
    record Deleted(Notification item) implements DeleteOutcome {
    }

    /** The item exists with another version than expected; {@code current} is the item as stored now. */
    record Stale(Notification current) implements UpdateOutcome, DeleteOutcome {
    }

    /** No item has this key (any more). */
    record Missing() implements UpdateOutcome, DeleteOutcome {
    }
}
