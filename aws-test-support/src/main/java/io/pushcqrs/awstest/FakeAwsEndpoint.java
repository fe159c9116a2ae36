package io.pushcqrs.awstest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP endpoint that answers every request with one scripted AWS error, shaped as the service's
 * protocol sends it, so a real SDK client (with its real retries) turns it into the real exception:
 * {@link #jsonError} for DynamoDB and Secrets Manager (AWS JSON 1.0/1.1: {@code __type} in the body),
 * {@link #restJsonError} for Lambda (REST-JSON: {@code X-Amzn-ErrorType} header). It counts the requests,
 * which shows how often the SDK retried.
 */
public final class FakeAwsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-aws");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 500;
    private volatile String body = "{}";
    private volatile String errorTypeHeader;

    public FakeAwsEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Answer an AWS JSON protocol error (DynamoDB, Secrets Manager). */
    public FakeAwsEndpoint jsonError(int status, String code, String message) {
        this.status = status;
        this.errorTypeHeader = null;
        this.body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\",\"message\":" + quote(message) + "}";
        return this;
    }

    /** Answer a REST-JSON protocol error (Lambda). */
    public FakeAwsEndpoint restJsonError(int status, String code, String message) {
        this.status = status;
        this.errorTypeHeader = code;
        this.body = "{\"Type\":\"User\",\"Message\":" + quote(message) + ",\"message\":" + quote(message) + "}";
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many requests came in (first attempt plus the SDK's retries). */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "fake-" + requests.get());
        if (errorTypeHeader != null) {
            exchange.getResponseHeaders().add("X-Amzn-ErrorType", errorTypeHeader);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
