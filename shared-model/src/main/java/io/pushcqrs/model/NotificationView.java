package io.pushcqrs.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A notification as the read model (notification-records) holds it: the record's data plus the
 * version it was projected from. The view's keys (user_id + view_sk) and the sparse failure keys
 * are derived from the data, see {@link ViewKeys}.
 */
public record NotificationView(Notification notification, Long sourceVersion) {

    /** The view of a command record; its version becomes the view's source_version. */
    public static NotificationView of(Notification command) {
        return new NotificationView(command.toBuilder().version(null).build(), command.version());
    }

    @JsonIgnore
    public String viewSk() {
        return ViewKeys.viewSk(notification.createdAt(), notification.transactionId());
    }
}
