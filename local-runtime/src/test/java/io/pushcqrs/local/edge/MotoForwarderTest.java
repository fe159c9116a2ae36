package io.pushcqrs.local.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushcqrs.local.edge.MotoForwarder.HostMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forwarder against a stand-in for moto that records what reaches it: what is passed on, the Host the client
 * used (by a Host header or in absolute form), the account header, kept-alive connections, streamed bodies.
 */
class MotoForwarderTest {
    /** What the stand-in saw of one request. */
    record Seen(String method, String uri, String host, String account, String custom, String body, int remotePort) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer backend;
    private EdgeServer edge;

    /** The stand-in answers 201 with the body "ok:<path>", a big body on /big (chunked) and /sized, none on /empty. */
    private void start(HostMode mode) throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", this::answer);
        backend.start();
        edge = EdgeServer.bind("127.0.0.1", 0);
        edge.start(new EdgeServer.Routes(null, null,
                new MotoForwarder("127.0.0.1", backend.getAddress().getPort(), log::add, mode), Map::of, log::add));
    }

    private void answer(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders().getFirst("Host"),
                ex.getRequestHeaders().getFirst("x-moto-account-id"), ex.getRequestHeaders().getFirst("X-Custom"),
                new String(body, StandardCharsets.UTF_8), ex.getRemoteAddress().getPort()));
        String path = ex.getRequestURI().getPath();
        ex.getResponseHeaders().add("X-Answer", "yes");
        if (path.equals("/big") || path.equals("/sized")) {
            byte[] big = answers.get("big");
            ex.sendResponseHeaders(200, path.equals("/big") ? 0 : big.length); // 0: chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < big.length; i += 65536) {
                    out.write(big, i, Math.min(65536, big.length - i));
                }
            }
        } else if (path.equals("/empty")) {
            ex.sendResponseHeaders(204, -1);
        } else {
            byte[] ok = ("ok:" + path).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(201, ok.length);
            ex.getResponseBody().write(ok);
        }
        ex.close();
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(edge.endpoint() + pathAndQuery));
    }

    @ParameterizedTest
    @EnumSource(HostMode.class)
    void passesTheRequestOnWithTheClientsHostAndTheTemplatesAccount(HostMode mode) throws Exception {
        start(mode);
        HttpResponse<String> r = send(request("/000000000000/q?Action=SendMessage&x=%2F").header("X-Custom", "v1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("ok:/000000000000/q");
        assertThat(r.headers().firstValue("X-Answer")).contains("yes");
        Seen s = seen.get(0);
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.uri()).endsWith("/000000000000/q?Action=SendMessage&x=%2F");
        assertThat(s.host()).as("moto builds URLs on the edge's address").isEqualTo("127.0.0.1:" + edge.port());
        assertThat(s.account()).isEqualTo("000000000000");
        assertThat(s.custom()).isEqualTo("v1");
        assertThat(s.body()).isEqualTo("{\"a\":1}");
        assertThat(log).first().asString().startsWith("edge: forwarding AWS calls to moto at http://127.0.0.1:")
                .contains(mode == HostMode.HEADER ? "in a Host header" : "in absolute-form requests");
    }

    @ParameterizedTest
    @EnumSource(HostMode.class)
    void keepsTheAccountAClientNames(HostMode mode) throws Exception {
        start(mode);
        send(request("/").header("x-moto-account-id", "123456789012").GET());
        assertThat(seen.get(0).account()).isEqualTo("123456789012");
        assertThat(seen.get(0).method()).isEqualTo("GET");
    }

    @ParameterizedTest
    @EnumSource(HostMode.class)
    void sequentialRequestsReuseOneConnectionToMoto(HostMode mode) throws Exception {
        start(mode);
        for (int i = 0; i < 20; i++) {
            assertThat(send(request("/n" + i).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(201);
        }
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        seen.forEach(s -> ports.add(s.remotePort()));
        assertThat(seen).hasSize(20);
        assertThat(ports).as("connections from the forwarder to moto").hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"HEADER, /big", "HEADER, /sized", "ABSOLUTE_FORM, /big", "ABSOLUTE_FORM, /sized"})
    void aLargeAnswerChunkedOrOfKnownLengthArrivesWhole(HostMode mode, String path) throws Exception {
        start(mode);
        byte[] big = new byte[5 * 1024 * 1024 + 7];
        Arrays.fill(big, (byte) 'z');
        big[big.length - 1] = '!';
        answers.put("big", big);
        HttpResponse<byte[]> r = client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(big);
    }

    @ParameterizedTest
    @EnumSource(HostMode.class)
    void answersWithoutABodyStayWithoutOne(HostMode mode) throws Exception {
        start(mode);
        HttpResponse<String> empty = send(request("/empty").DELETE());
        assertThat(empty.statusCode()).isEqualTo(204);
        assertThat(empty.body()).isEmpty();
        HttpResponse<String> head = send(request("/x").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(201);
        assertThat(head.body()).isEmpty();
        assertThat(seen).extracting(Seen::method).containsExactly("DELETE", "HEAD");
    }

    @Test
    void whenMotoIsGoneTheClientGetsA502AndEdgeLogTheCause() throws Exception {
        start(HostMode.ABSOLUTE_FORM);
        backend.stop(0);
        backend = null;
        HttpResponse<String> r = send(request("/").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("did not answer").contains("moto.log");
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("ERROR edge: forwarding POST / to moto at http://127.0.0.1:"));
    }

    // ------------------------------------------------------------------ which mode a JVM gets

    /** Run in a child JVM: prints the mode a forwarder gets when the JDK client was used first, or not. */
    public static final class ModeProbe {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("client-first")) {
                HttpClient.newHttpClient(); // a host JVM (a test) that used the JDK client before it starts the stack
                HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("X-A", "b").build();
            }
            System.out.println("mode=" + new MotoForwarder("127.0.0.1", 1, line -> { }).mode());
        }
    }

    private static String probe(String order) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ModeProbe.class.getName(), order).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.trim();
    }

    @Test
    void aFreshJvmSetsTheHostHeaderAndOneThatUsedTheJdkClientFirstSendsAbsoluteForm() throws Exception {
        assertThat(probe("forwarder-first")).isEqualTo("mode=HEADER");
        assertThat(probe("client-first")).isEqualTo("mode=ABSOLUTE_FORM");
    }
}
