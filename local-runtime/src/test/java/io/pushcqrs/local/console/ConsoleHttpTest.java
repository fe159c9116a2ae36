package io.pushcqrs.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's HTTP side on a real JDK server: pages, API routes, methods, the localhost and same-origin rules. */
class ConsoleHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final FakeSource source = new FakeSource();
    final List<String> log = new CopyOnWriteArrayList<>();
    final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpServer server;
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(ConsoleHttp.PATH, new ConsoleHttp(new ConsoleApi(source, new ConsoleRecorder()), log::add));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsScriptAndStyleAreServedFromTheJarWithNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = get("/_console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
        assertThat(page.body()).contains("<script src=\"console.js\"", "id=\"check-sync\"", "id=\"chart-throughput\"");
        assertThat(page.body()).doesNotContain("http://", "https://");
        HttpResponse<String> js = get("/_console/console.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("api/overview".substring(0, 4)).doesNotContain("innerHTML", "http://", "https://");
        assertThat(get("/_console/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        HttpResponse<String> bare = get("/_console");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("/_console/");
        assertThat(get("/_console/secrets.txt").statusCode()).isEqualTo(404);
        assertThat(get("/_consolex").statusCode()).isEqualTo(404);
        assertThat(post("/_console/").statusCode()).isEqualTo(405);
    }

    @Test
    void everyApiAnswersJsonAndOnlyToGet() throws Exception {
        for (String name : List.of("overview", "functions", "dlq", "tables", "api", "charts?seconds=120&bucket=10")) {
            HttpResponse<String> r = get("/_console/api/" + name);
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(name).hasValue("application/json");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(JSON.readTree(r.body()).isObject()).isTrue();
        }
        assertThat(JSON.readTree(get("/_console/api/charts?seconds=120&bucket=10").body()).get("bucketSeconds").asInt())
                .isEqualTo(10);
        assertThat(JSON.readTree(get("/_console/api/charts?seconds=x").body()).get("seconds").asInt()).isEqualTo(600);
        HttpResponse<String> unknown = get("/_console/api/secrets");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("overview, functions, dlq, tables, api, charts, check-sync");
        HttpResponse<String> write = post("/_console/api/overview", "X-Console-Action", "check-sync");
        assertThat(write.statusCode()).isEqualTo(405);
        assertThat(write.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void checkSyncRunsOnPostFromThePageOnly() throws Exception {
        source.report = FakeSource.outOfSync();
        assertThat(get("/_console/api/check-sync").statusCode()).isEqualTo(405);
        HttpResponse<String> noHeader = post("/_console/api/check-sync");
        assertThat(noHeader.statusCode()).isEqualTo(403);
        HttpResponse<String> otherSite = post("/_console/api/check-sync", "X-Console-Action", "check-sync",
                "Origin", "http://evil.example");
        assertThat(otherSite.statusCode()).isEqualTo(403);
        assertThat(source.syncCalls).isZero();

        String host = "127.0.0.1:" + server.getAddress().getPort();
        HttpResponse<String> ok = post("/_console/api/check-sync", "X-Console-Action", "check-sync",
                "Origin", "http://" + host);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode r = JSON.readTree(ok.body());
        assertThat(r.get("in_sync").asBoolean()).isFalse();
        assertThat(r.at("/missing/count").asLong()).isEqualTo(2);
        assertThat(source.syncCalls).isEqualTo(1);

        source.syncFailure = new IllegalStateException("nothing is deployed");
        HttpResponse<String> nothing = post("/_console/api/check-sync", "X-Console-Action", "check-sync");
        assertThat(nothing.statusCode()).isEqualTo(409);
        assertThat(nothing.body()).contains("nothing is deployed");
    }

    @Test
    void aHostNameThatIsNotLoopbackIsRefused() throws Exception {
        HttpResponse<String> rebound = get("/_console/api/overview", "Host", "evil.example:4566");
        assertThat(rebound.statusCode()).isEqualTo(403);
        assertThat(rebound.body()).contains("this machine only");
        assertThat(get("/_console/", "Host", "localhost:4566").statusCode()).isEqualTo(200);
    }

    @Test
    void loopbackHostNames() {
        assertThat(ConsoleHttp.loopbackHost("127.0.0.1:4566")).isTrue();
        assertThat(ConsoleHttp.loopbackHost("localhost")).isTrue();
        assertThat(ConsoleHttp.loopbackHost("LOCALHOST:80")).isTrue();
        assertThat(ConsoleHttp.loopbackHost("127.1.2.3:1")).isTrue();
        assertThat(ConsoleHttp.loopbackHost("[::1]:4566")).isTrue();
        assertThat(ConsoleHttp.loopbackHost("[::2]:4566")).isFalse();
        assertThat(ConsoleHttp.loopbackHost("192.168.1.5:4566")).isFalse();
        assertThat(ConsoleHttp.loopbackHost("localhost.evil.example")).isFalse();
        assertThat(ConsoleHttp.loopbackHost("127.0.0.1.evil.example")).isFalse();
        assertThat(ConsoleHttp.loopbackHost("")).isFalse();
        assertThat(ConsoleHttp.loopbackHost(null)).isFalse();
    }

    @Test
    void aFailingSourceIsA500ThatSaysSoAndIsLogged() throws Exception {
        ConsoleSource broken = new FakeSource() {
            @Override
            public List<MappingInfo> mappings() {
                throw new IllegalStateException("the pollers are gone");
            }
        };
        server.removeContext(ConsoleHttp.PATH);
        server.createContext(ConsoleHttp.PATH, new ConsoleHttp(new ConsoleApi(broken, new ConsoleRecorder()), log::add));
        HttpResponse<String> r = get("/_console/api/overview");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("the pollers are gone");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("ERROR console", "/_console/api/overview"));
    }
}
