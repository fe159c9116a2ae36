package io.pushcqrs.command.app;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.mapping.MappingException;

/**
 * A command-records item as the store holds it: its key, its version and, when the mapper can read it,
 * the notification; otherwise the mapping problem (a foreign tool wrote {@code platform: "ios"}, a number
 * where a string belongs, ...). An unreadable item can still be found, counted and deleted by its key.
 *
 * @param transactionId the partition key
 * @param createdAt     the sort key
 * @param version       the stored version (null: none, counts as 0; also null when the version itself is unreadable)
 * @param notification  the item mapped, or null when it cannot be
 * @param problem       why it cannot be mapped (names the field and the stored value), or null
 */
public record StoredItem(String transactionId, long createdAt, Long version, Notification notification,
                         MappingException problem) {

    public static StoredItem of(Notification n) {
        return new StoredItem(n.transactionId(), n.createdAt(), n.version(), n, null);
    }

    public static StoredItem unreadable(String transactionId, long createdAt, Long version, MappingException problem) {
        return new StoredItem(transactionId, createdAt, version, null, problem);
    }

    public boolean readable() {
        return notification != null;
    }

    /** True when the version attribute itself cannot be read (then no version comparison is possible). */
    public boolean versionUnreadable() {
        return problem != null && "version".equals(problem.field());
    }
}
