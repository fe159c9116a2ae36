package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A deployment's parameter values, checked as CloudFormation checks them when a change set is created: every given
 * key is a parameter of the template; UsePreviousValue takes the stack's value; a parameter without a value takes its
 * Default, and one without either is an error; AllowedValues, AllowedPattern, Min/MaxLength and Min/MaxValue hold. A
 * parameter of an SSM type ({@code AWS::SSM::Parameter::Value<String>}) names an SSM parameter, whose value (read from
 * moto's SSM) is what the template gets.
 *
 * @param declared the values as given (an SSM type's parameter name): DescribeStacks' ParameterValue
 * @param resolved the values the template gets (an SSM type's value): DescribeStacks' ResolvedValue
 */
record ParameterValues(Map<String, String> declared, Map<String, String> resolved) {

    static ParameterValues of(JsonNode parameters, List<Map<String, String>> given, Map<String, String> previous,
                              Function<String, String> ssm) {
        Map<String, String> declared = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map<String, String> p : given) {
            String key = p.get("ParameterKey");
            if (key == null) {
                continue;
            }
            if (!parameters.has(key)) {
                unknown.add(key);
            } else if ("true".equalsIgnoreCase(p.get("UsePreviousValue"))) {
                if (previous.containsKey(key)) {
                    declared.put(key, previous.get(key));
                }
            } else {
                declared.put(key, p.getOrDefault("ParameterValue", ""));
            }
        }
        if (!unknown.isEmpty()) {
            throw CfnException.validation("Parameters: " + unknown + " do not exist in the template");
        }
        List<String> missing = new ArrayList<>();
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : parameters.properties()) {
            String key = e.getKey();
            JsonNode def = e.getValue();
            String value = declared.get(key);
            if (value == null) {
                JsonNode d = def.path("Default");
                if (d.isMissingNode() || d.isNull()) {
                    missing.add(key);
                    continue;
                }
                value = d.isArray() ? join(d) : d.asText();
                declared.put(key, value);
            }
            check(key, def, value);
            String type = def.path("Type").asText("String");
            if (type.startsWith("AWS::SSM::Parameter::Value<")) {
                String v = ssm.apply(value);
                if (v == null) {
                    throw CfnException.validation("Unable to fetch parameters [" + value + "] from parameter store for"
                            + " this account.");
                }
                resolved.put(key, v);
            } else {
                resolved.put(key, value);
            }
        }
        if (!missing.isEmpty()) {
            throw CfnException.validation("Parameters: " + missing + " must have values");
        }
        return new ParameterValues(declared, resolved);
    }

    private static void check(String key, JsonNode def, String value) {
        String constraint = def.path("ConstraintDescription").asText(null);
        String type = def.path("Type").asText("String");
        List<String> values = type.contains("List") ? List.of(value.split(",", -1)) : List.of(value);
        for (String v : values) {
            JsonNode allowed = def.path("AllowedValues");
            if (allowed.isArray() && allowed.size() > 0) {
                boolean ok = false;
                for (JsonNode a : allowed) {
                    ok |= a.asText().equals(v);
                }
                if (!ok) {
                    throw fail(key, constraint, "Parameter '" + key + "' must be one of AllowedValues");
                }
            }
            String pattern = def.path("AllowedPattern").asText(null);
            if (pattern != null && !v.matches(pattern)) {
                throw fail(key, constraint, "Parameter '" + key + "' must match pattern " + pattern);
            }
            if (def.has("MinLength") && v.length() < def.path("MinLength").asInt()) {
                throw fail(key, constraint, "Parameter '" + key + "' must contain at least " + def.path("MinLength").asInt()
                        + " characters");
            }
            if (def.has("MaxLength") && v.length() > def.path("MaxLength").asInt()) {
                throw fail(key, constraint, "Parameter '" + key + "' must contain at most " + def.path("MaxLength").asInt()
                        + " characters");
            }
            if (type.equals("Number") || type.equals("List<Number>")) {
                BigDecimal n;
                try {
                    n = new BigDecimal(v.trim());
                } catch (NumberFormatException e) {
                    throw CfnException.validation("Parameter '" + key + "' must be a number");
                }
                if (def.has("MinValue") && n.compareTo(new BigDecimal(def.path("MinValue").asText())) < 0) {
                    throw fail(key, constraint, "Parameter '" + key + "' must be a number not less than "
                            + def.path("MinValue").asText());
                }
                if (def.has("MaxValue") && n.compareTo(new BigDecimal(def.path("MaxValue").asText())) > 0) {
                    throw fail(key, constraint, "Parameter '" + key + "' must be a number not greater than "
                            + def.path("MaxValue").asText());
                }
            }
        }
    }

    private static CfnException fail(String key, String constraint, String message) {
        return CfnException.validation(constraint == null ? message
                : "Parameter " + key + " failed to satisfy constraint: " + constraint);
    }

    private static String join(JsonNode list) {
        List<String> parts = new ArrayList<>();
        list.forEach(n -> parts.add(n.asText()));
        return String.join(",", parts);
    }
}
