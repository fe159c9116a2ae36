package io.pushcqrs.ops.aws;

import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.config.Settings;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Turns SDK failures into messages an operator can act on (exit code 2). */
public final class AwsErrors {
    private AwsErrors() {
    }

    public static OpsException describe(SdkException e, Settings settings) {
        if (e instanceof ResourceNotFoundException) {
            return new OpsException(ExitCodes.USAGE, "table not found at " + settings.endpointLabel() + " (tables "
                    + settings.commandTable() + ", " + settings.notificationTable() + "): "
                    + e.getMessage() + "; check --command-table/--notification-table or the outputs file", e);
        }
        if (e instanceof SdkClientException) {
            return new OpsException(ExitCodes.USAGE, "cannot reach DynamoDB at " + settings.endpointLabel() + ": "
                    + rootMessage(e) + " (is the stack running? scripts/local-up.sh --detach)", e);
        }
        return new OpsException(ExitCodes.USAGE, "DynamoDB at " + settings.endpointLabel() + " failed: " + e.getMessage(), e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
