package io.pushcqrs.ops;

/** Exit codes of every subcommand. */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** Done, and everything went as asked (check-sync: in sync). */
    public static final int OK = 0;
    /** Done, but the result is bad: requests failed, out of sync, an API error. */
    public static final int FAILED = 1;
    /** Could not do it: bad arguments, no configuration, an endpoint that does not answer. */
    public static final int USAGE = 2;
}
