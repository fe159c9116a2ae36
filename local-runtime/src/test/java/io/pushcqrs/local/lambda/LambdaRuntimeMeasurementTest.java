package io.pushcqrs.local.lambda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints cold start, warm round trip and memory per environment (numbers for the record, not asserted: the
 * machine is shared).
 */
class LambdaRuntimeMeasurementTest {

    static final Path DIR = Path.of("target", "lambda-measurement-test").toAbsolutePath();

    @Test
    void measureColdStartWarmRoundTripAndMemory() throws Exception {
        ExecutionEnvironment.deleteQuietly(DIR);
        try (LambdaRuntime runtime = new LambdaRuntime(new LambdaRuntimeConfig(DIR.resolve("work"),
                DIR.resolve("logs"), LambdaRuntime.defaultRicClasspath(), Map.of(), 1, List.of()),
                Duration.ofSeconds(10), Duration.ofSeconds(60), null)) {
            runtime.register(new FunctionSpec("echo", "arn:aws:lambda:us-east-1:000000000000:function:echo",
                    "io.pushcqrs.local.lambda.testfn.SleepingHandler::handleRequest",
                    Path.of("target", "test-classes").toAbsolutePath(), Map.of(), 10, 512));
            byte[] payload = "{\"ms\":0}".getBytes(StandardCharsets.UTF_8);

            long t0 = System.nanoTime();
            InvokeResult cold = runtime.invoke("echo", payload);
            double coldMs = (System.nanoTime() - t0) / 1e6;
            assertThat(cold.functionError()).isNull();
            String log = Files.readString(runtime.functionLog("echo"));
            String init = log.replaceAll("(?s).*ready after (\\d+) ms.*", "$1");

            int n = 300;
            double[] warm = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                InvokeResult r = runtime.invoke("echo", payload);
                warm[i] = (System.nanoTime() - t) / 1e6;
                assertThat(r.functionError()).isNull();
            }
            Arrays.sort(warm);
            long pid = runtime.processes().get(0).pid();
            String rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            System.out.printf(Locale.ROOT, "MEASURED cold invoke %.0f ms (JVM start to first /next %s ms); "
                            + "warm round trip over %d invokes: median %.3f ms, p90 %.3f ms, max %.3f ms; "
                            + "environment %s%n", coldMs, init, n, warm[n / 2], warm[n * 9 / 10], warm[n - 1], rss);
        }
    }
}
