package io.pushcqrs.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;

import java.util.Map;

/**
 * What a {@code payload} must be for DynamoDB to store it (docs/architecture.md, "Input bounds"): a JSON object whose
 * numbers are in DynamoDB's range ({@link DynamoNumbers}), with no empty key at any depth (DynamoDB refuses empty
 * attribute names) and at most {@link #MAX_DEPTH} levels of nesting. Every problem is reported, each with its path
 * ({@code payload.deep[2]}).
 */
public final class PayloadCheck {
    /** DynamoDB nests attributes at most 32 levels deep, the item being the first: 31 for the payload. */
    public static final int MAX_DEPTH = 31;

    private PayloadCheck() {
    }

    /**
     * The payload must be a JSON object the store can hold: numbers within DynamoDB's range, no empty key
     * at any depth (DynamoDB refuses empty attribute names), bounded depth.
     */
    public static void check(JsonNode payload) {
        if (payload == null) {
            return;
        }
        if (!payload.isObject()) {
            throw new ValidationException(Attr.PAYLOAD, "must be a JSON object");
        }
        Checks checks = new Checks();
        checkNode(checks, Attr.PAYLOAD, payload, 1);
        checks.throwIfAny();
    }

    private static void checkNode(Checks checks, String path, JsonNode node, int depth) {
        if (node.isNumber()) {
            String problem = DynamoNumbers.problem(node.decimalValue());
            if (problem != null) {
                checks.add(path, problem);
            }
            return;
        }
        if (!node.isContainerNode()) {
            return;
        }
        if (depth > MAX_DEPTH) {
            checks.add(path, "nests deeper than " + MAX_DEPTH + " levels");
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().isEmpty()) {
                    checks.add(path, "has an empty key (DynamoDB refuses empty attribute names)");
                    continue;
                }
                checkNode(checks, path + "." + e.getKey(), e.getValue(), depth + 1);
            }
        } else {
            for (int i = 0; i < node.size(); i++) {
                checkNode(checks, path + "[" + i + "]", node.get(i), depth + 1);
            }
        }
    }
}
