package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.lambda.http.ApiAnswer;
import io.pushcqrs.lambda.http.HttpApi;
import io.pushcqrs.lambda.http.HttpRequest;
import io.pushcqrs.lambda.http.Router;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * What the function answers to one request and what its log line says, with the router run through the toolkit's
 * error flow ({@link HttpApi}), as the handler runs it.
 */
record Outcome(ApiAnswer answer, JsonNode log) {

    static Outcome of(Router router, HttpRequest request) {
        List<String> lines = new ArrayList<>();
        ApiAnswer answer = new HttpApi("query request", router, Log.to(lines::add)).answer(request, null);
        return new Outcome(answer, Json.readTree(lines.get(0)));
    }

    int status() {
        return answer.status();
    }

    String route() {
        return text("route");
    }

    Integer count() {
        return log.has("count") ? log.get("count").asInt() : null;
    }

    String errorCode() {
        return text("error_code");
    }

    /** Why it failed, for the log only. */
    String detail() {
        return text("error");
    }

    private String text(String key) {
        return log.has(key) ? log.get(key).asText() : null;
    }
}
