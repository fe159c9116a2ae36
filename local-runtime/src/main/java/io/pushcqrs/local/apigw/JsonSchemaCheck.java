package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The part of JSON Schema draft 4 that API Gateway request models use: type, required, properties,
 * additionalProperties, enum, minLength/maxLength, pattern, minimum/maximum (exclusive flags included),
 * items, minItems/maxItems, allOf/anyOf/oneOf/not. {@code $ref} is not followed (such a part always passes).
 * <p>
 * Messages follow the wording of the validator API Gateway uses, so that
 * {@code $context.error.validationErrorString} looks like AWS's ({@code [object has missing required properties
 * (["status"])]}).
 */
public final class JsonSchemaCheck {
    private JsonSchemaCheck() {
    }

    /** The problems of an instance, empty when it is valid. */
    public static List<String> validate(JsonNode schema, JsonNode instance) {
        List<String> problems = new ArrayList<>();
        check(schema, instance, "", problems);
        return problems;
    }

    /** AWS's validationErrorString form: {@code [problem, problem]}. */
    public static String errorString(List<String> problems) {
        return "[" + String.join(", ", problems) + "]";
    }

    private static void check(JsonNode schema, JsonNode node, String pointer, List<String> problems) {
        if (schema == null || !schema.isObject() || schema.has("$ref")) {
            return;
        }
        String at = pointer.isEmpty() ? "" : " (at " + pointer + ")";
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> allowed = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> allowed.add(t.asText()));
            } else {
                allowed.add(type.asText());
            }
            String actual = typeOf(node);
            boolean ok = allowed.contains(actual) || (actual.equals("integer") && allowed.contains("number"));
            if (!ok) {
                problems.add("instance type (" + actual + ") does not match any allowed primitive type (allowed: "
                        + quoted(allowed) + ")" + at);
                return;
            }
        }
        JsonNode enumNode = schema.get("enum");
        if (enumNode != null && enumNode.isArray()) {
            boolean found = false;
            for (JsonNode e : enumNode) {
                found |= e.equals(node) || (e.isNumber() && node.isNumber() && e.decimalValue().compareTo(node.decimalValue()) == 0);
            }
            if (!found) {
                problems.add("instance value (" + node + ") not found in enum (possible values: " + enumNode + ")" + at);
            }
        }
        if (node.isTextual()) {
            int length = node.asText().codePointCount(0, node.asText().length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                problems.add("string " + node + " is too short (length: " + length + ", required minimum: "
                        + schema.get("minLength").asInt() + ")" + at);
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                problems.add("string " + node + " is too long (length: " + length + ", maximum allowed: "
                        + schema.get("maxLength").asInt() + ")" + at);
            }
            if (schema.has("pattern")) {
                String regex = schema.get("pattern").asText();
                try {
                    if (!Pattern.compile(regex).matcher(node.asText()).find()) {
                        problems.add("ECMA 262 regex \"" + regex + "\" does not match input string " + node + at);
                    }
                } catch (PatternSyntaxException e) {
                    problems.add("the schema's pattern \"" + regex + "\" is not a valid regular expression" + at);
                }
            }
        }
        if (node.isNumber()) {
            if (schema.has("minimum")) {
                int c = node.decimalValue().compareTo(schema.get("minimum").decimalValue());
                boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
                if (c < 0 || (exclusive && c == 0)) {
                    problems.add("numeric instance is " + (c == 0 ? "not strictly greater than" : "lower than")
                            + " the required minimum (minimum: " + schema.get("minimum") + ", found: " + node + ")" + at);
                }
            }
            if (schema.has("maximum")) {
                int c = node.decimalValue().compareTo(schema.get("maximum").decimalValue());
                boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
                if (c > 0 || (exclusive && c == 0)) {
                    problems.add("numeric instance is " + (c == 0 ? "not strictly lower than" : "greater than")
                            + " the required maximum (maximum: " + schema.get("maximum") + ", found: " + node + ")" + at);
                }
            }
        }
        if (node.isObject()) {
            JsonNode required = schema.get("required");
            if (required != null && required.isArray()) {
                List<String> missing = new ArrayList<>();
                required.forEach(r -> {
                    if (!node.has(r.asText())) {
                        missing.add(r.asText());
                    }
                });
                if (!missing.isEmpty()) {
                    problems.add("object has missing required properties (" + quoted(missing) + ")" + at);
                }
            }
            JsonNode properties = schema.path("properties");
            List<String> extra = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode propertySchema = properties.get(e.getKey());
                if (propertySchema != null) {
                    check(propertySchema, e.getValue(), pointer + "/" + e.getKey(), problems);
                } else if (schema.path("additionalProperties").isObject()) {
                    check(schema.get("additionalProperties"), e.getValue(), pointer + "/" + e.getKey(), problems);
                } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
                    extra.add(e.getKey());
                }
            }
            if (!extra.isEmpty()) {
                problems.add("object instance has properties which are not allowed by the schema: " + quoted(extra) + at);
            }
        }
        if (node.isArray()) {
            if (schema.has("minItems") && node.size() < schema.get("minItems").asInt()) {
                problems.add("array is too short: must have at least " + schema.get("minItems").asInt()
                        + " elements but instance has " + node.size() + " elements" + at);
            }
            if (schema.has("maxItems") && node.size() > schema.get("maxItems").asInt()) {
                problems.add("array is too long: must have at most " + schema.get("maxItems").asInt()
                        + " elements but instance has " + node.size() + " elements" + at);
            }
            JsonNode items = schema.get("items");
            if (items != null && items.isObject()) {
                for (int i = 0; i < node.size(); i++) {
                    check(items, node.get(i), pointer + "/" + i, problems);
                }
            }
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null) {
            allOf.forEach(s -> check(s, node, pointer, problems));
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null && anyOf.isArray()) {
            int matching = matching(anyOf, node);
            if (matching == 0) {
                problems.add("instance failed to match at least one required schema among " + anyOf.size() + at);
            }
        }
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null && oneOf.isArray()) {
            int matching = matching(oneOf, node);
            if (matching != 1) {
                problems.add("instance failed to match exactly one schema (matched " + matching + " out of "
                        + oneOf.size() + ")" + at);
            }
        }
        JsonNode not = schema.get("not");
        if (not != null && not.isObject() && validate(not, node).isEmpty()) {
            problems.add("instance matched a schema which it should not have" + at);
        }
    }

    private static int matching(JsonNode schemas, JsonNode node) {
        int n = 0;
        for (JsonNode s : schemas) {
            if (validate(s, node).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static String typeOf(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber() || (node.isNumber() && node.decimalValue().stripTrailingZeros().scale() <= 0)) {
            return "integer";
        }
        return "number";
    }

    private static String quoted(List<String> values) {
        List<String> q = new ArrayList<>();
        values.forEach(v -> q.add("\"" + v + "\""));
        return "[" + String.join(",", q) + "]";
    }
}
