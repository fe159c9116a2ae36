package io.pushcqrs.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Resolves the intrinsic functions and pseudo parameters of a template, and knows the physical id and the
 * Fn::GetAtt attributes of every resource.
 * <p>
 * Physical names come from the resource's name property (TableName, QueueName, FunctionName...) or, when it has
 * none, are derived from the stack name and logical id the way CloudFormation does, but deterministically (a
 * hash instead of a random suffix), so that ids and URLs stay the same from one start to the next. Values only
 * the backend knows (a table's stream ARN, a queue's URL) are set by {@link StackLoader} after provisioning,
 * through {@link #setAttribute} and {@link #setRef}.
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
    public static final List<String> PSEUDO = List.of("AWS::Region", "AWS::AccountId", "AWS::Partition",
            "AWS::StackName", "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final MissingNode NO_VALUE = MissingNode.getInstance();

    private final Template template;
    private final String queueUrlBase;
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, String> attributes = new HashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> computing = new HashSet<>();

    /**
     * @param template     the template
     * @param queueUrlBase what queue URLs start with (the edge endpoint, e.g. http://127.0.0.1:4566)
     */
    public Intrinsics(Template template, String queueUrlBase) {
        this.template = template;
        this.queueUrlBase = stripSlash(queueUrlBase);
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
                return NODES.booleanNode(conditionFunction(name, arg, at));
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
        switch (name) {
            case "AWS::Region":
                return TextNode.valueOf(REGION);
            case "AWS::AccountId":
                return TextNode.valueOf(ACCOUNT_ID);
            case "AWS::Partition":
                return TextNode.valueOf(PARTITION);
            case "AWS::URLSuffix":
                return TextNode.valueOf(URL_SUFFIX);
            case "AWS::StackName":
                return TextNode.valueOf(template.stackName());
            case "AWS::StackId":
                return TextNode.valueOf(stackId());
            case "AWS::NoValue":
                return NO_VALUE;
            case "AWS::NotificationARNs":
                return NODES.arrayNode();
            default:
                break;
        }
        if (name.startsWith("AWS::")) {
            throw new TemplateException(where + ": the pseudo parameter " + name + " is not supported; supported: "
                    + String.join(", ", PSEUDO));
        }
        JsonNode param = template.parameters().path(name);
        if (param.isObject()) {
            return parameter(name, param, where);
        }
        return TextNode.valueOf(ref(name, where));
    }

    private JsonNode parameter(String name, JsonNode param, String where) {
        String type = param.path("Type").asText("String");
        if (type.startsWith("AWS::SSM::Parameter")) {
            throw new TemplateException(where + ": the parameter " + name + " has type " + type
                    + ", which needs SSM; the local stack does not support SSM parameters");
        }
        JsonNode def = param.path("Default");
        if (def.isMissingNode() || def.isNull()) {
            throw new TemplateException(where + ": the parameter " + name + " has no Default, and the local stack"
                    + " takes no parameter values: give it a Default (or a CDK context value)");
        }
        if (type.startsWith("List<") || type.equals("CommaDelimitedList")) {
            ArrayNode list = NODES.arrayNode();
            if (def.isArray()) {
                def.forEach(list::add);
            } else {
                for (String s : def.asText().split(",", -1)) {
                    list.add(s.trim());
                }
            }
            return list;
        }
        return TextNode.valueOf(def.asText());
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
        boolean c = condition(arg.get(0).asText(), where);
        return resolve(arg.get(c ? 1 : 2), where);
    }

    // ------------------------------------------------------------------ conditions

    /** The value of a named condition of the Conditions section. */
    public boolean condition(String name, String where) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        JsonNode def = template.conditions().path(name);
        if (def.isMissingNode()) {
            throw new TemplateException(where + ": the condition " + name + " is not in the template's Conditions");
        }
        if (!computing.add("condition:" + name)) {
            throw new TemplateException(where + ": the condition " + name + " refers to itself");
        }
        try {
            boolean value = evaluate(def, "Conditions." + name);
            conditions.put(name, value);
            return value;
        } finally {
            computing.remove("condition:" + name);
        }
    }

    private boolean evaluate(JsonNode node, String where) {
        if (node.isObject() && node.size() == 1) {
            String key = node.fieldNames().next();
            if (key.equals("Condition")) {
                return condition(requireText(node.get(key), where), where);
            }
            if (key.equals("Fn::Equals") || key.equals("Fn::Not") || key.equals("Fn::And") || key.equals("Fn::Or")) {
                return conditionFunction(key, node.get(key), where + " (" + key + ")");
            }
        }
        JsonNode v = resolve(node, where);
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new TemplateException(where + ": a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or a"
                + " Condition, got " + node);
    }

    private boolean conditionFunction(String name, JsonNode arg, String where) {
        if (!arg.isArray()) {
            throw new TemplateException(where + ": " + name + " takes a list, got " + arg);
        }
        switch (name) {
            case "Fn::Equals": {
                if (arg.size() != 2) {
                    throw new TemplateException(where + ": Fn::Equals takes two values, got " + arg);
                }
                JsonNode a = resolve(arg.get(0), where);
                JsonNode b = resolve(arg.get(1), where);
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
    public boolean exists(String logicalId) {
        Template.Resource r = template.resource(logicalId);
        return r != null && (r.condition() == null || condition(r.condition(), "Resources." + logicalId + ".Condition"));
    }

    // ------------------------------------------------------------------ physical ids

    /** What Ref answers for a resource. */
    public String ref(String logicalId, String where) {
        Template.Resource r = resource(logicalId, "Ref " + logicalId, where);
        String known = refs.get(logicalId);
        if (known != null) {
            return known;
        }
        if (!computing.add(logicalId)) {
            throw new TemplateException(where + ": the name of " + logicalId + " depends on itself");
        }
        try {
            String value = computeRef(r);
            refs.put(logicalId, value);
            return value;
        } finally {
            computing.remove(logicalId);
        }
    }

    /** What Fn::GetAtt answers for a resource's attribute. */
    public String getAtt(String logicalId, String attribute, String where) {
        Template.Resource r = resource(logicalId, "Fn::GetAtt " + logicalId + "." + attribute, where);
        String known = attributes.get(logicalId + "." + attribute);
        if (known != null) {
            return known;
        }
        ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
        if (!info.attributes().contains(attribute)) {
            throw new TemplateException(where + ": Fn::GetAtt " + logicalId + "." + attribute + ": the local stack"
                    + " knows no attribute " + attribute + " of " + r.type()
                    + (info.attributes().isEmpty() ? " (it answers none)" : "; it answers: " + String.join(", ", info.attributes())));
        }
        String value = computeAttribute(r, attribute, where);
        attributes.put(logicalId + "." + attribute, value);
        return value;
    }

    /** Sets what Ref answers for a resource (a queue's URL as the backend made it). */
    public void setRef(String logicalId, String value) {
        refs.put(logicalId, value);
    }

    /** Sets a Fn::GetAtt attribute (a table's StreamArn as the backend made it). */
    public void setAttribute(String logicalId, String attribute, String value) {
        attributes.put(logicalId + "." + attribute, value);
    }

    private Template.Resource resource(String logicalId, String what, String where) {
        Template.Resource r = template.resource(logicalId);
        if (r == null) {
            throw new TemplateException(where + ": " + what + ": the template has no resource or parameter "
                    + logicalId);
        }
        if (ResourceTypes.info(r.type()) == null) {
            throw new TemplateException(ResourceTypes.unsupported(logicalId, r.type()));
        }
        return r;
    }

    private String computeRef(Template.Resource r) {
        switch (r.type()) {
            case "AWS::SQS::Queue":
                return queueUrlBase + "/" + ACCOUNT_ID + "/" + name(r);
            case "AWS::Lambda::EventSourceMapping":
                return UUID.nameUUIDFromBytes((template.stackName() + "/" + r.logicalId()).getBytes(StandardCharsets.UTF_8))
                        .toString();
            case "AWS::ApiGateway::Stage": {
                String stage = propertyText(r, "StageName");
                if (stage == null) {
                    throw new TemplateException("Resources." + r.logicalId() + ": an AWS::ApiGateway::Stage needs a StageName");
                }
                return stage;
            }
            default: {
                ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
                return info.nameProperty() != null ? name(r) : id(r.logicalId(), 10);
            }
        }
    }

    private String computeAttribute(Template.Resource r, String attribute, String where) {
        String id = r.logicalId();
        switch (r.type() + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn":
                return arn("dynamodb", "table/" + ref(id, where));
            case "AWS::DynamoDB::Table.StreamArn":
                if (!r.property("StreamSpecification").isObject()) {
                    throw new TemplateException(where + ": Fn::GetAtt " + id + ".StreamArn: the table has no"
                            + " StreamSpecification");
                }
                return arn("dynamodb", "table/" + ref(id, where) + "/stream/1970-01-01T00:00:00.000");
            case "AWS::SQS::Queue.Arn":
                return arn("sqs", name(r));
            case "AWS::SQS::Queue.QueueName":
                return name(r);
            case "AWS::SQS::Queue.QueueUrl":
                return ref(id, where);
            case "AWS::Lambda::Function.Arn":
                return arn("lambda", "function:" + ref(id, where));
            case "AWS::Lambda::EventSourceMapping.EventSourceMappingArn":
                return arn("lambda", "event-source-mapping:" + ref(id, where));
            case "AWS::ApiGateway::RestApi.RootResourceId":
                return id(id + "/root", 10);
            case "AWS::IAM::Role.Arn":
                return "arn:" + PARTITION + ":iam::" + ACCOUNT_ID + ":role/" + ref(id, where);
            case "AWS::IAM::Role.RoleId":
                return "AROA" + id(id, 17).toUpperCase();
            case "AWS::IAM::ManagedPolicy.PolicyArn":
                return "arn:" + PARTITION + ":iam::" + ACCOUNT_ID + ":policy/" + ref(id, where);
            case "AWS::Logs::LogGroup.Arn":
                return arn("logs", "log-group:" + ref(id, where) + ":*");
            case "AWS::CloudWatch::Alarm.Arn":
                return arn("cloudwatch", "alarm:" + ref(id, where));
            default:
                // RestApiId, ResourceId, DeploymentId, APIKeyId, Id, RequestValidatorId...: the Ref value
                return ref(id, where);
        }
    }

    /** The physical name of a resource that has a name property: the property, or a derived name. */
    private String name(Template.Resource r) {
        ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
        String given = info.nameProperty() == null ? null : propertyText(r, info.nameProperty());
        if (given != null && !given.isEmpty()) {
            return given;
        }
        boolean fifo = r.type().equals("AWS::SQS::Queue") && "true".equalsIgnoreCase(propertyText(r, "FifoQueue"));
        int max = switch (r.type()) {
            case "AWS::SQS::Queue" -> fifo ? 75 : 80;
            case "AWS::Lambda::Function", "AWS::IAM::Role" -> 64;
            default -> 255;
        };
        String suffix = "-" + id(r.logicalId(), 12).toUpperCase();
        String base = template.stackName() + "-" + r.logicalId();
        if (base.length() + suffix.length() > max) {
            base = base.substring(0, max - suffix.length());
        }
        return base + suffix + (fifo ? ".fifo" : "");
    }

    private String stackId() {
        return "arn:" + PARTITION + ":cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + template.stackName() + "/"
                + UUID.nameUUIDFromBytes(template.stackName().getBytes(StandardCharsets.UTF_8));
    }

    private static String arn(String service, String resource) {
        return "arn:" + PARTITION + ":" + service + ":" + REGION + ":" + ACCOUNT_ID + ":" + resource;
    }

    /** A deterministic id of lowercase letters and digits (like API Gateway ids) derived from a seed. */
    String id(String seed, int length) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((template.stackName() + "/" + seed).getBytes(StandardCharsets.UTF_8));
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; sb.length() < length; i++) {
                sb.append(alphabet.charAt((hash[i % hash.length] & 0xff) % alphabet.length()));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String requireText(JsonNode v, String where) {
        if (v == null || v.isMissingNode() || v.isNull() || !v.isValueNode()) {
            throw new TemplateException(where + ": expected a string, got " + (v == null || v.isMissingNode() ? "nothing" : v));
        }
        return v.asText();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** For diagnostics: the names of a JSON object's fields. */
    static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
