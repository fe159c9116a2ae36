package io.pushcqrs.projection.app;

/**
 * Where a record that can never be projected goes: the stream's on-failure queue, with what replay needs to find it
 * again (docs/reliability.md, "Poison records"). A failure to send is thrown (an AWS call failure); the record is then
 * reported failed to the event source mapping, never dropped.
 */
public interface PoisonQueue {
    void send(PoisonRecord poison);
}
