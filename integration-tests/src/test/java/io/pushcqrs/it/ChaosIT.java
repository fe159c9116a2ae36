package io.pushcqrs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.stack.RunningStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short soak of docs/reliability.md ("Soak"): an embedded stack of its own started with faults on (invocations
 * that throw, time out or lose their JVM, the read side's DynamoDB throttled, failing and unreachable for a while, the
 * pollers and the projector's JVMs restarted), {@code ops-cli chaos} sending about 1,000 commands and a few poison
 * records; it must end with no missing, stale or orphan view and every poison record in the on-failure queue.
 * -Dit.chaosCount sets the number of commands.
 */
@Tag("stack")
class ChaosIT {
    static final String FAULTS = "seed=12,invoke.throw=0.05,invoke.timeout=0.02,invoke.kill=0.01,backend.throttle=0.05,"
            + "backend.5xx=0.02,backend.outage=5s@15s,runtime.restart=20s";

    private RunningStack stack;
    private PrintStream console;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void aShortSoakWithFaultsOnLosesNothingAndAccountsForEveryPoisonRecord() throws Exception {
        Path cdkOut = Synth.cdkOut();
        Path state = ItPaths.buildDir().resolve("chaos-stack");
        ItPaths.deleteRecursively(state);
        Files.createDirectories(state.resolve("logs"));
        console = new PrintStream(Files.newOutputStream(state.resolve("logs").resolve("console.log")), true, StandardCharsets.UTF_8);
        stack = LocalStackMain.startWith(console, "--port", "0", "--cdk-out", cdkOut.toString(), "--state-dir", state.toString(),
                "--log-dir", state.resolve("logs").toString(), "--max-envs", "2", "--faults", FAULTS);
        assertThat(stack.summary()).contains("Faults          mapped invocations: throw 5.0 %");

        Path results = state.resolve("results");
        Path jar = ItPaths.repoRoot().resolve("ops-cli/target/ops-cli.jar");
        assertThat(jar).as("ops-cli is packaged before this module's integration tests").isRegularFile();
        Path out = state.resolve("chaos.out");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-jar", jar.toString(), "chaos", "--outputs", state.resolve("outputs.json").toString(),
                "--count", System.getProperty("it.chaosCount", "1000"), "--poison", "3", "--threads", "6",
                "--sync-timeout", "5m", "--results", results.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the soak finished").isTrue();
        String printed = Files.readString(out);
        System.out.println(printed);

        assertThat(p.exitValue()).as(printed).isZero();
        Path json;
        try (Stream<Path> files = Files.list(results)) {
            json = files.filter(f -> f.toString().endsWith("-chaos.json")).findFirst().orElseThrow();
        }
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.at("/check_sync/missing").asLong()).isZero();
        assertThat(r.at("/check_sync/stale").asLong()).isZero();
        assertThat(r.at("/check_sync/orphan").asLong()).isZero();
        assertThat(r.path("poison_in_on_failure_queue").asLong()).isEqualTo(3);
        assertThat(r.path("unexpected_count").asLong()).isZero();
        JsonNode injected = r.path("faults_injected");
        assertThat(injected.path("backendThrottled").asLong() + injected.path("backend5xx").asLong()
                + injected.path("backendUnreachable").asLong()).as("backend faults were injected").isPositive();
        assertThat(injected.path("restarts").asLong()).as("the pollers were restarted under load").isPositive();
    }
}
