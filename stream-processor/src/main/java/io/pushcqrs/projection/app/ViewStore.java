package io.pushcqrs.projection.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * The read model (notification-records) as the projection writes it. Every write is conditional on a
 * {@link WriteGuard}; a refused condition is {@link WriteOutcome#STALE}. Any other failure is thrown. Nothing is
 * ever deleted: a delete is a tombstone ({@link io.pushcqrs.model.mapping.Tombstones}).
 */
public interface ViewStore {

    /** Puts the whole view item (replacing the one at its key) when the guard admits it. */
    WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard);

    /**
     * Replaces the item at the tombstone's key (user_id, view_sk) with the tombstone when the guard admits it:
     * {@link WriteOutcome#APPLIED} when a live view was there, {@link WriteOutcome#ABSENT} when nothing or another
     * tombstone was (the tombstone is written all the same).
     */
    WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard);
}
