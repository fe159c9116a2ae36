package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The template's Rules section, checked when a change set is created, as CloudFormation does: for each rule whose
 * RuleCondition holds, every Assertion's Assert must be true, else the call fails with the AssertDescription (CDK
 * stacks check the bootstrap version this way). The rule functions are Fn::Contains, Fn::EachMemberEquals,
 * Fn::EachMemberIn, Fn::Equals, Fn::Not, Fn::And, Fn::Or and Ref to a parameter; a rule using another (Fn::ValueOf,
 * Fn::RefAll...) fails naming it.
 */
final class TemplateRules {
    private final JsonNode parameters;
    private final Map<String, String> values;

    /**
     * @param parameters the template's Parameters section
     * @param values     the parameters' values for this deployment (SSM types resolved)
     */
    TemplateRules(JsonNode parameters, Map<String, String> values) {
        this.parameters = parameters;
        this.values = values;
    }

    void check(JsonNode rules) {
        if (rules == null || !rules.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> rule : rules.properties()) {
            String where = "Rules." + rule.getKey();
            JsonNode condition = rule.getValue().path("RuleCondition");
            if (!condition.isMissingNode() && !bool(condition, where + ".RuleCondition")) {
                continue;
            }
            for (JsonNode assertion : rule.getValue().path("Assertions")) {
                if (!bool(assertion.path("Assert"), where + ".Assertions")) {
                    String description = assertion.path("AssertDescription").asText("");
                    throw CfnException.validation(description.isEmpty()
                            ? "Template error: rule " + rule.getKey() + " failed" : description);
                }
            }
        }
    }

    private boolean bool(JsonNode node, String where) {
        Object v = eval(node, where);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw CfnException.validation("Template format error: " + where + " must be a boolean, got " + v);
    }

    /** A string, a list of strings, or a boolean. */
    private Object eval(JsonNode node, String where) {
        if (node.isTextual() || node.isNumber()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(n -> out.add(eval(n, where)));
            return out;
        }
        if (node.isObject() && node.size() == 1) {
            String fn = node.fieldNames().next();
            JsonNode arg = node.get(fn);
            switch (fn) {
                case "Ref": {
                    String name = arg.asText();
                    if (!parameters.has(name)) {
                        throw CfnException.validation("Template format error: " + where + " refers to " + name
                                + ", which is not a parameter (rules may only use parameters)");
                    }
                    String value = values.get(name);
                    String type = parameters.path(name).path("Type").asText("String");
                    if (type.contains("List")) {
                        return value == null ? List.of() : List.of(value.split(",", -1));
                    }
                    return value;
                }
                case "Fn::Contains":
                    return list(eval(arg.get(0), where)).contains(eval(arg.get(1), where));
                case "Fn::EachMemberEquals": {
                    Object v = eval(arg.get(1), where);
                    return list(eval(arg.get(0), where)).stream().allMatch(v::equals);
                }
                case "Fn::EachMemberIn": {
                    List<Object> allowed = list(eval(arg.get(1), where));
                    return allowed.containsAll(list(eval(arg.get(0), where)));
                }
                case "Fn::Equals":
                    return String.valueOf(eval(arg.get(0), where)).equals(String.valueOf(eval(arg.get(1), where)));
                case "Fn::Not":
                    return !bool(arg.isArray() ? arg.get(0) : arg, where);
                case "Fn::And": {
                    boolean all = true;
                    for (JsonNode a : arg) {
                        all &= bool(a, where);
                    }
                    return all;
                }
                case "Fn::Or": {
                    boolean any = false;
                    for (JsonNode a : arg) {
                        any |= bool(a, where);
                    }
                    return any;
                }
                default:
                    throw CfnException.validation("the local stack does not evaluate " + fn + " in " + where
                            + " (rules: Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::Equals, Fn::Not, Fn::And,"
                            + " Fn::Or, Ref)");
            }
        }
        throw CfnException.validation("Template format error: " + where + " has an unexpected value " + node);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v) {
        return v instanceof List<?> l ? (List<Object>) l : List.of(v);
    }
}
