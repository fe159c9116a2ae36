package io.pushcqrs.ops;

/** A failure the operator can act on: its message is printed as is, and the command exits with its code. */
public class OpsException extends RuntimeException {
    private final int exitCode;

    public OpsException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public OpsException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A usage, configuration or connection problem (exit code 2). */
    public static OpsException usage(String message) {
        return new OpsException(ExitCodes.USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
