package io.pushcqrs.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

/** Lambda's limits on real function JVMs: memory, CPU, runtime Java, init phase, reserved concurrency. */
class LambdaLimitsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final Path CODE = Path.of("target", "test-classes").toAbsolutePath();
    static final String PKG = "io.pushcqrs.local.lambda.testfn.";
    static final Path DIR = Path.of("target", "lambda-limits-test").toAbsolutePath();

    LambdaRuntime runtime;

    @BeforeEach
    void clean() {
        ExecutionEnvironment.deleteQuietly(DIR);
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    LambdaRuntime runtime(Duration initTimeout, boolean cpuQuota) {
        runtime = new LambdaRuntime(new LambdaRuntimeConfig(DIR.resolve("work"), DIR.resolve("logs"),
                LambdaRuntime.defaultRicClasspath(), Map.of(), 3, List.of(), List.of(), 1000, cpuQuota),
                Duration.ofSeconds(5), initTimeout, null);
        return runtime;
    }

    static FunctionSpec spec(String name, String handler, int timeout, int memory, String runtimeName, int reserved,
                             Map<String, String> env) {
        return new FunctionSpec(name, ARN_PREFIX + name, PKG + handler, CODE, env, timeout, memory, runtimeName, reserved);
    }

    static JsonNode json(InvokeResult r) throws IOException {
        return JSON.readTree(r.payload());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void memoryBoundsTheJvmAndCpuFollowsMemory() throws Exception {
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, false);
        runtime.register(spec("small", "EchoHandler::handleRequest", 10, 512, "java17", FunctionSpec.UNRESERVED, Map.of()));
        runtime.register(spec("large", "EchoHandler::handleRequest", 10, 3538, "java17", FunctionSpec.UNRESERVED, Map.of()));
        JsonNode small = json(runtime.invoke("small", bytes("{}")));
        assertThat(small.get("jvmArgs").asText()).contains("-Xmx409m", "-XX:MaxRAM=512m", "-XX:ActiveProcessorCount=1");
        assertThat(small.get("processors").asInt()).isEqualTo(1);
        assertThat(small.get("maxHeapMb").asInt()).isLessThanOrEqualTo(409);
        JsonNode large = json(runtime.invoke("large", bytes("{}")));
        // 3,538 MB is two of Lambda's 1,769 MB vCPUs
        assertThat(large.get("processors").asInt()).isEqualTo(2);
        assertThat(FunctionJvm.processors(1769)).isEqualTo(1);
        assertThat(FunctionJvm.processors(1770)).isEqualTo(2);
        assertThat(FunctionJvm.processors(10_240)).isEqualTo(6);
        assertThat(FunctionJvm.processors(128)).isEqualTo(1);
    }

    @Test
    void aJvmThatUsesMoreThanItsMemorySizeIsStoppedAsLambdaStopsTheSandbox() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/proc/self/status")), "needs /proc");
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, false);
        // 256 MB: heap up to 204 MB and direct memory up to 204 MB are each allowed; 150 + 100 MB together are not
        runtime.register(spec("hog", "MemoryHogHandler::handleRequest", 60, 256, "java17", FunctionSpec.UNRESERVED, Map.of()));
        InvokeResult r = runtime.invoke("hog", bytes("{\"heap\":150,\"direct\":100}"));
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(json(r).get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(json(r).get("errorMessage").asText()).endsWith("Runtime exited with error: signal: killed");
        assertThat(Files.readString(runtime.functionLog("hog"))).contains("went past the function's MemorySize (256 MB)");
    }

    @Test
    void theRuntimeDecidesTheJavaAndAwsExecutionEnv() throws Exception {
        List<JavaRuntimes.JavaInstallation> installed = JavaRuntimes.discover(List.of());
        Assumptions.assumeTrue(JavaRuntimes.select(21, installed).isPresent(), "needs a Java 21 or newer");
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, false);
        runtime.register(spec("j21", "EchoHandler::handleRequest", 10, 512, "java21", FunctionSpec.UNRESERVED, Map.of()));
        runtime.register(spec("j17", "EchoHandler::handleRequest", 10, 512, "java17", FunctionSpec.UNRESERVED, Map.of()));
        JsonNode j21 = json(runtime.invoke("j21", bytes("{}")));
        int expected = JavaRuntimes.select(21, installed).orElseThrow().feature();
        assertThat(j21.get("javaFeature").asInt()).isEqualTo(expected).isGreaterThanOrEqualTo(21);
        assertThat(j21.at("/env/AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java21");
        assertThat(runtime.javaOf("j21").orElseThrow()).contains(Integer.toString(expected));
        JsonNode j17 = json(runtime.invoke("j17", bytes("{}")));
        assertThat(j17.get("javaFeature").asInt()).isEqualTo(JavaRuntimes.select(17, installed).orElseThrow().feature());
        assertThat(j17.at("/env/AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java17");
    }

    @Test
    void aRuntimeWithNoJavaInstalledIsRefusedWhenRegistered() {
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, false);
        assertThatThrownBy(() -> runtime.register(spec("future", "EchoHandler::handleRequest", 10, 512, "java99",
                FunctionSpec.UNRESERVED, Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a Java 99 or newer, and none is installed")
                .hasMessageContaining("--lambda-java-home");
    }

    @Test
    void aHandlerCompiledForANewerJavaThanTheRuntimeFailsAtInitAsOnAws() throws Exception {
        // a class file of version 69 (Java 25) for a java17 function: AWS's java17 cannot load it
        Path code = DIR.resolve("newer-code");
        Path cls = code.resolve("io/pushcqrs/Newer.class");
        Files.createDirectories(cls.getParent());
        Files.write(cls, new byte[]{(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 69});
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, false);
        runtime.register(new FunctionSpec("newer", ARN_PREFIX + "newer", "io.pushcqrs.Newer::handleRequest", code, Map.of(),
                10, 512, "java17", FunctionSpec.UNRESERVED));
        InvokeResult r = runtime.invoke("newer", bytes("{}"));
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(json(r).get("errorType").asText()).isEqualTo("java.lang.UnsupportedClassVersionError");
        // the words of the Java runtime interface client on AWS (seen on a Java 17 that cannot load the class)
        assertThat(json(r).get("errorMessage").asText()).isEqualTo("Error loading class io.pushcqrs.Newer: io/pushcqrs/Newer"
                + " has been compiled by a more recent version of the Java Runtime (class file version 69.0), this version"
                + " of the Java Runtime only recognizes class file versions up to 61.0");
        assertThat(runtime.processes()).isEmpty();
        assertThat(runtime.codeProblem("newer").orElseThrow()).startsWith("fails at init on AWS's java17");
        assertThat(Files.readString(runtime.invocationsLog())).contains("outcome=INIT_ERROR(Runtime.BadFunctionCode)");
    }

    @Test
    void reservedConcurrencyRefusesTheInvokeOverItAtOnce() throws Exception {
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, false);
        runtime.register(spec("one", "SleepingHandler::handleRequest", 30, 256, "java17", 1, Map.of()));
        runtime.register(spec("none", "SleepingHandler::handleRequest", 30, 256, "java17", 0, Map.of()));
        Path release = DIR.resolve("release-" + System.nanoTime());
        CompletableFuture<InvokeResult> running = CompletableFuture.supplyAsync(
                () -> runtime.invoke("one", bytes("{\"untilFile\":\"" + release + "\"}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(runtime.functionLog("one"))
                && Files.readString(runtime.functionLog("one")).contains("sleeping "));
        InvokeResult refused = runtime.invoke("one", bytes("{\"ms\":0}"));
        Files.createFile(release);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json(refused).get("Reason").asText()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
        assertThat(json(refused).get("message").asText()).isEqualTo("Rate Exceeded.");
        assertThat(runtime.environmentCount("one")).as("no environment was started for it").isEqualTo(1);
        assertThat(running.get(60, TimeUnit.SECONDS).functionError()).isNull();
        // after the first one ended, there is room again
        assertThat(runtime.invoke("one", bytes("{\"ms\":0}")).statusCode()).isEqualTo(200);
        // ReservedConcurrentExecutions 0: the function is throttled, always
        InvokeResult zero = runtime.invoke("none", bytes("{\"ms\":0}"));
        assertThat(zero.statusCode()).isEqualTo(429);
        assertThat(runtime.environmentCount("none")).isZero();
    }

    @Test
    void anInitLongerThanTenSecondsIsRetriedOnceWithinTheFunctionTimeout() throws Exception {
        runtime(Duration.ofSeconds(2), false); // Lambda's 10 s, shortened for the test
        Path marker = DIR.resolve("once-slow-" + System.nanoTime());
        Files.createDirectories(DIR);
        runtime.register(spec("once-slow", "OnceSlowInitHandler::handleRequest", 20, 256, "java17", FunctionSpec.UNRESERVED,
                Map.of("MARKER_FILE", marker.toString())));
        InvokeResult r = runtime.invoke("once-slow", bytes("{}"));
        assertThat(r.functionError()).as(new String(r.payload(), StandardCharsets.UTF_8)).isNull();
        String log = Files.readString(runtime.functionLog("once-slow"));
        assertThat(log).contains("[env-1] slow init", "[env-1] --- killed: init did not finish within 2000 ms",
                "init took longer than 2000 ms: retrying it for this invocation", "[env-2] quick init");

        // an init that stays slow: the retry runs out of the function's timeout, which is what the invoke says
        runtime.register(spec("slow-init", "SlowInitHandler::handleRequest", 3, 256, "java17", FunctionSpec.UNRESERVED, Map.of()));
        InvokeResult slow = runtime.invoke("slow-init", bytes("{}"));
        assertThat(json(slow).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(json(slow).get("errorMessage").asText()).contains(slow.requestId() + " Task timed out after 3.");
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.environmentCount("slow-init") == 0);
    }

    @Test
    void aCpuQuotaFollowsMemoryWhereTheMachineAllowsOne() throws Exception {
        try {
            CpuQuota.create(Path.of("/sys/fs/cgroup"), "pushcqrs-probe-" + ProcessHandle.current().pid()).close();
        } catch (IllegalStateException e) {
            Assumptions.abort("this machine does not allow a cgroup CPU quota: " + e.getMessage());
        }
        runtime(LambdaRuntime.DEFAULT_INIT_TIMEOUT, true);
        runtime.register(spec("quota", "EchoHandler::handleRequest", 10, 884, "java17", FunctionSpec.UNRESERVED, Map.of()));
        assertThat(runtime.invoke("quota", bytes("{}")).functionError()).isNull();
        // 884 MB: half of a 1,769 MB vCPU
        assertThat(Files.readString(runtime.functionLog("quota"))).containsPattern("CPU quota 0\\.49\\d* in /sys/fs/cgroup");
    }
}
