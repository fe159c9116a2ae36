package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.api.ApiClient;

import java.io.IOException;

/** POST {ApiUrl}/commands with the command as the JSON body, as any client of the API does. */
public final class ApiSender implements Sender {
    public static final String PATH = "/commands";
    private final ApiClient api;

    public ApiSender(ApiClient api) {
        this.api = api;
    }

    @Override
    public Outcome send(JsonNode command) {
        long start = System.nanoTime();
        String tx = command.path(Attr.TRANSACTION_ID).isTextual() ? command.get(Attr.TRANSACTION_ID).asText() : null;
        ApiClient.Answer a;
        try {
            a = api.post(PATH, Json.write(command));
        } catch (IOException e) {
            return new Outcome(Outcome.Kind.ERROR, tx, "I/O: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Outcome.Kind.ERROR, tx, "interrupted", System.nanoTime() - start);
        }
        int s = a.status();
        if (s == 200 || s == 201) {
            JsonNode body = a.json();
            JsonNode item = body == null ? null : body.get("item");
            if (item != null && item.path(Attr.TRANSACTION_ID).isTextual()) {
                tx = item.get(Attr.TRANSACTION_ID).asText();
            }
            return new Outcome(s == 201 ? Outcome.Kind.CREATED : Outcome.Kind.REPLAYED, tx, null, a.nanos(), a.throttled());
        }
        String message = s + " " + a.errorText() + (s == 429 ? String.format(java.util.Locale.ROOT, " (still throttled after %d retries in %.1f s)", a.throttled(), a.nanos() / 1e9) : "");
        Outcome.Kind kind = s == 409 ? Outcome.Kind.CONFLICT
                : s == 429 ? Outcome.Kind.ERROR
                : s >= 400 && s < 500 ? Outcome.Kind.REJECTED : Outcome.Kind.ERROR;
        return new Outcome(kind, tx, message, a.nanos(), a.throttled());
    }

    @Override
    public String target() {
        return "POST " + api.baseUrl() + PATH;
    }
}
