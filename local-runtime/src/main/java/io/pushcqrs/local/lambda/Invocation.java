package io.pushcqrs.local.lambda;

import java.util.concurrent.CompletableFuture;

/** One invocation on its way through an execution environment. */
final class Invocation {

    /** How an invocation ended. */
    enum Kind { OK, ERROR, TIMEOUT, CRASH, INIT_ERROR, INIT_TIMEOUT }

    /** The result: the response or the Lambda error payload. */
    record Outcome(Kind kind, byte[] payload, String errorType) {
        static Outcome ok(byte[] payload) {
            return new Outcome(Kind.OK, payload, null);
        }

        /** The environment stays usable after OK and ERROR (the handler threw, the runtime reported it). */
        boolean environmentHealthy() {
            return kind == Kind.OK || kind == Kind.ERROR;
        }

        String label() {
            return switch (kind) {
                case OK -> "OK";
                case ERROR -> "ERROR(" + errorType + ")";
                case TIMEOUT -> "TIMEOUT";
                case CRASH -> "CRASH(" + errorType + ")";
                case INIT_ERROR -> "INIT_ERROR(" + errorType + ")";
                case INIT_TIMEOUT -> "INIT_TIMEOUT";
            };
        }
    }

    final String requestId;
    final byte[] payload;
    final String invokedArn;
    final String clientContext;
    final long timeoutMs;
    /** Set when the runtime takes it (GET /next). */
    volatile long pickedUpNanos;
    /**
     * For an invocation that waits for a suppressed init (the first init took longer than Lambda's 10 s): when the
     * function's timeout began to run, the retried init included; 0 otherwise (the timeout runs from the pick-up).
     */
    volatile long budgetStartNanos;
    volatile long deadlineEpochMs;
    final CompletableFuture<Void> pickedUp = new CompletableFuture<>();
    final CompletableFuture<Outcome> result = new CompletableFuture<>();

    /** When the function's timeout began to run. */
    long startNanos() {
        return budgetStartNanos != 0 ? budgetStartNanos : pickedUpNanos;
    }

    Invocation(String requestId, byte[] payload, String invokedArn, String clientContext, long timeoutMs) {
        this.requestId = requestId;
        this.payload = payload;
        this.invokedArn = invokedArn;
        this.clientContext = clientContext;
        this.timeoutMs = timeoutMs;
    }
}
