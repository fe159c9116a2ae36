package io.pushcqrs.local.edge;

import java.util.List;
import java.util.Map;

/**
 * Checks AWS API requests before the edge serves them (the Lambda API) or forwards them (moto): IAM, for the
 * requests signed with credentials the stack gave its functions. The edge reads the body only for requests the guard
 * {@link #applies to}, so every other caller (the AWS CLI, scripts, tests) goes through as before.
 */
public interface RequestGuard {
    /** Cheap: whether the request is signed with credentials this guard knows (the Authorization header or query). */
    boolean applies(String authorization, String rawQuery);

    /** Null to let the request through; else the answer the client gets instead. */
    LambdaApi.Answer check(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body);
}
