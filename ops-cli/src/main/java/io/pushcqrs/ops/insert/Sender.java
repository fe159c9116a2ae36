package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;

/** Sends one command; never throws for a failed request (that is an {@link Outcome}). Thread-safe. */
public interface Sender {
    Outcome send(JsonNode command);

    /** Where commands go, for the summary ("POST http://.../commands"). */
    String target();
}
