package io.pushcqrs.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The HTTP API of the stack through java.net.http: the API key goes in {@code x-api-key}, bodies are JSON.
 * Answers are returned whatever their status; only I/O problems throw. A 429 (throttled) is sent again per the
 * {@link ThrottleRetry}; the answer says how many 429s came before it.
 */
public final class ApiClient {
    public static final String API_KEY_HEADER = "x-api-key";

    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final ThrottleRetry retry;

    public ApiClient(String baseUrl, String apiKey, Duration timeout) {
        this(baseUrl, apiKey, timeout, ThrottleRetry.DEFAULT);
    }

    public ApiClient(String baseUrl, String apiKey, Duration timeout, ThrottleRetry retry) {
        this.retry = retry;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One answer: status, body, how long it took (the retries included), and how many 429s came before it. */
    public record Answer(int status, String body, long nanos, int throttled) {
        public Answer(int status, String body, long nanos) {
            this(status, body, nanos, 0);
        }

        /** The body as JSON, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        /** "VALIDATION_ERROR: user_id: is required" from an error body, else the start of the body. */
        public String errorText() {
            JsonNode j = json();
            JsonNode error = j == null ? null : j.get("error");
            if (error != null && error.isObject()) {
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                return code.isEmpty() ? message : code + ": " + message;
            }
            String b = body == null ? "" : body.strip();
            return b.isEmpty() ? "(empty body)" : (b.length() > 200 ? b.substring(0, 200) + "..." : b);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Answer post(String path, String jsonBody) throws IOException, InterruptedException {
        return sendWithRetries(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)).build());
    }

    public Answer patch(String path, String jsonBody) throws IOException, InterruptedException {
        return sendWithRetries(request(path).header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)).build());
    }

    public Answer delete(String path, Map<String, String> query) throws IOException, InterruptedException {
        return sendWithRetries(request(path + queryString(query)).DELETE().build());
    }

    public Answer get(String path, Map<String, String> query) throws IOException, InterruptedException {
        return sendWithRetries(request(path + queryString(query)).GET().build());
    }

    private Answer sendWithRetries(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int throttled = 0;
        while (true) {
            Answer a = send(request);
            if (!retry.retry(a.status(), throttled, Duration.ofNanos(System.nanoTime() - start))) {
                return new Answer(a.status(), a.body(), System.nanoTime() - start, throttled);
            }
            throttled++;
            Thread.sleep(retry.pause(throttled).toMillis());
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .header("accept", "application/json");
        if (apiKey != null && !apiKey.isEmpty()) {
            b.header(API_KEY_HEADER, apiKey);
        }
        return b;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body(), System.nanoTime() - start);
    }

    /** "?a=1&b=x%20y" of the non-null values, in the map's order; "" when none. */
    public static String queryString(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) {
                j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }
}
