package io.pushcqrs.local.edge;

import com.sun.net.httpserver.HttpExchange;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.template.Intrinsics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Forwards an HTTP exchange to moto's server with the JDK's {@link HttpClient} (HTTP/1.1, connections kept alive and
 * reused): method, path and query, headers minus the hop-by-hop ones, and body; the answer's status, headers and body
 * go back to the client, a body longer than {@link #READ_WHOLE_UP_TO} or of unknown length (chunked) streamed. Requests without an {@code x-moto-account-id} header get one naming account 000000000000, the
 * account of the template's ARNs (see {@link MotoClients}). When moto does not answer, the client gets a 502 with a
 * JSON body that says so, and edge.log the cause.
 * <p>
 * The client's Host header reaches moto, so that moto builds queue URLs on the edge's address. The JDK client
 * refuses to set Host unless the system property {@value #ALLOW_RESTRICTED_HEADERS} names it before its classes
 * initialise; {@link #prepareJvm()} sets it, and runs as early as this class or {@code LocalStackMain} loads. In a JVM
 * that used the JDK client before (a test JVM that starts the stack in-process), it is too late: the forwarder then
 * sends the request through the same kept-alive connection in absolute form ({@code POST http://<client host>/...},
 * the form HTTP/1.1 servers must accept, RFC 9112 3.2.2), which carries the client's host all the same.
 */
public final class MotoForwarder {
    /** The JDK HTTP client's list of restricted headers a caller may set anyway (read once, when it initialises). */
    public static final String ALLOW_RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

    /** How the client's host reaches moto. */
    enum HostMode {
        /** a Host header on a request to moto's address */
        HEADER,
        /** a request in absolute form to the client's host, sent to moto as to a proxy */
        ABSOLUTE_FORM
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "content-length",
            "expect", "proxy-connection", "host");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    /** Answers of a known length up to this are read whole (one hand-off fewer); longer or chunked ones are streamed. */
    static final long READ_WHOLE_UP_TO = 1024 * 1024;
    private static final HttpResponse.BodyHandler<InputStream> BODY = info -> {
        long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return length >= 0 && length <= READ_WHOLE_UP_TO
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), ByteArrayInputStream::new)
                : HttpResponse.BodySubscribers.ofInputStream();
    };

    static {
        prepareJvm();
    }

    private final String host;
    private final int port;
    private final Consumer<String> log;
    private final HostMode mode;
    private final HttpClient http;
    private final List<RequestCheck> checks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MotoForwarder(String host, int port, Consumer<String> log) {
        this(host, port, log, hostHeaderAllowed() ? HostMode.HEADER : HostMode.ABSOLUTE_FORM);
    }

    MotoForwarder(String host, int port, Consumer<String> log, HostMode mode) {
        if (mode == HostMode.HEADER && !hostHeaderAllowed()) {
            throw new IllegalStateException("this JVM's HTTP client does not let a caller set Host: start it with -D"
                    + ALLOW_RESTRICTED_HEADERS + "=host");
        }
        this.host = host;
        this.port = port;
        this.log = log;
        this.mode = mode;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (mode == HostMode.ABSOLUTE_FORM) {
            b.proxy(ProxySelector.of(new InetSocketAddress(host, port)));
        }
        this.http = b.build();
        log.accept("edge: forwarding AWS calls to moto at " + target() + " over kept-alive connections, the client's host "
                + (mode == HostMode.HEADER ? "in a Host header" : "in absolute-form requests (this JVM's HTTP client was"
                + " initialised before " + ALLOW_RESTRICTED_HEADERS + " named host)"));
    }

    /**
     * Lets this JVM's HTTP client send a Host header ({@value #ALLOW_RESTRICTED_HEADERS} gains {@code host}, keeping
     * what it named). It only works before the JDK client's classes initialise, so it runs as early as possible:
     * when this class or {@code LocalStackMain} is loaded.
     */
    public static void prepareJvm() {
        String named = System.getProperty(ALLOW_RESTRICTED_HEADERS);
        if (named == null || named.isBlank()) {
            System.setProperty(ALLOW_RESTRICTED_HEADERS, "host");
        } else if (List.of(named.split(",")).stream().noneMatch(h -> h.trim().equalsIgnoreCase("host"))) {
            System.setProperty(ALLOW_RESTRICTED_HEADERS, named + ",host");
        }
    }

    /** Whether this JVM's HTTP client lets a caller set the Host header. */
    static boolean hostHeaderAllowed() {
        try {
            HttpRequest.newBuilder().header("Host", "probe.invalid");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Adds a check that runs, in the order added, on every call before it is forwarded. */
    public MotoForwarder addCheck(RequestCheck check) {
        checks.add(check);
        return this;
    }

    public String target() {
        return "http://" + host + ":" + port;
    }

    HostMode mode() {
        return mode;
    }

    /** Forwards the exchange and answers it (the exchange is closed afterwards). */
    public void forward(HttpExchange exchange) throws IOException {
        forward(exchange, null);
    }

    /** The same, with the request body already read (null: read it from the exchange). */
    public void forward(HttpExchange exchange, byte[] requestBody) throws IOException {
        String method = exchange.getRequestMethod();
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        try {
            byte[] body = requestBody;
            if (body == null) {
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
            }
            for (RequestCheck check : checks) {
                RequestCheck.Refusal refusal = check.check(method, exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders(), body);
                if (refusal != null) {
                    refusal.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                    exchange.sendResponseHeaders(refusal.status(), refusal.body().length == 0 ? -1 : refusal.body().length);
                    if (refusal.body().length > 0) {
                        exchange.getResponseBody().write(refusal.body());
                    }
                    return;
                }
            }
            HttpResponse<InputStream> response = http.send(request(exchange, method, target, body), BODY);
            try (InputStream in = response.body()) {
                relay(response, in, exchange, method);
            }
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.accept("ERROR edge: forwarding " + method + " " + target + " to moto at " + target() + " failed: " + e);
            if (exchange.getResponseCode() == -1) {
                byte[] error = ("{\"__type\":\"ServiceUnavailable\",\"message\":\"the local stack's AWS backend (moto at "
                        + target() + ") did not answer: " + String.valueOf(e.getMessage()).replace("\"", "'")
                        + "; see moto.log in the log folder\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(502, error.length);
                exchange.getResponseBody().write(error);
            }
        } finally {
            exchange.close();
        }
    }

    private HttpRequest request(HttpExchange exchange, String method, String target, byte[] body) {
        String clientHost = exchange.getRequestHeaders().getFirst("Host");
        if (clientHost == null || clientHost.isBlank()) {
            InetSocketAddress local = exchange.getLocalAddress();
            clientHost = EdgeServer.publicHost(local.getHostString()) + ":" + local.getPort();
        }
        HttpRequest.Builder b;
        if (mode == HostMode.HEADER) {
            b = HttpRequest.newBuilder(URI.create(target() + target)).header("Host", clientHost);
        } else {
            b = HttpRequest.newBuilder(absolute(clientHost, target, exchange.getLocalAddress()));
        }
        b.timeout(READ_TIMEOUT);
        boolean account = false;
        for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower)) {
                continue;
            }
            account |= lower.equals(MotoClients.ACCOUNT_HEADER);
            for (String v : e.getValue()) {
                b.header(e.getKey(), v);
            }
        }
        if (!account) {
            b.header(MotoClients.ACCOUNT_HEADER, Intrinsics.ACCOUNT_ID);
        }
        boolean noBody = body.length == 0 && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"));
        return b.method(method, noBody ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** http://{client host}{target}; the edge's own address when the client's Host is not a valid authority. */
    private static URI absolute(String clientHost, String target, InetSocketAddress local) {
        try {
            URI uri = URI.create("http://" + clientHost + target);
            if (uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // not a host[:port]
        }
        return URI.create("http://" + EdgeServer.publicHost(local.getHostString()) + ":" + local.getPort() + target);
    }

    private static void relay(HttpResponse<InputStream> response, InputStream in, HttpExchange exchange, String method)
            throws IOException {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        headers.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.equals("date") && !lower.equals("server") && !lower.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200);
        if (noBody) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        long contentLength = headers.firstValueAsLong("Content-Length").orElse(-1);
        // a known length is passed on; otherwise (chunked from moto) the edge answers chunked
        exchange.sendResponseHeaders(status, contentLength == 0 ? -1 : Math.max(contentLength, 0));
        if (contentLength != 0) {
            OutputStream out = exchange.getResponseBody();
            in.transferTo(out);
            out.flush();
        }
    }
}
