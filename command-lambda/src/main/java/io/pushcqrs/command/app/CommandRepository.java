package io.pushcqrs.command.app;

import io.pushcqrs.model.Notification;

import java.util.List;
import java.util.Optional;

/**
 * The port to the command-records table (PK transaction_id, SK created_at). Reads are strongly
 * consistent and never fail on an item the mapper cannot read: it comes back as a {@link StoredItem}
 * with its problem. The internal create claim ({@link io.pushcqrs.model.CreateClaim}) is never returned
 * as an item. Store failures are {@link io.pushcqrs.lambda.aws.AwsCallException}s classified by
 * {@link io.pushcqrs.model.aws.AwsFailure} (400 rejected, 500 misconfigured, 503 unavailable).
 */
public interface CommandRepository {

    /** The item with this key, if any. */
    Optional<StoredItem> find(String transactionId, long createdAt);

    /** Every notification item of this transaction_id, oldest (lowest created_at) first; never the claim. */
    List<StoredItem> findAll(String transactionId);

    /** Writes the item unless one with the same key exists; false when it exists. */
    boolean insert(Notification notification);

    /**
     * The first create of a transaction_id without a created_at: writes the create claim of the
     * transaction_id and the item in one transaction, each only if its key is free.
     */
    ClaimOutcome insertClaimed(Notification notification);

    /** Removes the create claim of the transaction_id if it points at the item with this created_at. */
    void releaseClaim(String transactionId, long createdAt);

    /**
     * Applies a status change to the item with this key if its version is {@code change.version()}
     * (a missing version counts as 0), setting the version to {@code change.version() + 1}.
     */
    UpdateOutcome update(String transactionId, long createdAt, StatusChange change);

    /**
     * Deletes the item with this key, readable or not; when {@code expectedVersion} is not null only if its
     * version is that one (a missing version counts as 0).
     */
    DeleteOutcome delete(String transactionId, long createdAt, Long expectedVersion);

    /** The result of {@link #insertClaimed}. */
    sealed interface ClaimOutcome permits Claimed, ClaimTaken, KeyTaken, Contended {
    }

    /** The result of a conditional update. */
    sealed interface UpdateOutcome permits Updated, Stale, Missing {
    }

    /** The result of a conditional delete. */
    sealed interface DeleteOutcome permits Deleted, Stale, Missing {
    }

    /** The claim and the item were written. */
    record Claimed() implements ClaimOutcome {
    }

    /** Another create holds the claim; it points at the item with {@code claimedCreatedAt}. Nothing was written. */
    record ClaimTaken(long claimedCreatedAt) implements ClaimOutcome {
    }

    /** An item with the same key (transaction_id, created_at) exists already. Nothing was written. */
    record KeyTaken() implements ClaimOutcome {
    }

    /** Another transaction on the same keys was in flight (DynamoDB's TransactionConflict): try again. */
    record Contended() implements ClaimOutcome {
    }

    /** The update was applied; {@code item} is the item as stored now. */
    record Updated(Notification item) implements UpdateOutcome {
    }

    /** The item was deleted. */
    record Deleted() implements DeleteOutcome {
    }

    /** The item exists with another version than expected; {@code current} is the item as stored now. */
    record Stale(StoredItem current) implements UpdateOutcome, DeleteOutcome {
    }

    /** No item has this key (any more). */
    record Missing() implements UpdateOutcome, DeleteOutcome {
    }
}
