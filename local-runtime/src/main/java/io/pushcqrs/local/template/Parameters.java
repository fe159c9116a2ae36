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
 * What {@code Ref} answers for a pseudo parameter ({@code AWS::Region}...) or a template parameter (its
 * {@code Default}: the local stack takes no parameter values; SSM parameter types are refused).
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
        if (name.startsWith("AWS::")) {
            throw new TemplateException(where + ": the pseudo parameter " + name + " is not supported; supported: "
                    + String.join(", ", PSEUDO));
        }
        JsonNode param = template.parameters().path(name);
        return param.isObject() ? parameter(name, param, where) : null;
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
}
