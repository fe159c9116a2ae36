package io.pushcqrs.local.edge;

import java.util.List;
import java.util.Map;

/**
 * A check the edge runs on an AWS call before it forwards it to moto, for what AWS refuses and moto lets through
 * (DynamoDB's input rules, for instance). A check that refuses answers the call itself, as AWS would.
 */
@FunctionalInterface
public interface RequestCheck {

    /** The answer to send instead of forwarding. */
    record Refusal(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * @param method  the HTTP method
     * @param path    the raw path
     * @param headers the request headers (names as the client sent them; look them up without regard to case)
     * @param body    the request body
     * @return null to forward the call, else the answer
     */
    Refusal check(String method, String path, Map<String, List<String>> headers, byte[] body);
}
