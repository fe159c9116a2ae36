package io.pushcqrs.command.app;

import io.pushcqrs.model.Notification;

/**
 * The outcome of a create: the stored notification and whether this call wrote it
 * ({@code replayed} is true when an identical notification was already stored).
 */
public record CreateResult(Notification item, boolean replayed) {
}
