package io.pushcqrs.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real function JVMs (the handlers in testfn/, run from target/test-classes) against the local runtime. */
class LambdaRuntimeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ARN_PREFIX = "arn:aws:lambda:eu-west-1:000000000000:function:";
    static final Path CODE = Path.of("target", "test-classes").toAbsolutePath();
    static final String PKG = "io.pushcqrs.local.lambda.testfn.";

    /** Kept after the run (target/), so the logs can be read. */
    static final Path temp = Path.of("target", "lambda-runtime-test").toAbsolutePath();
    static LambdaRuntime runtime;
    /** The runtime's stdout. */
    static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    static ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        ExecutionEnvironment.deleteQuietly(temp);
        LambdaRuntimeConfig config = new LambdaRuntimeConfig(temp.resolve("work"), temp.resolve("logs"),
                LambdaRuntime.defaultRicClasspath(),
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566", "AWS_REGION", "eu-west-1",
                        "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"),
                3, List.of());
        // invokes beyond 3 environments wait up to 3 s for one (then 429): long enough for the ones that wait for a
        // 50 ms invocation to end, even on a busy machine
        runtime = new LambdaRuntime(config, Duration.ofSeconds(3), Duration.ofSeconds(60),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        runtime.register(spec("echo", "EchoHandler::handleRequest", 10, Map.of("CUSTOM", "from-template")));
        runtime.register(spec("sleepy", "SleepingHandler::handleRequest", 1, Map.of()));
        runtime.register(spec("parallel", "SleepingHandler", 30, Map.of()));
        runtime.register(spec("throwing", "ThrowingHandler::handleRequest", 10, Map.of()));
        runtime.register(spec("bad-init", "BadInitHandler::handleRequest", 10, Map.of()));
        runtime.register(spec("missing-class", "NoSuchHandler::handleRequest", 10, Map.of()));
        runtime.register(spec("exiting", "ExitingHandler::handleRequest", 10, Map.of()));
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        if (runtime != null) {
            runtime.close();
        }
    }

    static FunctionSpec spec(String name, String handler, int timeout, Map<String, String> env) {
        return new FunctionSpec(name, ARN_PREFIX + name, PKG + handler, CODE, env, timeout, 256);
    }

    static JsonNode json(InvokeResult result) throws IOException {
        return JSON.readTree(result.payload());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void invokesAFunctionWithTheLambdaEnvironmentAndReusesTheWarmEnvironment() throws Exception {
        InvokeResult first = runtime.invoke("echo", bytes("{\"hello\":\"world\"}"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).as(new String(first.payload(), StandardCharsets.UTF_8)).isNull();
        JsonNode one = json(first);
        assertThat(one.get("input").asText()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(one.get("requestId").asText()).isEqualTo(first.requestId());
        assertThat(one.get("arn").asText()).isEqualTo(ARN_PREFIX + "echo");
        assertThat(one.get("functionName").asText()).isEqualTo("echo");
        assertThat(one.get("memory").asInt()).isEqualTo(256);
        assertThat(one.get("remainingMs").asLong()).isBetween(1L, 10_000L);
        assertThat(one.get("maxHeapMb").asLong()).isLessThanOrEqualTo(256L * 8 / 10);
        JsonNode env = one.get("env");
        assertThat(env.get("CUSTOM").asText()).isEqualTo("from-template");
        assertThat(env.get("AWS_ENDPOINT_URL").asText()).isEqualTo("http://127.0.0.1:4566");
        assertThat(env.get("AWS_REGION").asText()).isEqualTo("eu-west-1");
        assertThat(env.get("AWS_DEFAULT_REGION").asText()).isEqualTo("eu-west-1");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("echo");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.get("AWS_LAMBDA_LOG_GROUP_NAME").asText()).isEqualTo("/aws/lambda/echo");
        assertThat(env.get("AWS_LAMBDA_RUNTIME_API").asText()).startsWith("127.0.0.1:");
        assertThat(env.get("_HANDLER").asText()).isEqualTo(PKG + "EchoHandler::handleRequest");
        assertThat(env.get("LAMBDA_TASK_ROOT").asText()).isEqualTo(one.get("cwd").asText());
        assertThat(one.get("cwd").asText()).startsWith(temp.resolve("work").resolve("envs").toString());
        assertThat(one.get("tmpdir").asText()).startsWith(one.get("cwd").asText());

        InvokeResult second = runtime.invoke("echo", bytes("{\"n\":2}"));
        JsonNode two = json(second);
        assertThat(two.get("pid").asLong()).isEqualTo(one.get("pid").asLong());
        assertThat(two.get("count").asInt()).isEqualTo(one.get("count").asInt() + 1);
        assertThat(second.requestId()).isNotEqualTo(first.requestId());
        assertThat(runtime.environmentCount("echo")).isEqualTo(1);
        assertThat(Files.readString(runtime.invocationsLog()))
                .contains("INVOKE echo req=" + first.requestId() + " env=1 ")
                .containsPattern("INVOKE echo req=" + second.requestId() + " env=1 duration=\\d+ms outcome=OK cold=false");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INVOKE echo req="
                        + first.requestId() + " env=1 duration=\\d+ms outcome=OK cold=(true|false)$");
    }
    @Test
    void findsFunctionsByArnPartialArnAndLatestQualifier() throws Exception {
        assertThat(json(runtime.invoke(ARN_PREFIX + "echo", bytes("{}"))).get("arn").asText())
                .isEqualTo(ARN_PREFIX + "echo");
        assertThat(json(runtime.invoke(ARN_PREFIX + "echo:$LATEST", bytes("{}"))).get("arn").asText())
                .isEqualTo(ARN_PREFIX + "echo:$LATEST");
        assertThat(runtime.invoke("000000000000:function:echo", bytes("{}")).statusCode()).isEqualTo(200);
        assertThat(runtime.invoke("echo:$LATEST", bytes("{}")).statusCode()).isEqualTo(200);
        assertThat(runtime.find(ARN_PREFIX + "echo")).hasValueSatisfying(f -> assertThat(f.name()).isEqualTo("echo"));
    }

    @Test
    void anUnknownFunctionOrQualifierIs404ResourceNotFound() throws Exception {
        InvokeResult byName = runtime.invoke("nope", bytes("{}"));
        assertThat(byName.statusCode()).isEqualTo(404);
        assertThat(byName.functionError()).isNull();
        assertThat(json(byName).get("Type").asText()).isEqualTo("User");
        assertThat(json(byName).get("message").asText()).isEqualTo("Function not found: " + ARN_PREFIX + "nope");
        assertThat(LambdaErrors.apiErrorType(byName.statusCode())).isEqualTo("ResourceNotFoundException");

        InvokeResult byArn = runtime.invoke(ARN_PREFIX + "nope", bytes("{}"));
        assertThat(byArn.statusCode()).isEqualTo(404);
        assertThat(json(byArn).get("message").asText()).isEqualTo("Function not found: " + ARN_PREFIX + "nope");
        assertThat(runtime.invoke("echo:7", bytes("{}")).statusCode()).isEqualTo(404);
        assertThat(runtime.invoke("arn:aws:s3:::bucket", bytes("{}")).statusCode()).isEqualTo(404);
        assertThat(runtime.invoke("", bytes("{}")).statusCode()).isEqualTo(404);
        assertThat(Files.readString(runtime.invocationsLog())).contains("INVOKE nope req=" + byName.requestId()
                + " env=- duration=").contains("outcome=NOT_FOUND");
    }

    @Test
    void anEmptyPayloadIsAnEmptyObjectAndAClientContextReachesTheHandler() throws Exception {
        assertThat(json(runtime.invoke("echo", new byte[0])).get("input").asText()).isEqualTo("{}");
        assertThat(json(runtime.invoke("echo", null)).get("input").asText()).isEqualTo("{}");
        JsonNode withContext = json(runtime.invoke("echo", bytes("{}"),
                "{\"client\":{},\"custom\":{\"k\":\"v\"},\"env\":{}}"));
        assertThat(withContext.get("clientContext").asText()).isEqualTo("{k=v}");
    }

    @Test
    void aRequestOver6MbIs413AndAResponseOver6MbIsAFunctionError() throws Exception {
        InvokeResult tooLarge = runtime.invoke("echo", new byte[LambdaErrors.MAX_REQUEST_BYTES + 1]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).get("message").asText()).contains("Request must be smaller than 6291456 bytes");
        assertThat(LambdaErrors.apiErrorType(413)).isEqualTo("RequestEntityTooLargeException");

        InvokeResult bigResponse = runtime.invoke("echo", bytes("{\"bigResponseBytes\":7000000}"));
        assertThat(bigResponse.statusCode()).isEqualTo(200);
        assertThat(bigResponse.functionError()).isEqualTo("Unhandled");
        assertThat(json(bigResponse).get("errorType").asText()).isEqualTo("Function.ResponseSizeTooLarge");
        assertThat(json(bigResponse).get("errorMessage").asText())
                .isEqualTo("Response payload size (7000000 bytes) exceeded maximum allowed payload size (6291556 bytes).");
        // the environment stays usable
        assertThat(runtime.invoke("echo", bytes("{}")).functionError()).isNull();
    }

    @Test
    void anUncaughtHandlerErrorComesBackAsTheLambdaErrorShapeAndTheEnvironmentStaysWarm() throws Exception {
        InvokeResult first = runtime.invoke("throwing", bytes("{}"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(first);
        assertThat(error.get("errorMessage").asText()).isEqualTo("boom from the handler");
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("stackTrace").isArray()).isTrue();
        assertThat(error.get("stackTrace").toString()).contains("ThrowingHandler.handleRequest");
        long pid = runtime.processes().stream().filter(p -> isEnvOf(p, "throwing")).findFirst().orElseThrow().pid();

        InvokeResult second = runtime.invoke("throwing", bytes("{}"));
        assertThat(second.functionError()).isEqualTo("Unhandled");
        assertThat(runtime.environmentCount("throwing")).isEqualTo(1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Files.readString(runtime.invocationsLog()))
                .contains("req=" + second.requestId() + " env=1 ")
                .containsPattern("req=" + second.requestId()
                        + " env=1 duration=\\d+ms outcome=ERROR\\(java.lang.IllegalStateException\\) cold=false");
    }

    static boolean isEnvOf(ProcessHandle process, String function) {
        return process.info().arguments().map(args -> String.join(" ", args)).orElse("")
                .contains(PKG + switch (function) {
                    case "throwing" -> "ThrowingHandler";
                    default -> "?";
                });
    }

    @Test
    void aTimedOutInvocationKillsTheEnvironmentAndTheNextInvokeGetsAFreshOne() throws Exception {
        InvokeResult warm = runtime.invoke("sleepy", bytes("{\"ms\":0}"));
        assertThat(warm.functionError()).isNull();
        long firstPid = json(warm).get("pid").asLong();

        InvokeResult timedOut = runtime.invoke("sleepy", bytes("{\"ms\":20000}"));
        assertThat(timedOut.statusCode()).isEqualTo(200);
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(json(timedOut).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        String message = json(timedOut).get("errorMessage").asText();
        assertThat(message).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z " + timedOut.requestId()
                + " Task timed out after \\d+\\.\\d\\d seconds");
        // the 1 s timeout, or later on a busy machine; never the 20 s the handler asked for
        assertThat(Double.parseDouble(message.replaceAll(".* after (\\S+) seconds", "$1"))).isBetween(1.0, 19.0);
        assertThat(timedOut.durationMs()).isBetween(1_000L, 19_000L);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(firstPid).isEmpty()
                || !ProcessHandle.of(firstPid).get().isAlive());

        InvokeResult next = runtime.invoke("sleepy", bytes("{\"ms\":0}"));
        assertThat(next.functionError()).isNull();
        assertThat(json(next).get("pid").asLong()).isNotEqualTo(firstPid);
        String log = Files.readString(runtime.invocationsLog());
        assertThat(log).containsPattern("req=" + timedOut.requestId() + " env=1 duration=\\d+ms outcome=TIMEOUT cold=false")
                .containsPattern("req=" + next.requestId() + " env=2 duration=\\d+ms outcome=OK cold=true");
        assertThat(Files.readString(runtime.functionLog("sleepy"))).containsPattern("\\[env-1\\] --- killed: request "
                + timedOut.requestId() + " timed out after \\d+\\.\\d\\d seconds");
    }

    @Test
    void aConstructorFailureIsAnInitErrorAndEveryInvokeRetriesInAFreshEnvironment() throws Exception {
        InvokeResult first = runtime.invoke("bad-init", bytes("{}"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(first);
        // the body the runtime posted to /init/error passes through; its header type names the outcome
        assertThat(error.get("errorMessage").asText()).isEqualTo("cannot initialise: TABLE_NAME is not set");
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(Files.readString(runtime.invocationsLog())).containsPattern("req=" + first.requestId()
                + " env=1 duration=\\d+ms outcome=INIT_ERROR\\(Runtime.BadFunctionCode\\) cold=true");

        InvokeResult second = runtime.invoke("bad-init", bytes("{}"));
        assertThat(second.functionError()).isEqualTo("Unhandled");
        assertThat(Files.readString(runtime.invocationsLog())).contains("req=" + second.requestId() + " env=2 ");
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.environmentCount("bad-init") == 0);
    }

    @Test
    void aMissingHandlerClassIsAnInitError() throws Exception {
        InvokeResult result = runtime.invoke("missing-class", bytes("{}"));
        assertThat(result.functionError()).isEqualTo("Unhandled");
        // RIC 2.10.1 reports a handler class it cannot load on each invocation (not on /init/error)
        JsonNode error = json(result);
        assertThat(error.get("errorMessage").asText()).contains("Class not found: " + PKG + "NoSuchHandler");
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
    }

    @Test
    void aJvmThatExitsMidInvokeIsARuntimeExitErrorAndIsReplaced() throws Exception {
        long pid = json(runtime.invoke("exiting", bytes("{\"exit\":false}"))).get("pid").asLong();
        InvokeResult crash = runtime.invoke("exiting", bytes("{\"exit\":true}"));
        assertThat(crash.statusCode()).isEqualTo(200);
        assertThat(crash.functionError()).isEqualTo("Unhandled");
        assertThat(json(crash).get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(json(crash).get("errorMessage").asText())
                .isEqualTo("RequestId: " + crash.requestId() + " Error: Runtime exited with error: exit status 3");

        InvokeResult next = runtime.invoke("exiting", bytes("{\"exit\":false}"));
        assertThat(next.functionError()).isNull();
        assertThat(json(next).get("pid").asLong()).isNotEqualTo(pid);
        assertThat(Files.readString(runtime.invocationsLog()))
                .containsPattern("req=" + crash.requestId() + " env=1 duration=\\d+ms outcome=CRASH\\(Runtime.ExitError\\)");
        assertThat(Files.readString(runtime.functionLog("exiting")))
                .contains("[env-1] exiting now").contains("[env-1] --- exited: exit status 3");
    }

    @Test
    void concurrentInvokesGetMoreEnvironmentsUpToTheBoundThenWaitAndAre429AfterTheQueueBound() throws Exception {
        Path release = temp.resolve("release-" + System.nanoTime());
        String untilReleased = "{\"untilFile\":\"" + release + "\"}";
        List<Future<InvokeResult>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(pool.submit(() -> runtime.invoke("parallel", bytes(untilReleased))));
        }
        // all three are running (each logged "sleeping"), and stay so until released, when the fourth arrives
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(runtime.functionLog("parallel"))
                && Files.readString(runtime.functionLog("parallel")).split("sleeping ", -1).length - 1 == 3);
        InvokeResult throttled = runtime.invoke("parallel", bytes("{\"ms\":0}"));
        Files.createFile(release);
        assertThat(throttled.statusCode()).isEqualTo(429);
        // the machine's bound (--max-envs), not AWS's: it says so
        assertThat(json(throttled).get("Reason").asText()).isEqualTo("LocalEnvironmentLimitExceeded");
        assertThat(json(throttled).get("message").asText()).contains("--max-envs");
        assertThat(LambdaErrors.apiErrorType(429)).isEqualTo("TooManyRequestsException");

        Set<Long> pids = new HashSet<>();
        for (Future<InvokeResult> f : slow) {
            InvokeResult r = f.get();
            assertThat(r.functionError()).isNull();
            pids.add(json(r).get("pid").asLong());
        }
        assertThat(pids).hasSize(3);
        assertThat(runtime.environmentCount("parallel")).isEqualTo(3);

        // more parallel invokes than environments: they wait for one and reuse the warm ones
        List<CompletableFuture<InvokeResult>> again = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            again.add(CompletableFuture.supplyAsync(() -> runtime.invoke("parallel", bytes("{\"ms\":50}")), pool));
        }
        Set<Long> reused = new HashSet<>();
        for (CompletableFuture<InvokeResult> f : again) {
            InvokeResult r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            reused.add(json(r).get("pid").asLong());
        }
        assertThat(pids).containsAll(reused);
        assertThat(runtime.environmentCount("parallel")).isEqualTo(3);
    }

    @Test
    void eachEnvironmentsOutputIsCapturedWithItsId() throws Exception {
        InvokeResult result = runtime.invoke("echo", bytes("{}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(runtime.functionLog("echo"))
                .contains("echo request " + result.requestId()));
        String log = Files.readString(runtime.functionLog("echo"));
        assertThat(log).containsPattern("\\[env-1\\] .*echo request " + result.requestId())
                .containsPattern("\\[env-1\\] --- started pid \\d+")
                .containsPattern("\\[env-1\\] --- ready after \\d+ ms");
    }

    @Test
    void registerRefusesAnIncompleteSpecWithAClearMessage() {
        assertThatThrownBy(() -> runtime.register(new FunctionSpec("ghost", ARN_PREFIX + "ghost", PKG + "EchoHandler",
                Path.of("no/such/code.jar"), Map.of(), 10, 256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot register function ghost")
                .hasMessageContaining("no/such/code.jar does not exist")
                .hasMessageContaining("mvn -B package -DskipTests");
        assertThatThrownBy(() -> runtime.register(new FunctionSpec("ghost", ARN_PREFIX + "ghost", "", CODE,
                Map.of(), 0, 64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no handler").hasMessageContaining("timeout 0 s").hasMessageContaining("memory 64 MB");
    }
}
