package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A method's RequestValidator, as API Gateway applies it: required request parameters
 * ({@code method.request.querystring/header/path.NAME}, present and not blank) and the body against the method's
 * model for the request's content type ({@code application/json} when none is sent; draft-4 JSON schema).
 */
final class RequestValidation {
    private RequestValidation() {
    }

    /** The names of the required parameters the request lacks, in the method's order. */
    static List<String> missingParameters(RestApiModel.Method m, ApiRequest request, ApiRouter.Match match) {
        Map<String, List<String>> query = ProxyEvent.parseQuery(request.rawQuery());
        List<String> missing = new ArrayList<>();
        m.requestParameters().forEach((name, required) -> {
            if (!required) {
                return;
            }
            String value = null;
            if (name.startsWith("method.request.querystring.")) {
                String q = name.substring("method.request.querystring.".length());
                List<String> values = query.get(q);
                value = values == null || values.isEmpty() ? null : values.get(values.size() - 1);
                name = q;
            } else if (name.startsWith("method.request.header.")) {
                name = name.substring("method.request.header.".length());
                value = request.header(name);
            } else if (name.startsWith("method.request.path.")) {
                name = name.substring("method.request.path.".length());
                value = match.pathParameters().get(name);
            } else {
                return;
            }
            if (value == null || value.isBlank()) {
                missing.add(name);
            }
        });
        return missing;
    }

    /** What is wrong with the body, as API Gateway's validation error string, or null when it passes (or no model applies). */
    static String bodyProblem(RestApiModel.Method m, ApiRequest request) {
        String contentType = request.header("Content-Type");
        String type = contentType == null ? "application/json" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode schema = m.requestModels().get(type);
        if (schema == null) {
            schema = m.requestModels().get("$default");
        }
        if (schema == null) {
            return null;
        }
        JsonNode body;
        try {
            body = request.body().length == 0 ? null : ProxyEvent.JSON.readTree(request.body());
        } catch (IOException e) {
            return "[Invalid JSON: " + e.getMessage().split("\n")[0] + "]";
        }
        if (body == null || body.isMissingNode()) {
            return "[the request body is empty, but the model requires a JSON " + schema.path("type").asText("value") + "]";
        }
        List<String> problems = JsonSchemaCheck.validate(schema, body);
        return problems.isEmpty() ? null : JsonSchemaCheck.errorString(problems);
    }
}
