package io.pushcqrs.projection.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * The read model (notification-records) as the projection writes it. Every write is conditional on a
 * {@link WriteGuard}; a refused condition is {@link WriteOutcome#STALE}. Any other failure is thrown.
 */
public interface ViewStore {

    /** Puts the whole view item (replacing the one at its key) when the guard admits it. */
    WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard);

    /** Deletes the view item at the key when the guard admits it; {@link WriteOutcome#ABSENT} when none was there. */
    WriteOutcome delete(Map<String, AttributeValue> viewKey, WriteGuard guard);
}
