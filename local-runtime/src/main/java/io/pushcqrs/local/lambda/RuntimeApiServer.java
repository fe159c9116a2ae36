package io.pushcqrs.local.lambda;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * The Lambda Runtime API (2018-06-01) for ONE execution environment, on its own loopback port: the port tells
 * which environment is calling. See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 *
 * <ul>
 *   <li>GET /2018-06-01/runtime/invocation/next: blocks until an invocation is assigned</li>
 *   <li>POST /2018-06-01/runtime/invocation/{id}/response</li>
 *   <li>POST /2018-06-01/runtime/invocation/{id}/error (header Lambda-Runtime-Function-Error-Type)</li>
 *   <li>POST /2018-06-01/runtime/init/error</li>
 * </ul>
 * Every response carries a Content-Length; the server is created with TCP_NODELAY (see {@link #enableNoDelay()}).
 */
final class RuntimeApiServer {

    static {
        enableNoDelay();
    }

    /** The environment behind the API. */
    interface Backend {
        /** Blocks until an invocation is assigned; null when the environment is going away. */
        Invocation next() throws InterruptedException;

        /** @return the HTTP status to answer */
        int response(String requestId, byte[] body, long size);

        int error(String requestId, String errorType, byte[] body);

        int initError(String errorType, byte[] body);
    }

    static final String PREFIX = "/2018-06-01/runtime/";
    private static final byte[] ACCEPTED = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final Backend backend;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    RuntimeApiServer(Backend backend, Executor executor) throws IOException {
        this.backend = backend;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * The JDK server reads this once, when its first server is created: without it every response (headers, then
     * body) waits on Nagle and delayed ACKs (~40-90 ms per round trip instead of ~0.3 ms).
     */
    static void enableNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Idempotent: the JDK server's dispatcher thread is not a daemon, so every server must be stopped. */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.startsWith(PREFIX)) {
                send(exchange, 404, error("Unknown path " + path, "InvalidPath"), null);
                return;
            }
            String rest = path.substring(PREFIX.length());
            if (rest.equals("invocation/next")) {
                if (!method.equals("GET")) {
                    drain(exchange);
                    send(exchange, 405, error("Use GET", "MethodNotAllowed"), null);
                    return;
                }
                next(exchange);
            } else if (rest.startsWith("invocation/") && method.equals("POST")) {
                String tail = rest.substring("invocation/".length());
                int slash = tail.lastIndexOf('/');
                String id = slash < 0 ? "" : tail.substring(0, slash);
                String verb = slash < 0 ? tail : tail.substring(slash + 1);
                if (verb.equals("response")) {
                    Body body = read(exchange.getRequestBody(), LambdaErrors.MAX_RESPONSE_BYTES);
                    answer(exchange, backend.response(id, body.bytes, body.size));
                } else if (verb.equals("error")) {
                    Body body = read(exchange.getRequestBody(), LambdaErrors.MAX_RESPONSE_BYTES);
                    answer(exchange, backend.error(id, errorType(exchange), body.bytes));
                } else {
                    drain(exchange);
                    send(exchange, 404, error("Unknown path " + path, "InvalidPath"), null);
                }
            } else if (rest.equals("init/error") && method.equals("POST")) {
                Body body = read(exchange.getRequestBody(), LambdaErrors.MAX_RESPONSE_BYTES);
                answer(exchange, backend.initError(errorType(exchange), body.bytes));
            } else {
                drain(exchange);
                send(exchange, 404, error("Unknown path " + path, "InvalidPath"), null);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = backend.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation = null;
        }
        if (invocation == null) {
            send(exchange, 500, error("The execution environment is shutting down", "EnvironmentShutdown"), null);
            return;
        }
        Headers headers = new Headers();
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMs));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedArn);
        headers.set("Lambda-Runtime-Trace-Id", traceId());
        if (invocation.clientContext != null) {
            headers.set("Lambda-Runtime-Client-Context", invocation.clientContext);
        }
        send(exchange, 200, invocation.payload, headers);
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        if (status == 202) {
            send(exchange, 202, ACCEPTED, null);
        } else {
            send(exchange, status, error("Invalid request ID or state for this environment",
                    "InvalidStateTransition"), null);
        }
    }

    private static String errorType(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    }

    private static void send(HttpExchange exchange, int status, byte[] body, Headers extra) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        if (extra != null) {
            headers.putAll(extra);
        }
        headers.set("Content-Type", "application/json");
        // fixed length: the JDK server sends Content-Length, no chunking
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] error(String message, String type) {
        return LambdaErrors.function(message, type);
    }

    /** A request body, kept up to a limit (the rest is read and counted, not kept). */
    record Body(byte[] bytes, long size) {
    }

    static Body read(InputStream in, int limit) throws IOException {
        byte[] kept = in.readNBytes(limit + 1);
        long size = kept.length;
        if (kept.length > limit) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
            }
        }
        return new Body(kept, size);
    }

    private static void drain(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    }

    private static String traceId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return String.format("Root=1-%08x-%012x%012x;Parent=%016x;Sampled=0", System.currentTimeMillis() / 1000,
                random.nextLong(1L << 48), random.nextLong(1L << 48), random.nextLong());
    }
}
