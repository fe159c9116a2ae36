package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link ResourceLoader}s share while one template is loaded: the template and its intrinsics, the backend,
 * the settings of this start, what the loaders before built (a mapping needs the functions), and the warnings.
 */
final class LoadContext {
    final Template template;
    final Intrinsics in;
    final Backend backend;
    /** The edge endpoint clients use (http://127.0.0.1:4566, no trailing slash): queue and API URLs use it. */
    final String publicEndpoint;
    /** The value every API key gets, or null. */
    final String apiKeyOverride;

    final List<StackModel.Table> tables = new ArrayList<>();
    final List<StackModel.Queue> queues = new ArrayList<>();
    final List<FunctionSpec> functions = new ArrayList<>();
    final List<EsmSpec> mappings = new ArrayList<>();
    final List<RestApiModel> apis = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** IAM policies (by logical id): the roles a loader attached them to. */
    final Map<String, List<String>> attachments = new LinkedHashMap<>();

    LoadContext(Template template, Intrinsics in, Backend backend, String publicEndpoint, String apiKeyOverride) {
        this.template = template;
        this.in = in;
        this.backend = backend;
        this.publicEndpoint = publicEndpoint;
        this.apiKeyOverride = apiKeyOverride;
    }

    /** The resources of a type whose Condition holds, in template order. */
    List<Template.Resource> resources(String type) {
        List<Template.Resource> out = new ArrayList<>();
        for (Template.Resource r : template.resources().values()) {
            if (r.type().equals(type) && in.exists(r.logicalId())) {
                out.add(r);
            }
        }
        return out;
    }

    /** A function of the template by name, ARN or partial ARN (with or without a qualifier), or null. */
    FunctionSpec findFunction(String nameOrArn) {
        String name = functionName(nameOrArn);
        return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    /** Where a resource is, for messages. */
    static String at(Template.Resource r) {
        return "Resources." + r.logicalId();
    }

    static int intValue(String text, int def, String where) {
        if (text == null) {
            return def;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(where + " must be a whole number, got " + text);
        }
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return out;
    }

    private static String functionName(String nameOrArn) {
        // arn:aws:lambda:region:account:function:NAME[:qualifier], account:function:NAME, NAME[:qualifier]
        int i = nameOrArn.indexOf("function:");
        String s = i >= 0 ? nameOrArn.substring(i + "function:".length()) : nameOrArn;
        int colon = s.indexOf(':');
        return colon >= 0 ? s.substring(0, colon) : s;
    }
}
