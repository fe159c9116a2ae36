package io.pushcqrs.local.iam;

/**
 * One authorization IAM makes for a request: an action on a resource, with the request's own condition keys.
 * A request may need several (a transaction needs its item action on each item's table).
 *
 * @param action   e.g. {@code dynamodb:Query}
 * @param resource the resource ARN, or {@code *} for an action without resource-level permissions
 * @param keys     condition keys of the request beside the principal's (may be empty)
 */
public record AccessRequest(String action, String resource, RequestContext keys) {
    public AccessRequest(String action, String resource) {
        this(action, resource, new RequestContext());
    }
}
