package io.pushcqrs.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The public HTTP API of a target, as a client sees it: java.net.http with the {@code x-api-key} header.
 * Every call answers a {@link Response}; an I/O failure is an {@link UncheckedIOException}.
 * <p>
 * A 429 (API Gateway's throttle or quota: the stack enforces the template's usage plan, 50 requests/s with a burst of
 * 100 per key) was not processed, so the request is sent again after a random pause of up to 100 ms, doubled per
 * retry (at most 2 s), as API Gateway asks of its clients, until {@link #RETRY_BUDGET} has passed since the first try;
 * only then is the 429 the answer. A budget of time rather than a count of tries: eight threads that keep a 50/s
 * bucket empty can lose the same request's race eleven times in a row on a fast machine (CI saw it once in 1,000), and
 * that says nothing about the stack. {@link #throttled()} counts those answers, and the scenarios that send many
 * requests print it.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    /** How long a throttled request keeps being sent again before its 429 is the answer. */
    static final Duration RETRY_BUDGET = Duration.ofMinutes(2);
    private final String baseUrl;
    private final String apiKey;
    private final java.util.concurrent.atomic.AtomicLong throttled = new java.util.concurrent.atomic.AtomicLong();

    Api(Target target) {
        this.baseUrl = target.apiUrl();
        this.apiKey = target.apiKey();
    }

    /** An answer: status, body text and headers; {@link #json()} parses the body. */
    record Response(int status, String body, HttpHeaders headers, String method, String path) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError(method + " " + path + " answered " + status + " with a body that is not JSON: " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("content-type").orElse("");
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " " + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
        }
    }

    Response get(String path) {
        return send("GET", path, null, true);
    }

    Response post(String path, String body) {
        return send("POST", path, body, true);
    }

    Response post(String path, Object body) {
        return send("POST", path, write(body), true);
    }

    Response patch(String path, Object body) {
        return send("PATCH", path, body instanceof String s ? s : write(body), true);
    }

    Response delete(String path) {
        return send("DELETE", path, null, true);
    }

    /** A request with the API key (withKey) or without it; a non-null body is sent as application/json. */
    Response send(String method, String path, String body, boolean withKey) {
        return send(method, path, body, withKey ? Map.of("x-api-key", apiKey) : Map.of());
    }

    Response send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        if (body != null) {
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpRequest request = b.build();
            long giveUpAt = System.nanoTime() + RETRY_BUDGET.toNanos();
            for (int retry = 1; ; retry++) {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() != 429 || System.nanoTime() - giveUpAt > 0) {
                    return new Response(r.statusCode(), r.body(), r.headers(), method, path);
                }
                throttled.incrementAndGet();
                long bound = Math.min(2_000, 100L << Math.min(retry - 1, 10));
                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** How many 429 answers were sent again so far. */
    long throttled() {
        return throttled.get();
    }

    /** {@code path?k=v&...} with every value URL-encoded; null values are left out. */
    static String path(String path, Object... keyValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                params.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
            }
        }
        if (params.isEmpty()) {
            return path;
        }
        StringJoiner q = new StringJoiner("&", path + "?", "");
        params.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        return q.toString();
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
