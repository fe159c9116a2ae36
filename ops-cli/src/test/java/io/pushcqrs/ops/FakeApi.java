package io.pushcqrs.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushcqrs.model.json.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A small stand-in for the stack's HTTP API under /dev: POST /commands (201 new, 200 same body again, 409 same
 * transaction_id with another body, 400 for user_id "bad", 503 for user_id "flaky") and the query routes, every
 * route behind the x-api-key header (403 without the right key).
 */
public final class FakeApi implements AutoCloseable {
    public static final String KEY = "secret-key";
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<String, String> commands = new ConcurrentHashMap<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<String> keysSeen = new CopyOnWriteArrayList<>();
    /** Items the user query pages through (2 a page unless limit says otherwise). */
    public final List<ObjectNode> userItems = new CopyOnWriteArrayList<>();
    /** The next this many POST /commands answer 429 THROTTLED, as API Gateway's throttle does (not processed). */
    public final java.util.concurrent.atomic.AtomicInteger throttleNext = new java.util.concurrent.atomic.AtomicInteger();

    public FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/dev/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/dev";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/dev".length());
            String query = ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            String key = ex.getRequestHeaders().getFirst("x-api-key");
            keysSeen.add(String.valueOf(key));
            if (!KEY.equals(key)) {
                send(ex, 403, error("FORBIDDEN", "missing or wrong API key"));
                return;
            }
            Map<String, String> q = parse(query);
            if (path.equals("/commands") && ex.getRequestMethod().equals("POST") && throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.getRequestBody().readAllBytes();
                send(ex, 429, error("THROTTLED", "too many requests, retry later"));
            } else if (path.equals("/commands") && ex.getRequestMethod().equals("POST")) {
                postCommand(ex, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } else if (path.equals("/query/user")) {
                userQuery(ex, q);
            } else if (path.equals("/query/marketing")) {
                send(ex, 400, error("VALIDATION_ERROR", "marketing_id: may contain only letters"));
            } else if (path.equals("/sns")) {
                send(ex, 503, "Service Unavailable");
            } else if (path.equals("/tx") || path.equals("/query/failures")) {
                ObjectNode body = Json.MAPPER.createObjectNode().put("success", true).put("count", 0);
                body.putArray("items");
                send(ex, 200, Json.write(body));
            } else {
                send(ex, 404, error("NOT_FOUND", "no route " + path));
            }
        }
    }

    private void postCommand(HttpExchange ex, String body) throws IOException {
        ObjectNode cmd = (ObjectNode) Json.readTree(body);
        String user = cmd.path("user_id").asText();
        if (user.equals("bad")) {
            send(ex, 400, error("VALIDATION_ERROR", "user_id: is not allowed here"));
            return;
        }
        if (user.equals("flaky")) {
            send(ex, 503, error("SERVICE_UNAVAILABLE", "try again"));
            return;
        }
        if (!cmd.hasNonNull("transaction_id")) {
            cmd.put("transaction_id", "gen-" + UUID.randomUUID());
        }
        String tx = cmd.get("transaction_id").asText();
        String canonical = Json.write(cmd);
        String before = commands.putIfAbsent(tx, canonical);
        if (before != null && !before.equals(canonical)) {
            send(ex, 409, error("CONFLICT", "transaction_id " + tx + " exists with another body"));
            return;
        }
        ObjectNode item = cmd.deepCopy().put("version", 1);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("success", true);
        answer.set("item", item);
        send(ex, before == null ? 201 : 200, Json.write(answer));
    }

    private void userQuery(HttpExchange ex, Map<String, String> q) throws IOException {
        int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 2;
        int start = q.containsKey("cursor") ? Integer.parseInt(q.get("cursor").substring(1)) : 0;
        ObjectNode body = Json.MAPPER.createObjectNode().put("success", true);
        ArrayNode items = body.putArray("items");
        int end = Math.min(userItems.size(), start + limit);
        for (int i = start; i < end; i++) {
            items.add(userItems.get(i));
        }
        body.put("count", items.size());
        if (end < userItems.size()) {
            body.put("next_cursor", "c" + end);
        }
        send(ex, 200, Json.write(body));
    }

    public int commandCount() {
        return commands.size();
    }

    public JsonNode command(String tx) {
        String c = commands.get(tx);
        return c == null ? null : Json.readTree(c);
    }

    private static String error(String code, String message) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("success", false);
        e.putObject("error").put("code", code).put("message", message);
        return Json.write(e);
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> m = new LinkedHashMap<>();
        if (query != null) {
            for (String p : query.split("&")) {
                int eq = p.indexOf('=');
                m.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
