package io.pushcqrs.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;

import static io.pushcqrs.local.template.Intrinsics.ACCOUNT_ID;
import static io.pushcqrs.local.template.Intrinsics.PARTITION;
import static io.pushcqrs.local.template.Intrinsics.REGION;
import static io.pushcqrs.local.template.Intrinsics.URL_SUFFIX;

/**
 * What {@code Ref} answers for a pseudo parameter ({@code AWS::Region}...) or a template parameter: the value given
 * for the deployment ({@link Template#parameterValue}; an SSM parameter type's value resolved by the deployment), else
 * its {@code Default} (an SSM parameter type without a given value is refused).
 */
final class Parameters {
    /** The pseudo parameters Ref answers. */
    static final List<String> PSEUDO = List.of("AWS::Region", "AWS::AccountId", "AWS::Partition",
            "AWS::StackName", "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Template template;
    private final String stackId;

    Parameters(Template template, String stackId) {
        this.template = template;
        this.stackId = stackId;
    }

    /**
     * The value of a pseudo parameter or parameter, a MissingNode for {@code AWS::NoValue}, or null when the name is
     * neither (then it names a resource).
     */
    JsonNode value(String name, String where) {
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
                return TextNode.valueOf(stackId);
            case "AWS::NoValue":
                return MissingNode.getInstance();
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
        return param.isObject() ? parameter(name, param, where) : null;
    }

    private JsonNode parameter(String name, JsonNode param, String where) {
        String type = param.path("Type").asText("String");
        String given = template.parameterValue(name);
        if (given != null) {
            return typed(type, given);
        }
        if (type.startsWith("AWS::SSM::Parameter")) {
            throw new TemplateException(where + ": the parameter " + name + " has type " + type
                    + ", which needs SSM; the local stack does not support SSM parameters");
        }
        JsonNode def = param.path("Default");
        if (def.isMissingNode() || def.isNull()) {
            throw new TemplateException(where + ": the parameter " + name + " has no Default, and the local stack"
                    + " takes no parameter values: give it a Default (or a CDK context value)");
        }
        if (isList(type) && def.isArray()) {
            ArrayNode list = NODES.arrayNode();
            def.forEach(list::add);
            return list;
        }
        return typed(type, def.asText());
    }

    /** A list type (a list of strings: CommaDelimitedList, List<...>, an SSM parameter of a list). */
    static boolean isList(String type) {
        return type.startsWith("List<") || type.equals("CommaDelimitedList")
                || type.equals("AWS::SSM::Parameter::Value<CommaDelimitedList>")
                || type.startsWith("AWS::SSM::Parameter::Value<List<");
    }

    private static JsonNode typed(String type, String value) {
        if (!isList(type)) {
            return TextNode.valueOf(value);
        }
        ArrayNode list = NODES.arrayNode();
        if (value.isEmpty()) {
            list.add(""); // CloudFormation: an empty CommaDelimitedList is one empty string
            return list;
        }
        for (String s : value.split(",", -1)) {
            list.add(s.trim());
        }
        return list;
    }
}
