package io.pushcqrs.local.lambda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Runtime API's HTTP surface against a scripted backend (no JVM). */
class RuntimeApiServerTest {

    static final String BASE = "/2018-06-01/runtime/";

    final LinkedBlockingQueue<Object> toHandOut = new LinkedBlockingQueue<>();
    /** Released each time a call to /next reaches the backend. */
    final Semaphore inNext = new Semaphore(0);
    final List<String> calls = new ArrayList<>();
    final ExecutorService executor = Executors.newCachedThreadPool();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    RuntimeApiServer server;
    int answer = 202;

    @BeforeEach
    void start() throws Exception {
        server = new RuntimeApiServer(new RuntimeApiServer.Backend() {
            @Override
            public Invocation next() throws InterruptedException {
                inNext.release();
                Object next = toHandOut.take();
                return next instanceof Invocation invocation ? invocation : null;
            }

            @Override
            public synchronized int response(String requestId, byte[] body, long size) {
                calls.add("response " + requestId + " " + size + " " + new String(body, StandardCharsets.UTF_8));
                return answer;
            }

            @Override
            public synchronized int error(String requestId, String errorType, byte[] body) {
                calls.add("error " + requestId + " " + errorType + " " + new String(body, StandardCharsets.UTF_8));
                return answer;
            }

            @Override
            public synchronized int initError(String errorType, byte[] body) {
                calls.add("init " + errorType + " " + new String(body, StandardCharsets.UTF_8));
                return 202;
            }
        }, executor);
    }

    @AfterEach
    void stop() {
        server.stop();
        executor.shutdownNow();
    }

    URI uri(String path) {
        return URI.create("http://" + server.address() + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String errorType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (errorType != null) {
            request.header("Lambda-Runtime-Function-Error-Type", errorType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nextBlocksUntilAnInvocationAndAnswersItWithTheLambdaHeaders() throws Exception {
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
        Invocation invocation = new Invocation("req-1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                "arn:aws:lambda:us-east-1:000000000000:function:f", "{\"custom\":{}}", 3000);
        invocation.deadlineEpochMs = 1_800_000_000_000L;
        var pending = http.sendAsync(HttpRequest.newBuilder(uri(BASE + "invocation/next")).build(),
                HttpResponse.BodyHandlers.ofString());
        // the call reached the backend's next(), which blocks: no answer until an invocation is handed out
        assertThat(inNext.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending.isDone()).isFalse();
        toHandOut.add(invocation);
        HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"a\":1}");
        assertThat(response.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).contains("req-1");
        assertThat(response.headers().firstValue("Lambda-Runtime-Deadline-Ms")).contains("1800000000000");
        assertThat(response.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn"))
                .contains("arn:aws:lambda:us-east-1:000000000000:function:f");
        assertThat(response.headers().firstValue("Lambda-Runtime-Client-Context")).contains("{\"custom\":{}}");
        assertThat(response.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow())
                .matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
        assertThat(response.headers().firstValue("Content-Length")).contains("7");
        assertThat(response.headers().firstValue("Lambda-Runtime-Cognito-Identity")).isEmpty();
    }

    @Test
    void nextAnswers500WhenTheEnvironmentIsGoingAway() throws Exception {
        toHandOut.add("poison");
        HttpResponse<String> response = get(BASE + "invocation/next");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("EnvironmentShutdown");
    }

    @Test
    void responsesErrorsAndInitErrorsReachTheBackend() throws Exception {
        HttpResponse<String> ok = post(BASE + "invocation/req-1/response", "{\"r\":1}", null);
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(ok.body()).isEqualTo("{\"status\":\"OK\"}");
        assertThat(ok.headers().firstValue("Content-Length")).contains("15");
        assertThat(post(BASE + "invocation/req-2/error", "{\"errorMessage\":\"x\"}", "Runtime.UserException")
                .statusCode()).isEqualTo(202);
        assertThat(post(BASE + "init/error", "{\"errorMessage\":\"y\"}", "Runtime.BadFunctionCode").statusCode())
                .isEqualTo(202);
        assertThat(calls).containsExactly("response req-1 7 {\"r\":1}",
                "error req-2 Runtime.UserException {\"errorMessage\":\"x\"}",
                "init Runtime.BadFunctionCode {\"errorMessage\":\"y\"}");
    }

    @Test
    void anUnknownRequestIdIs400() throws Exception {
        answer = 400;
        HttpResponse<String> response = post(BASE + "invocation/nope/response", "{}", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("InvalidStateTransition");
        assertThat(post(BASE + "invocation/nope/error", "{}", "Runtime.UserException").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/2018-06-01/runtime/restore/next").statusCode()).isEqualTo(404);
        assertThat(get("/other").statusCode()).isEqualTo(404);
        assertThat(get(BASE + "invocation/req-1/response").statusCode()).isEqualTo(404);
        assertThat(post(BASE + "invocation/req-1/unknown", "{}", null).statusCode()).isEqualTo(404);
        assertThat(post(BASE + "invocation/next", "{}", null).statusCode()).isEqualTo(405);
        assertThat(calls).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsCountedNotKept() throws Exception {
        RuntimeApiServer.Body small = RuntimeApiServer.read(new ByteArrayInputStream(new byte[10]), 16);
        assertThat(small.bytes()).hasSize(10);
        assertThat(small.size()).isEqualTo(10);
        RuntimeApiServer.Body big = RuntimeApiServer.read(new ByteArrayInputStream(new byte[200_000]), 16);
        assertThat(big.bytes()).hasSize(17);
        assertThat(big.size()).isEqualTo(200_000);
    }
}
