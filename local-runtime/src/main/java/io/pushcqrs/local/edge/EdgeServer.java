package io.pushcqrs.local.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.ApiRequest;
import io.pushcqrs.local.apigw.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one port of the local stack (4566 by default), like LocalStack's edge:
 * <ul>
 *   <li>{@code GET /_local/health}: the stack's status as JSON;</li>
 *   <li>{@code /_console/}: the console, mounted by the stack ({@link #mount});</li>
 *   <li>{@code /2015-03-31/functions/...}: the Lambda API ({@link LambdaApi});</li>
 *   <li>{@code /restapis/{id}/{stage}/_user_request_/{path}} and {@code /{stage}/{path}} (when a REST API has that
 *       stage): API Gateway ({@link ApiGateway});</li>
 *   <li>requests signed (SigV4) for a service the stack answers itself ({@link #serve}: CloudFormation, API
 *       Gateway's GetApiKey): that service;</li>
 *   <li>everything else: forwarded to moto ({@link MotoForwarder}), so that {@code AWS_ENDPOINT_URL} pointed at the
 *       edge works for DynamoDB, DynamoDB Streams, SQS, S3, SSM, STS, IAM... from any SDK or the AWS CLI.</li>
 * </ul>
 * A deployment replaces what the edge serves ({@link #update}) without a restart: requests already in flight finish
 * with the routes they started with.
 * A {@link RequestGuard} (IAM) may check the Lambda API's and moto's requests first: those signed with credentials the
 * stack gave its functions are decided before they are served, every other request goes through untouched.
 * {@link #bind} takes the port at once (and fails with {@link PortInUseException} when it is taken), so the
 * stack can claim its port before it starts anything else; {@link #start} begins serving.
 */
public final class EdgeServer implements AutoCloseable {
    public static final String HEALTH_PATH = "/_local/health";
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // answers must not wait on Nagle's algorithm (see the measurements)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final String host;
    private final ExecutorService executor;
    private volatile boolean started;
    private volatile Routes routes;
    private final Map<String, SignedService> services = new java.util.concurrent.ConcurrentHashMap<>();
    /** Told of every API Gateway request and its status (the console). */
    private volatile io.pushcqrs.local.console.ConsoleEvents events = io.pushcqrs.local.console.ConsoleEvents.NONE;

    /**
     * An AWS service the edge answers itself, for the requests signed for it (the service name of the SigV4 credential
     * scope: {@code cloudformation}, {@code apigateway}...).
     */
    public interface SignedService {
        /** Answers one request; the body is read whole. */
        LambdaApi.Answer handle(String method, String rawPath, String rawQuery,
                                com.sun.net.httpserver.Headers headers, byte[] body);
    }

    /**
     * What the edge serves. {@code apiGateway} and {@code lambdaApi} may be null (then those paths answer 404);
     * {@code guard} (IAM) checks requests for the Lambda API and moto before they are served, null for none.
     */
    public record Routes(ApiGateway apiGateway, LambdaApi lambdaApi, MotoForwarder moto, Supplier<Object> health,
                         Consumer<String> log, RequestGuard guard) {
        public Routes(ApiGateway apiGateway, LambdaApi lambdaApi, MotoForwarder moto, Supplier<Object> health,
                      Consumer<String> log) {
            this(apiGateway, lambdaApi, moto, health, log, null);
        }
    }

    /** The edge port is taken. */
    public static final class PortInUseException extends RuntimeException {
        private final String host;
        private final int port;

        PortInUseException(String host, int port, Throwable cause) {
            super("the port " + port + " on " + host + " is already in use", cause);
            this.host = host;
            this.port = port;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }
    }

    private EdgeServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "edge-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds host:port (0 = a free port) without serving yet. */
    public static EdgeServer bind(String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
            return new EdgeServer(server, host);
        } catch (BindException e) {
            throw new PortInUseException(host, port, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL clients use: http://host:port (a wildcard bind address is given as 127.0.0.1). */
    public String endpoint() {
        return "http://" + publicHost(host) + ":" + port();
    }

    /** The address clients reach a server bound to {@code host} on. */
    public static String publicHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    }

    /** Starts serving. */
    public synchronized void start(Routes routes) {
        if (started) {
            throw new IllegalStateException("the edge is already serving");
        }
        this.routes = routes;
        server.createContext("/", exchange -> dispatch(exchange, this.routes, services, events));
        server.setExecutor(executor);
        server.start();
        started = true;
    }

    /**
     * Serves {@code path} and everything under it with {@code handler} instead of the routes (the console), on the
     * edge's threads; the handler answers and closes each exchange itself.
     */
    public void mount(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** Tells {@code events} of every API Gateway request from now on (the console). */
    public void events(io.pushcqrs.local.console.ConsoleEvents events) {
        this.events = events;
    }

    /** Serves these routes from now on (a deployment changed the APIs or functions). */
    public void update(Routes routes) {
        this.routes = routes;
    }

    /** The routes served now. */
    public Routes routes() {
        return routes;
    }

    /**
     * Answers the requests signed for {@code signingName} (SigV4 credential scope) with {@code service} instead of
     * forwarding them to moto; the API Gateway and Lambda paths keep precedence.
     */
    public void serve(String signingName, SignedService service) {
        services.put(signingName, service);
    }

    @Override
    public void close() {
        server.stop(0); // also releases the socket of a bound, never started server
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void dispatch(HttpExchange exchange, Routes routes, Map<String, SignedService> services,
                                 io.pushcqrs.local.console.ConsoleEvents events) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            String signingName = services.isEmpty() ? null
                    : signingName(exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestURI().getRawQuery());
            SignedService service = signingName == null ? null : services.get(signingName);
            if (path.equals(HEALTH_PATH)) {
                health(exchange, routes);
            } else if (LambdaApi.serves(path)) {
                byte[] body = readBody(exchange);
                if (!guarded(exchange, routes, body)) {
                    lambda(exchange, routes, body);
                }
            } else if (routes.apiGateway() != null && apiRequest(exchange, routes.apiGateway()) != null) {
                api(exchange, routes, events);
            } else if (routes.guard() != null && routes.guard().applies(
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestURI().getRawQuery())) {
                byte[] body = readBody(exchange);
                if (!guarded(exchange, routes, body)) {
                    if (service != null) {
                        serve(exchange, service, path, body);
                    } else {
                        routes.moto().forward(exchange, body);
                    }
                }
            } else if (service != null) {
                serve(exchange, service, path, readBody(exchange));
            } else {
                routes.moto().forward(exchange);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException && clientGone((IOException) e)) {
                return; // the client hung up (timed out) before the answer: nobody to tell
            }
            routes.log().accept("ERROR edge: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
            if (exchange.getResponseCode() == -1) {
                send(exchange, 500, Map.of("Content-Type", List.of("application/json")),
                        ("{\"message\":\"the local stack's edge failed: " + String.valueOf(e.getMessage()).replace("\"", "'")
                                + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            exchange.close();
        }
    }

    private static boolean clientGone(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Broken pipe") || m.contains("Connection reset") || m.contains("Stream is closed");
    }

    private static void health(HttpExchange exchange, Routes routes) throws IOException {
        drain(exchange);
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(routes.health().get());
        send(exchange, 200, Map.of("Content-Type", List.of("application/json")), body);
    }

    /** True when the guard refused the request (and the refusal was sent). */
    private static boolean guarded(HttpExchange exchange, Routes routes, byte[] body) throws IOException {
        RequestGuard guard = routes.guard();
        if (guard == null || !guard.applies(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestURI().getRawQuery())) {
            return false;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        LambdaApi.Answer refusal = guard.check(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body);
        if (refusal == null) {
            return false;
        }
        Map<String, List<String>> answerHeaders = new LinkedHashMap<>();
        refusal.headers().forEach((k, v) -> answerHeaders.put(k, List.of(v)));
        send(exchange, refusal.status(), answerHeaders, refusal.body());
        return true;
    }

    private static void lambda(HttpExchange exchange, Routes routes, byte[] body) throws IOException {
        if (routes.lambdaApi() == null) {
            send(exchange, 404, Map.of("Content-Type", List.of("application/json")),
                    "{\"Type\":\"User\",\"message\":\"the local stack runs no Lambda functions\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        LambdaApi.Answer a = routes.lambdaApi().handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"), body);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        a.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        send(exchange, a.status(), headers, a.body());
    }

    private static void api(HttpExchange exchange, Routes routes, io.pushcqrs.local.console.ConsoleEvents events)
            throws IOException {
        String[] target = apiRequest(exchange, routes.apiGateway());
        byte[] body = readBody(exchange);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(canonical(k), List.copyOf(v)));
        ApiRequest request = new ApiRequest(exchange.getRequestMethod(), target[0], target[1], target[2],
                exchange.getRequestURI().getRawQuery(), headers, body,
                exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
        ApiResponse response = routes.apiGateway().handle(request);
        events.apiRequest(routes.apiGateway(), request, response.status());
        send(exchange, response.status(), response.headers(),
                exchange.getRequestMethod().equals("HEAD") ? new byte[0] : response.body());
    }

    /**
     * [apiId or null, stage, path] when the request is for API Gateway, else null:
     * {@code /restapis/{id}/{stage}/_user_request_/{path}}, or {@code /{stage}/{path}} for a served stage.
     */
    static String[] apiRequest(HttpExchange exchange, ApiGateway gateway) {
        return apiTarget(exchange.getRequestURI().getRawPath(), gateway);
    }

    static String[] apiTarget(String rawPath, ApiGateway gateway) {
        String[] seg = rawPath.split("/", -1); // "", a, b, ...
        if (seg.length >= 5 && seg[1].equals("restapis") && seg[4].equals("_user_request_")) {
            String rest = String.join("/", Arrays.copyOfRange(seg, 5, seg.length));
            return new String[]{seg[2], seg[3], "/" + rest};
        }
        if (seg.length >= 2 && !seg[1].isEmpty() && gateway.servesStage(seg[1])) {
            String rest = String.join("/", Arrays.copyOfRange(seg, 2, seg.length));
            return new String[]{null, seg[1], "/" + rest};
        }
        return null;
    }

    private static void serve(HttpExchange exchange, SignedService service, String path, byte[] body) throws IOException {
        LambdaApi.Answer a = service.handle(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        a.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        send(exchange, a.status(), headers, a.body());
    }

    /**
     * The service a request is signed for: the fourth part of the SigV4 credential scope
     * ({@code Credential=AKID/20260101/us-east-1/cloudformation/aws4_request}), from the Authorization header or a
     * presigned URL's {@code X-Amz-Credential}; null when unsigned.
     */
    static String signingName(String authorization, String rawQuery) {
        String credential = null;
        if (authorization != null) {
            int i = authorization.indexOf("Credential=");
            if (i >= 0) {
                int end = authorization.indexOf(',', i);
                credential = authorization.substring(i + "Credential=".length(), end < 0 ? authorization.length() : end);
            }
        } else if (rawQuery != null) {
            for (String p : rawQuery.split("&")) {
                if (p.startsWith("X-Amz-Credential=")) {
                    credential = java.net.URLDecoder.decode(p.substring("X-Amz-Credential=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        if (credential == null) {
            return null;
        }
        String[] parts = credential.trim().split("/");
        return parts.length >= 5 ? parts[3] : null;
    }

    /** Content-type -> Content-Type, X-api-key -> X-Api-Key (the JDK server lowercases all but the first letter). */
    static String canonical(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void drain(HttpExchange exchange) throws IOException {
        readBody(exchange);
    }

    private static void send(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("transfer-encoding") && !lower.equals("connection")) {
                exchange.getResponseHeaders().put(k, List.copyOf(v));
            }
        });
        boolean noBody = body.length == 0 || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
