package io.pushcqrs.model.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Every string of a request body, values and keys at any depth, must be Unicode that UTF-8 can carry: JSON lets
 * {@code "\ud800"} (half of a surrogate pair) through, DynamoDB stores UTF-8 and the SDK cannot encode it, so the
 * request would fail after validation as a 5xx. It is a 400 naming the field instead (docs/reliability.md, "Bad input").
 */
public final class UnicodeCheck {
    public static final String RULE = "is not valid Unicode: it holds half of a surrogate pair (a lone \\uD800-\\uDFFF escape)";

    private UnicodeCheck() {
    }

    /** The index of the first unpaired surrogate of the text, or -1. */
    public static int unpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds a field error for every string value or key of the tree with an unpaired surrogate. */
    public static void check(Checks checks, String path, JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            if (unpaired(node.textValue()) >= 0) {
                checks.add(path.isEmpty() ? "body" : path, RULE);
            }
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String key = e.getKey();
                String sub = path.isEmpty() ? key : path + "." + key;
                if (unpaired(key) >= 0) {
                    checks.add(path.isEmpty() ? "body" : path, "has a key that " + RULE);
                    continue;
                }
                check(checks, sub, e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(checks, path + "[" + i + "]", node.get(i));
            }
        }
    }
}
