package io.pushcqrs.projection.app;

import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.mapping.MappingException;

/**
 * What a record's failure means for the record (docs/reliability.md):
 * <ul>
 *   <li>{@link Kind#POISON}: the record can never be projected, whenever it is tried: its images cannot be mapped
 *       ({@link MappingException}), or the store refuses what it would write ({@link AwsFailure.Kind#REJECTED}: an
 *       item over 400 KB, an attribute DynamoDB does not take). It goes to the on-failure queue.</li>
 *   <li>{@link Kind#TRANSIENT}: the store cannot answer now ({@link AwsFailure.Kind#UNAVAILABLE}: throttling, a
 *       5xx, a timeout, a refused connection). Tried again, in the invocation and by the mapping.</li>
 *   <li>{@link Kind#FAILED}: anything else (the deployment is wrong: AccessDenied, a missing table; or a bug). Not
 *       the record's fault, and not cured in seconds: reported failed at once; the mapping retries it until the
 *       cause is fixed or the record is too old.</li>
 * </ul>
 */
public final class Failures {
    private Failures() {
    }

    public enum Kind {
        POISON, TRANSIENT, FAILED
    }

    public static Kind kindOf(RuntimeException e) {
        if (e instanceof MappingException) {
            return Kind.POISON;
        }
        if (e instanceof AwsCallException a) {
            return switch (a.failure().kind()) {
                case REJECTED -> Kind.POISON;
                case UNAVAILABLE -> Kind.TRANSIENT;
                case MISCONFIGURED -> Kind.FAILED;
            };
        }
        return Kind.FAILED;
    }

    /** The failure in one line, for the log and the on-failure message. */
    public static String describe(RuntimeException e) {
        if (e instanceof MappingException) {
            return "mapping error: " + e.getMessage();
        }
        if (e instanceof AwsCallException a) {
            return a.failure().describe();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
