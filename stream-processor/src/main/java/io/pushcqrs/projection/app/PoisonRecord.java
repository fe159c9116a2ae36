package io.pushcqrs.projection.app;

/**
 * A record that cannot be projected, and why.
 *
 * @param record     the stream record
 * @param reason     the mapping error or the store's refusal, one line
 * @param invocation the invocation that met it
 */
public record PoisonRecord(ChangeRecord record, String reason, Invocation invocation) {
}
