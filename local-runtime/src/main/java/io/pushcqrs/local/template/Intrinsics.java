package io.pushcqrs.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the intrinsic functions and pseudo parameters of a template's values. What a resource's {@code Ref} and
 * {@code Fn::GetAtt} answer is {@link PhysicalIds}' job, conditions are {@link Conditions}'; this class is the one
 * entry point for all three.
 * <p>
 * {@code AWS::NoValue} removes the property or list element it stands for. Anything not in {@link #SUPPORTED}
 * fails with a {@link TemplateException} that names the function, where it is used and the supported list.
 */
public final class Intrinsics {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String PARTITION = "aws";
    public static final String URL_SUFFIX = "amazonaws.com";

    /** The intrinsic functions this resolver evaluates. */
    public static final List<String> SUPPORTED = List.of("Ref", "Fn::GetAtt", "Fn::Join", "Fn::Sub", "Fn::Select",
            "Fn::Split", "Fn::GetAZs", "Fn::Base64", "Fn::FindInMap", "Fn::If", "Fn::Equals", "Fn::Not", "Fn::And",
            "Fn::Or", "Condition");

    /** The pseudo parameters Ref answers. */
    public static final List<String> PSEUDO = Parameters.PSEUDO;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final MissingNode NO_VALUE = MissingNode.getInstance();

    private final Template template;
    private final Parameters parameters;
    private final Conditions conditions;
    private final PhysicalIds ids;

    /**
     * @param template     the template
     * @param queueUrlBase what queue URLs start with (the edge endpoint, e.g. http://127.0.0.1:4566)
     */
    public Intrinsics(Template template, String queueUrlBase) {
        this.template = template;
        this.conditions = new Conditions(template, this);
        this.ids = new PhysicalIds(template, this, stripSlash(queueUrlBase));
        this.parameters = new Parameters(template, ids.stackId());
    }

    // ------------------------------------------------------------------ values

    /**
     * Resolves every intrinsic in a value. Returns a MissingNode when the whole value is AWS::NoValue.
     *
     * @param where where the value is, for messages (e.g. {@code Resources.Fn.Properties.Environment})
     */
    public JsonNode resolve(JsonNode value, String where) {
        if (value == null || value.isMissingNode()) {
            return NO_VALUE;
        }
        if (value.isObject()) {
            if (value.size() == 1) {
                String key = value.fieldNames().next();
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return function(key, value.get(key), where);
                }
            }
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                JsonNode v = resolve(e.getValue(), where + "." + e.getKey());
                if (!v.isMissingNode()) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                JsonNode v = resolve(value.get(i), where + "[" + i + "]");
                if (!v.isMissingNode()) {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    /** Resolves a value that must be a string (numbers and booleans are given as text); null when absent. */
    public String text(JsonNode value, String where) {
        JsonNode v = resolve(value, where);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new TemplateException(where + " must be a string, but resolves to " + v);
        }
        return v.asText();
    }

    /** A resource property resolved; MissingNode when absent. */
    public JsonNode property(Template.Resource r, String name) {
        return resolve(r.property(name), "Resources." + r.logicalId() + ".Properties." + name);
    }

    /** A resource property resolved to a string, or null. */
    public String propertyText(Template.Resource r, String name) {
        return text(r.property(name), "Resources." + r.logicalId() + ".Properties." + name);
    }

    private JsonNode function(String name, JsonNode arg, String where) {
        String at = where + " (" + name + ")";
        switch (name) {
            case "Ref":
                return ref(arg, at);
            case "Fn::GetAtt":
                return getAtt(arg, at);
            case "Fn::Join":
                return join(arg, at);
            case "Fn::Sub":
                return TextNode.valueOf(sub(arg, at));
            case "Fn::Select":
                return select(arg, at);
            case "Fn::Split":
                return split(arg, at);
            case "Fn::GetAZs":
                return azs(arg, at);
            case "Fn::Base64":
                return TextNode.valueOf(Base64.getEncoder().encodeToString(
                        requireText(resolve(arg, at), at).getBytes(StandardCharsets.UTF_8)));
            case "Fn::FindInMap":
                return findInMap(arg, at);
            case "Fn::If":
                return fnIf(arg, at);
            case "Fn::Equals":
            case "Fn::Not":
            case "Fn::And":
            case "Fn::Or":
                return NODES.booleanNode(conditions.conditionFunction(name, arg, at));
            default:
                throw new TemplateException("the intrinsic function " + name + " at " + where
                        + " is not supported by the local stack; supported: " + String.join(", ", SUPPORTED));
        }
    }

    private JsonNode ref(JsonNode arg, String where) {
        if (!arg.isTextual()) {
            throw new TemplateException(where + ": Ref takes a name, got " + arg);
        }
        String name = arg.asText();
        JsonNode parameter = parameters.value(name, where);
        return parameter != null ? parameter : TextNode.valueOf(ref(name, where));
    }

    private JsonNode getAtt(JsonNode arg, String where) {
        String logicalId;
        String attribute;
        if (arg.isTextual()) {
            String s = arg.asText();
            int dot = s.indexOf('.');
            if (dot < 0) {
                throw new TemplateException(where + ": Fn::GetAtt needs \"LogicalId.Attribute\", got \"" + s + "\"");
            }
            logicalId = s.substring(0, dot);
            attribute = s.substring(dot + 1);
        } else if (arg.isArray() && arg.size() == 2) {
            logicalId = requireText(arg.get(0), where);
            attribute = requireText(resolve(arg.get(1), where), where);
        } else {
            throw new TemplateException(where + ": Fn::GetAtt takes [LogicalId, Attribute], got " + arg);
        }
        return TextNode.valueOf(getAtt(logicalId, attribute, where));
    }

    private JsonNode join(JsonNode arg, String where) {
        if (!arg.isArray() || arg.size() != 2) {
            throw new TemplateException(where + ": Fn::Join takes [delimiter, [values]], got " + arg);
        }
        String delimiter = requireText(arg.get(0), where);
        JsonNode list = resolve(arg.get(1), where);
        if (!list.isArray()) {
            throw new TemplateException(where + ": Fn::Join needs a list of values, got " + list);
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode v : list) {
            parts.add(requireText(v, where));
        }
        return TextNode.valueOf(String.join(delimiter, parts));
    }

    private String sub(JsonNode arg, String where) {
        String text;
        Map<String, String> vars = new HashMap<>();
        if (arg.isTextual()) {
            text = arg.asText();
        } else if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual() && arg.get(1).isObject()) {
            text = arg.get(0).asText();
            for (Map.Entry<String, JsonNode> e : arg.get(1).properties()) {
                vars.put(e.getKey(), requireText(resolve(e.getValue(), where + "." + e.getKey()), where));
            }
        } else {
            throw new TemplateException(where + ": Fn::Sub takes a string or [string, {variables}], got " + arg);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new TemplateException(where + ": Fn::Sub string has an unclosed ${ : " + text);
            }
            String name = text.substring(start + 2, end);
            if (name.startsWith("!")) {
                out.append("${").append(name.substring(1)).append('}');
            } else if (vars.containsKey(name)) {
                out.append(vars.get(name));
            } else if (name.contains(".")) {
                int dot = name.indexOf('.');
                out.append(getAtt(name.substring(0, dot), name.substring(dot + 1), where));
            } else {
                out.append(requireText(ref(TextNode.valueOf(name), where), where));
            }
            i = end + 1;
        }
        return out.toString();
    }

    private JsonNode select(JsonNode arg, String where) {
        if (!arg.isArray() || arg.size() != 2) {
            throw new TemplateException(where + ": Fn::Select takes [index, [values]], got " + arg);
        }
        String indexText = requireText(resolve(arg.get(0), where), where);
        int index;
        try {
            index = Integer.parseInt(indexText.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(where + ": Fn::Select index must be a number, got " + indexText);
        }
        JsonNode list = resolve(arg.get(1), where);
        if (!list.isArray()) {
            throw new TemplateException(where + ": Fn::Select needs a list, got " + list);
        }
        if (index < 0 || index >= list.size()) {
            throw new TemplateException(where + ": Fn::Select index " + index + " is outside the list of "
                    + list.size() + " values");
        }
        return list.get(index);
    }

    private JsonNode split(JsonNode arg, String where) {
        if (!arg.isArray() || arg.size() != 2) {
            throw new TemplateException(where + ": Fn::Split takes [delimiter, string], got " + arg);
        }
        String delimiter = requireText(arg.get(0), where);
        String source = requireText(resolve(arg.get(1), where), where);
        ArrayNode out = NODES.arrayNode();
        if (delimiter.isEmpty()) {
            out.add(source);
            return out;
        }
        int i = 0;
        while (true) {
            int j = source.indexOf(delimiter, i);
            if (j < 0) {
                out.add(source.substring(i));
                return out;
            }
            out.add(source.substring(i, j));
            i = j + delimiter.length();
        }
    }

    private JsonNode azs(JsonNode arg, String where) {
        String region = resolve(arg, where).asText("");
        if (region.isEmpty()) {
            region = REGION;
        }
        ArrayNode out = NODES.arrayNode();
        out.add(region + "a").add(region + "b").add(region + "c");
        return out;
    }

    private JsonNode findInMap(JsonNode arg, String where) {
        if (!arg.isArray() || arg.size() < 3) {
            throw new TemplateException(where + ": Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey], got " + arg);
        }
        String map = requireText(resolve(arg.get(0), where), where);
        String top = requireText(resolve(arg.get(1), where), where);
        String second = requireText(resolve(arg.get(2), where), where);
        JsonNode v = template.mappings().path(map).path(top).path(second);
        if (v.isMissingNode()) {
            throw new TemplateException(where + ": Fn::FindInMap finds no " + map + "." + top + "." + second
                    + " in the template's Mappings");
        }
        return v;
    }

    private JsonNode fnIf(JsonNode arg, String where) {
        if (!arg.isArray() || arg.size() != 3 || !arg.get(0).isTextual()) {
            throw new TemplateException(where + ": Fn::If takes [ConditionName, valueIfTrue, valueIfFalse], got " + arg);
        }
        boolean c = conditions.condition(arg.get(0).asText(), where);
        return resolve(arg.get(c ? 1 : 2), where);
    }

    // ------------------------------------------------------------------ conditions and physical ids

    /** The value of a named condition of the Conditions section. */
    public boolean condition(String name, String where) {
        return conditions.condition(name, where);
    }

    /** True when the resource is in the template and its Condition (if any) holds. */
    public boolean exists(String logicalId) {
        return conditions.exists(logicalId);
    }

    /** What Ref answers for a resource. */
    public String ref(String logicalId, String where) {
        return ids.ref(logicalId, where);
    }

    /** What Fn::GetAtt answers for a resource's attribute. */
    public String getAtt(String logicalId, String attribute, String where) {
        return ids.getAtt(logicalId, attribute, where);
    }

    /** Sets what Ref answers for a resource (a queue's URL as the backend made it). */
    /** A deterministic id of lowercase letters and digits derived from the stack name and a seed (see PhysicalIds). */
    public String id(String seed, int length) {
        return ids.id(seed, length);
    }

    public void setRef(String logicalId, String value) {
        ids.setRef(logicalId, value);
    }

    /** Sets a Fn::GetAtt attribute (a table's StreamArn as the backend made it). */
    public void setAttribute(String logicalId, String attribute, String value) {
        ids.setAttribute(logicalId, attribute, value);
    }

    static String requireText(JsonNode v, String where) {
        if (v == null || v.isMissingNode() || v.isNull() || !v.isValueNode()) {
            throw new TemplateException(where + ": expected a string, got " + (v == null || v.isMissingNode() ? "nothing" : v));
        }
        return v.asText();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** For diagnostics: the names of a JSON object's fields. */
    public static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
