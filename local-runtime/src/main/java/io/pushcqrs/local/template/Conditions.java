package io.pushcqrs.local.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The template's Conditions: named conditions (evaluated once each), {@code Fn::Equals}, {@code Fn::Not},
 * {@code Fn::And}, {@code Fn::Or} and {@code Condition}, and whether a resource exists (its Condition holds).
 * Values inside conditions are resolved by {@link Intrinsics}.
 */
final class Conditions {
    private final Template template;
    private final Intrinsics in;
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> computing = new HashSet<>();

    Conditions(Template template, Intrinsics in) {
        this.template = template;
        this.in = in;
    }

    /** The value of a named condition of the Conditions section. */
    boolean condition(String name, String where) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        JsonNode def = template.conditions().path(name);
        if (def.isMissingNode()) {
            throw new TemplateException(where + ": the condition " + name + " is not in the template's Conditions");
        }
        if (!computing.add(name)) {
            throw new TemplateException(where + ": the condition " + name + " refers to itself");
        }
        try {
            boolean value = evaluate(def, "Conditions." + name);
            conditions.put(name, value);
            return value;
        } finally {
            computing.remove(name);
        }
    }

    private boolean evaluate(JsonNode node, String where) {
        if (node.isObject() && node.size() == 1) {
            String key = node.fieldNames().next();
            if (key.equals("Condition")) {
                return condition(Intrinsics.requireText(node.get(key), where), where);
            }
            if (key.equals("Fn::Equals") || key.equals("Fn::Not") || key.equals("Fn::And") || key.equals("Fn::Or")) {
                return conditionFunction(key, node.get(key), where + " (" + key + ")");
            }
        }
        JsonNode v = in.resolve(node, where);
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new TemplateException(where + ": a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or a"
                + " Condition, got " + node);
    }

    boolean conditionFunction(String name, JsonNode arg, String where) {
        if (!arg.isArray()) {
            throw new TemplateException(where + ": " + name + " takes a list, got " + arg);
        }
        switch (name) {
            case "Fn::Equals": {
                if (arg.size() != 2) {
                    throw new TemplateException(where + ": Fn::Equals takes two values, got " + arg);
                }
                JsonNode a = in.resolve(arg.get(0), where);
                JsonNode b = in.resolve(arg.get(1), where);
                return a.isValueNode() && b.isValueNode() ? a.asText().equals(b.asText()) : a.equals(b);
            }
            case "Fn::Not":
                if (arg.size() != 1) {
                    throw new TemplateException(where + ": Fn::Not takes one condition, got " + arg);
                }
                return !evaluate(arg.get(0), where);
            case "Fn::And": {
                boolean all = true;
                for (JsonNode c : arg) {
                    all &= evaluate(c, where);
                }
                return all;
            }
            default: {
                boolean any = false;
                for (JsonNode c : arg) {
                    any |= evaluate(c, where);
                }
                return any;
            }
        }
    }

    /** True when the resource is in the template and its Condition (if any) holds. */
    boolean exists(String logicalId) {
        Template.Resource r = template.resource(logicalId);
        return r != null && (r.condition() == null || condition(r.condition(), "Resources." + logicalId + ".Condition"));
    }
}
