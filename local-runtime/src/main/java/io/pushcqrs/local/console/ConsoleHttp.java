package io.pushcqrs.local.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Serves {@code /_console/} on the edge: the page (HTML, JavaScript and CSS shipped as resources under
 * {@code console/} in local-runtime: no build step, nothing from another site) and its JSON API
 * ({@link ConsoleApi}). Only for this machine: a request from another address, or with a Host header that is not a
 * loopback name (a web page that rebinds its DNS name to 127.0.0.1), is refused with 403. Every route is GET but
 * {@code POST /_console/api/check-sync}, which also needs the header {@value #ACTION_HEADER} (a page of another site
 * cannot send it without CORS, which the console never grants) and, when the browser sends an Origin, this origin.
 */
public final class ConsoleHttp implements HttpHandler {
    public static final String PATH = "/_console";
    static final String ACTION_HEADER = "X-Console-Action";
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");

    private final ConsoleApi api;
    private final Consumer<String> log;
    private final AtomicBoolean syncRunning = new AtomicBoolean();

    public ConsoleHttp(ConsoleApi api, Consumer<String> log) {
        this.api = api;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            serve(exchange);
        } catch (IOException | RuntimeException | LinkageError e) {
            log.accept("ERROR console: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
            if (exchange.getResponseCode() == -1) {
                json(exchange, 500, Map.of("error", "the console failed: " + e));
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!local(exchange)) {
            json(exchange, 403, Map.of("error", "the console answers this machine only (loopback address and host name)"));
            return;
        }
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals(PATH)) {
            exchange.getResponseHeaders().set("Location", PATH + "/");
            send(exchange, 302, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        if (!path.startsWith(PATH + "/")) {
            json(exchange, 404, Map.of("error", "not found: " + path));
            return;
        }
        String rest = path.substring(PATH.length());
        if (rest.startsWith("/api/")) {
            api(exchange, method, rest.substring("/api/".length()));
            return;
        }
        String page = PAGES.get(rest);
        if (page == null) {
            json(exchange, 404, Map.of("error", "not found: " + path));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            notAllowed(exchange, "GET");
            return;
        }
        byte[] content = resource(page);
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
        send(exchange, 200, contentType(page), method.equals("HEAD") ? new byte[0] : content);
    }

    private void api(HttpExchange exchange, String method, String name) throws IOException {
        if (name.equals("check-sync")) {
            if (!method.equals("POST")) {
                notAllowed(exchange, "POST");
                return;
            }
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (exchange.getRequestHeaders().getFirst(ACTION_HEADER) == null
                    || origin != null && !origin.equals("http://" + host)) {
                json(exchange, 403, Map.of("error", "check-sync runs from the console's page only (header "
                        + ACTION_HEADER + ", same origin)"));
                return;
            }
            if (!syncRunning.compareAndSet(false, true)) {
                json(exchange, 409, Map.of("error", "a check-sync is running already"));
                return;
            }
            try {
                json(exchange, 200, api.checkSync());
            } catch (IllegalStateException e) {
                json(exchange, 409, Map.of("error", e.getMessage()));
            } finally {
                syncRunning.set(false);
            }
            return;
        }
        Supplier<Object> answer = switch (name) {
            case "overview" -> api::overview;
            case "functions" -> api::functions;
            case "dlq" -> api::dlq;
            case "tables" -> api::tables;
            case "api" -> api::api;
            case "charts" -> () -> api.charts(intParam(exchange.getRequestURI(), "seconds", 600),
                    intParam(exchange.getRequestURI(), "bucket", 5));
            default -> null;
        };
        if (answer == null) {
            json(exchange, 404, Map.of("error", "no console API " + name
                    + " (overview, functions, dlq, tables, api, charts, check-sync)"));
            return;
        }
        if (!method.equals("GET")) {
            notAllowed(exchange, "GET");
            return;
        }
        json(exchange, 200, answer.get());
    }

    /** The client is this machine and names it by a loopback name (localhost, 127.x.x.x, [::1]). */
    static boolean local(HttpExchange exchange) {
        InetAddress remote = exchange.getRemoteAddress().getAddress();
        return remote != null && remote.isLoopbackAddress() && loopbackHost(exchange.getRequestHeaders().getFirst("Host"));
    }

    static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }

    static int intParam(URI uri, String name, int fallback) {
        String q = uri.getRawQuery();
        if (q == null) {
            return fallback;
        }
        for (String p : q.split("&")) {
            if (p.startsWith(name + "=")) {
                try {
                    return Integer.parseInt(p.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ConsoleHttp.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IOException("the console's resource console/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    private static String contentType(String page) {
        if (page.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (page.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }

    private static void notAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        json(exchange, 405, Map.of("error", "method " + exchange.getRequestMethod() + " not allowed; " + allow + " only"));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
