package io.pushcqrs.command.app;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Which resource a proxy event addresses: the collection {@code /commands}, one command
 * {@code /commands/{transaction_id}}, or none of this API. The event's {@code resource} (the API
 * Gateway route template) decides; when it is absent or not one of ours (a greedy proxy), the
 * {@code path} does.
 */
public record CommandRoute(Kind kind, String transactionId) {
    static final String COLLECTION_PATH = "/commands";
    static final String ITEM_RESOURCE = "/commands/{transaction_id}";
    static final String PATH_PARAMETER = "transaction_id";

    public enum Kind {
        /** {@code /commands}: POST. */
        COLLECTION("POST"),
        /** {@code /commands/{transaction_id}}: PATCH, DELETE. */
        ITEM("PATCH, DELETE"),
        /** Not a route of this API. */
        NONE("");

        private final String allow;

        Kind(String allow) {
            this.allow = allow;
        }

        /** The value of the Allow header of a 405 on this route. */
        public String allow() {
            return allow;
        }
    }

    static CommandRoute of(String resource, String path, Map<String, String> pathParameters) {
        if (COLLECTION_PATH.equals(resource)) {
            return new CommandRoute(Kind.COLLECTION, null);
        }
        if (ITEM_RESOURCE.equals(resource) && pathParameters != null && pathParameters.get(PATH_PARAMETER) != null) {
            return new CommandRoute(Kind.ITEM, decode(pathParameters.get(PATH_PARAMETER)));
        }
        return fromPath(path);
    }

    private static CommandRoute fromPath(String path) {
        if (path == null) {
            return new CommandRoute(Kind.NONE, null);
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (COLLECTION_PATH.equals(p)) {
            return new CommandRoute(Kind.COLLECTION, null);
        }
        if (p.startsWith(COLLECTION_PATH + "/")) {
            return new CommandRoute(Kind.ITEM, decode(p.substring(COLLECTION_PATH.length() + 1)));
        }
        return new CommandRoute(Kind.NONE, null);
    }

    /** Percent-decodes a path segment ('+' stays '+': it is a valid id character, not a space). */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // not valid percent-encoding: left as it is, the id check rejects the '%'
        }
    }
}
