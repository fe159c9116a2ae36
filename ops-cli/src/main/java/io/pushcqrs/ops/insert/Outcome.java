package io.pushcqrs.ops.insert;

/**
 * What one sent command came to.
 *
 * @param kind          the class of answer
 * @param transactionId the command's transaction_id when known
 * @param message       for failures: status and error text
 * @param nanos         the request's latency (its retries included)
 * @param throttled     how many 429 answers came before this one (each retried after a pause)
 */
public record Outcome(Kind kind, String transactionId, String message, long nanos, int throttled) {

    public Outcome(Kind kind, String transactionId, String message, long nanos) {
        this(kind, transactionId, message, nanos, 0);
    }

    public enum Kind {
        /** 201: a new command (direct mode: the item was put). */
        CREATED,
        /** 200: the same command was there already (idempotent replay). */
        REPLAYED,
        /** 409: another command holds this transaction_id. */
        CONFLICT,
        /** Other 4xx (or, direct mode, invalid before sending). */
        REJECTED,
        /** 5xx, an I/O failure or a DynamoDB error. */
        ERROR
    }

    public boolean failed() {
        return kind != Kind.CREATED && kind != Kind.REPLAYED;
    }
}
