package io.pushcqrs.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Start-up, replacement and shutdown of environments: each test has its own runtime. */
class LambdaRuntimeLifecycleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final Path CODE = Path.of("target", "test-classes").toAbsolutePath();
    static final String PKG = "io.pushcqrs.local.lambda.testfn.";
    static final Path DIR = Path.of("target", "lambda-lifecycle-test").toAbsolutePath();

    LambdaRuntime runtime;
    long dispatchersBefore;

    static long httpDispatchers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("HTTP-Dispatcher")).count();
    }

    @BeforeEach
    void start() {
        dispatchersBefore = httpDispatchers();
        ExecutionEnvironment.deleteQuietly(DIR);
        runtime = runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT);
    }

    /** A runtime whose environments may take {@code initTimeout} to start (a busy machine starts JVMs slowly). */
    static LambdaRuntime runtime(Duration initTimeout) {
        return new LambdaRuntime(new LambdaRuntimeConfig(DIR.resolve("work"), DIR.resolve("logs"),
                LambdaRuntime.defaultRicClasspath(), Map.of(), 2, List.of()),
                Duration.ofSeconds(5), initTimeout, null);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    static FunctionSpec spec(String name, String handler, int timeout, Map<String, String> env) {
        return new FunctionSpec(name, ARN_PREFIX + name, PKG + handler, CODE, env, timeout, 128);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(InvokeResult result) throws IOException {
        return JSON.readTree(result.payload());
    }

    @Test
    void closeKillsEveryFunctionJvmAndEndsTheInvocationInFlight() throws Exception {
        runtime.register(spec("echo", "EchoHandler::handleRequest", 10, Map.of()));
        runtime.register(spec("sleeper", "SleepingHandler::handleRequest", 60, Map.of()));
        assertThat(runtime.invoke("echo", bytes("{}")).functionError()).isNull();
        CompletableFuture<InvokeResult> inFlight =
                CompletableFuture.supplyAsync(() -> runtime.invoke("sleeper", bytes("{\"ms\":50000}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(runtime.functionLog("sleeper"))
                && Files.readString(runtime.functionLog("sleeper")).contains("sleeping "));
        List<ProcessHandle> children = runtime.processes();
        assertThat(children).hasSize(2);
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid).toList())
                .containsAll(children.stream().map(ProcessHandle::pid).toList());

        runtime.close();

        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(runtime.processes()).isEmpty();
        // every Runtime API server is stopped (their dispatcher threads would keep a JVM from exiting)
        await().atMost(Duration.ofSeconds(30)).until(() -> httpDispatchers() <= dispatchersBefore);
        InvokeResult ended = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(ended.functionError()).isEqualTo("Unhandled");
        assertThat(json(ended).get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(json(ended).get("errorMessage").asText()).endsWith("Runtime exited with error: signal: killed");

        InvokeResult afterClose = runtime.invoke("echo", bytes("{}"));
        assertThat(afterClose.statusCode()).isEqualTo(500);
        assertThat(json(afterClose).get("message").asText()).isEqualTo("The local Lambda runtime is shut down");
        assertThatThrownBy(() -> runtime.register(spec("late", "EchoHandler", 10, Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void anInitPhaseLongerThanTheBoundIsKilledRetriedOnceAndReportedAsATimeout() throws Exception {
        runtime.close();
        runtime = runtime(Duration.ofSeconds(2)); // the handler's init takes 60 s
        runtime.register(spec("slow-init", "SlowInitHandler::handleRequest", 3, Map.of()));
        InvokeResult result = runtime.invoke("slow-init", bytes("{}"));
        assertThat(result.functionError()).isEqualTo("Unhandled");
        assertThat(json(result).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        // the second init ran within the function's 3 s timeout, as Lambda retries an init that took over 10 s
        assertThat(json(result).get("errorMessage").asText()).contains(result.requestId() + " Task timed out after 3.");
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.processes().isEmpty());
        assertThat(Files.readString(runtime.functionLog("slow-init")))
                .contains("[env-1] --- killed: init did not finish within 2000 ms")
                .contains("[env-2] --- killed: init did not finish within 3000 ms");
    }

    @Test
    void anEnvironmentThatDiesWhileIdleIsReplacedOnTheNextInvoke() throws Exception {
        runtime.register(spec("echo", "EchoHandler::handleRequest", 10, Map.of()));
        long pid = json(runtime.invoke("echo", bytes("{}"))).get("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.environmentCount("echo") == 0);

        InvokeResult next = runtime.invoke("echo", bytes("{}"));
        assertThat(next.functionError()).isNull();
        assertThat(json(next).get("pid").asLong()).isNotEqualTo(pid);
        assertThat(Files.readString(runtime.functionLog("echo"))).contains("[env-1] --- exited: signal: killed");
    }

    @Test
    void registeringANameAgainReplacesTheFunctionAndItsEnvironments() throws Exception {
        runtime.register(spec("echo", "EchoHandler::handleRequest", 10, Map.of("CUSTOM", "v1")));
        JsonNode first = json(runtime.invoke("echo", bytes("{}")));
        assertThat(first.get("env").get("CUSTOM").asText()).isEqualTo("v1");

        runtime.register(spec("echo", "EchoHandler::handleRequest", 10, Map.of("CUSTOM", "v2")));
        assertThat(ProcessHandle.of(first.get("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        JsonNode second = json(runtime.invoke("echo", bytes("{}")));
        assertThat(second.get("env").get("CUSTOM").asText()).isEqualTo("v2");
        assertThat(runtime.functions()).extracting(FunctionSpec::name).containsExactly("echo");
    }

    @Test
    void aDeploymentSwapsTheFunctionWhileTheInvocationInFlightFinishesInTheOldEnvironment() throws Exception {
        Path release = DIR.resolve("release-v1");
        runtime.register(spec("fn", "SleepingHandler::handleRequest", 60, Map.of("CUSTOM", "v1")));
        CompletableFuture<InvokeResult> inFlight = CompletableFuture.supplyAsync(
                () -> runtime.invoke("fn", bytes("{\"untilFile\":\"" + release + "\"}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(runtime.functionLog("fn"))
                && Files.readString(runtime.functionLog("fn")).contains("sleeping "));
        long oldPid = runtime.processes().get(0).pid();

        // the new version: another handler and environment (what a redeploy of changed code or settings does)
        runtime.register(spec("fn", "EchoHandler::handleRequest", 10, Map.of("CUSTOM", "v2")));
        JsonNode next = json(runtime.invoke("fn", bytes("{}")));
        assertThat(next.get("env").get("CUSTOM").asText()).isEqualTo("v2");
        assertThat(next.get("pid").asLong()).isNotEqualTo(oldPid);
        assertThat(inFlight).isNotDone();
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        Files.createFile(release);
        InvokeResult finished = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(finished.functionError()).isNull();
        assertThat(json(finished).get("pid").asLong()).isEqualTo(oldPid);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(oldPid).map(p -> !p.isAlive()).orElse(true));
        assertThat(Files.readString(runtime.functionLog("fn")))
                .contains("--- killed: replaced by a new version of the function");
        assertThat(runtime.processes()).extracting(ProcessHandle::pid).containsExactly(next.get("pid").asLong());
    }

    @Test
    void aDeletedFunctionAnswers404WhileItsInvocationInFlightFinishes() throws Exception {
        Path release = DIR.resolve("release-deleted");
        runtime.register(spec("gone", "SleepingHandler::handleRequest", 60, Map.of()));
        CompletableFuture<InvokeResult> inFlight = CompletableFuture.supplyAsync(
                () -> runtime.invoke("gone", bytes("{\"untilFile\":\"" + release + "\"}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(runtime.functionLog("gone"))
                && Files.readString(runtime.functionLog("gone")).contains("sleeping "));

        assertThat(runtime.unregister("gone")).isTrue();
        assertThat(runtime.invoke("gone", bytes("{}")).statusCode()).isEqualTo(404);
        assertThat(runtime.unregister("gone")).isFalse();
        Files.createFile(release);
        assertThat(inFlight.get(30, TimeUnit.SECONDS).functionError()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.processes().isEmpty());
    }

    @Test
    void theParentEnvironmentDoesNotLeakIntoFunctions() throws Exception {
        // the runtime's own environment (e.g. the user's AWS credentials) is not passed on; only PATH, LANG, HOME..
        runtime.register(spec("echo", "EchoHandler::handleRequest", 10, Map.of("CUSTOM", "x")));
        JsonNode echo = json(runtime.invoke("echo", bytes("{}")));
        java.util.Set<String> allowed = java.util.Set.of("PATH", "LANG", "LC_ALL", "HOME", "USER", "TZ", "CUSTOM",
                "_HANDLER", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");
        java.util.List<String> names = new java.util.ArrayList<>();
        echo.get("envNames").forEach(n -> names.add(n.asText()));
        assertThat(names).allMatch(n -> allowed.contains(n) || n.startsWith("AWS_"), "only Lambda's variables")
                .contains("CUSTOM", "AWS_LAMBDA_RUNTIME_API", "TZ");
        assertThat(System.getenv().keySet()).anyMatch(n -> !allowed.contains(n) && !n.startsWith("AWS_"));
        assertThat(echo.get("env").get("AWS_REGION").asText()).isEqualTo("us-east-1"); // from the ARN
        assertThat(echo.get("env").get("AWS_ENDPOINT_URL").isNull()).isTrue();
    }
}
