package io.pushcqrs.model;

/** Delivery outcome of a notification. */
public enum Status {
    SENT, DELIVERED, FAILED
}
