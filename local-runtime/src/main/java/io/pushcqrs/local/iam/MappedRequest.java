package io.pushcqrs.local.iam;

import java.util.List;

/**
 * What IAM must authorize for one request.
 *
 * @param service   the service (dynamodb, sqs, lambda...)
 * @param operation the API operation (Query, SendMessage, Invoke...)
 * @param protocol  how the service answers errors
 * @param accesses  the authorizations, in the order IAM checks them (empty: none needed, e.g. GetCallerIdentity)
 * @param evaluated false when the local stack cannot tell what the request needs (then it is let through and logged)
 */
public record MappedRequest(String service, String operation, Protocol protocol, List<AccessRequest> accesses,
                            boolean evaluated) {
    public MappedRequest {
        accesses = List.copyOf(accesses);
    }

    static MappedRequest notEvaluated(String service, String operation, Protocol protocol) {
        return new MappedRequest(service, operation, protocol, List.of(), false);
    }
}
