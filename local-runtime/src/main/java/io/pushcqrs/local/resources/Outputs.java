package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's Outputs, resolved (outputs with a false Condition are left out), with execute-api URLs rewritten
 * to LocalStack's form on the edge.
 */
final class Outputs {
    private static final Pattern EXECUTE_API_URL =
            Pattern.compile("^https://([a-z0-9]+)\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com/([^/]+)(/.*)?$");

    private final LoadContext ctx;

    Outputs(LoadContext ctx) {
        this.ctx = ctx;
    }

    Map<String, String> resolve() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : ctx.template.outputs().properties()) {
            JsonNode condition = e.getValue().path("Condition");
            if (condition.isTextual() && !ctx.in.condition(condition.asText(), "Outputs." + e.getKey())) {
                continue;
            }
            String value = ctx.in.text(e.getValue().path("Value"), "Outputs." + e.getKey() + ".Value");
            if (value != null) {
                out.put(e.getKey(), localUrl(value));
            }
        }
        return out;
    }

    /** An execute-api URL of the template rewritten to LocalStack's form on the edge; other values unchanged. */
    String localUrl(String value) {
        Matcher m = EXECUTE_API_URL.matcher(value);
        if (!m.matches()) {
            return value;
        }
        String rest = m.group(3) == null || m.group(3).equals("/") ? "" : m.group(3);
        return ctx.publicEndpoint + "/restapis/" + m.group(1) + "/" + m.group(2) + "/_user_request_" + rest;
    }
}
