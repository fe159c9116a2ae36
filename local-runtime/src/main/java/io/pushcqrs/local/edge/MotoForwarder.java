package io.pushcqrs.local.edge;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.moto.MotoClients;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Forwards an HTTP exchange verbatim to moto's server: method, path and query, headers (the Host header included,
 * so that moto builds queue URLs on the edge's address) minus the hop-by-hop ones, and body; the answer's status,
 * headers and body are streamed back.
 * <p>
 * It speaks HTTP/1.1 over a plain socket, one connection per request ({@code Connection: close}), because the
 * JDK's HTTP clients do not let a caller set the Host header. Each request is written in one write, with
 * TCP_NODELAY. Requests without an {@code x-moto-account-id} header get one naming account 000000000000, the
 * account of the template's ARNs (see {@link MotoClients}). When moto does not answer, the client gets a 502
 * with a JSON body that says so.
 */
public final class MotoForwarder {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "content-length",
            "expect", "proxy-connection");
    private static final int READ_TIMEOUT_MS = 120_000;

    private final String host;
    private final int port;
    private final Consumer<String> log;

    public MotoForwarder(String host, int port, Consumer<String> log) {
        this.host = host;
        this.port = port;
        this.log = log;
    }

    public String target() {
        return "http://" + host + ":" + port;
    }

    /** Forwards the exchange and answers it (the exchange is closed afterwards). */
    public void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String method = exchange.getRequestMethod();
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            writeRequest(socket.getOutputStream(), method, target, exchange.getRequestHeaders(), body);
            relayResponse(new BufferedInputStream(socket.getInputStream()), exchange, method);
        } catch (IOException e) {
            log.accept("ERROR edge: forwarding " + method + " " + target + " to moto at " + target() + " failed: " + e);
            if (exchange.getResponseCode() == -1) {
                byte[] error = ("{\"__type\":\"ServiceUnavailable\",\"message\":\"the local stack's AWS backend (moto at "
                        + target() + ") did not answer: " + e.getMessage().replace("\"", "'")
                        + "; see moto.log in the log folder\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(502, error.length);
                exchange.getResponseBody().write(error);
            }
        } finally {
            socket.close();
            exchange.close();
        }
    }

    private static void writeRequest(OutputStream raw, String method, String target, Headers headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean account = false;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower)) {
                continue;
            }
            account |= lower.equals(MotoClients.ACCOUNT_HEADER);
            for (String v : e.getValue()) {
                head.append(e.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        if (body.length > 0 || !(method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (!account) {
            head.append(MotoClients.ACCOUNT_HEADER).append(": ").append(Intrinsics.ACCOUNT_ID).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        BufferedOutputStream out = new BufferedOutputStream(raw, 16 * 1024 + body.length);
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static void relayResponse(InputStream in, HttpExchange exchange, String method) throws IOException {
        String statusLine = readLine(in);
        while (statusLine != null && statusLine.startsWith("HTTP/1.1 100")) { // 100 Continue: skip it and its blank line
            while (!readLine(in).isEmpty()) {
                // skip
            }
            statusLine = readLine(in);
        }
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            throw new IOException("moto answered no HTTP status line: " + statusLine);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        Headers out = exchange.getResponseHeaders();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (lower.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (!HOP_BY_HOP.contains(lower) && !lower.equals("date") && !lower.equals("server")) {
                out.add(name, value);
            }
        }
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200);
        if (noBody) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        OutputStream body = exchange.getResponseBody();
        if (chunked) {
            exchange.sendResponseHeaders(status, 0);
            copyChunked(in, body);
        } else if (contentLength >= 0) {
            exchange.sendResponseHeaders(status, contentLength == 0 ? -1 : contentLength);
            copy(in, body, contentLength);
        } else {
            exchange.sendResponseHeaders(status, 0);
            in.transferTo(body);
        }
        body.flush();
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("moto closed the connection " + left + " bytes before the end of the body");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String size = readLine(in);
            if (size == null) {
                throw new IOException("moto closed the connection inside a chunked body");
            }
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    // trailers are dropped
                }
                return;
            }
            copy(in, out, n);
            readLine(in); // CRLF after the chunk
        }
    }

    /** A line without its CRLF; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            line.write(c);
        }
        if (c < 0 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
