package io.pushcqrs.it;

import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.stack.RunningStack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Target 1, always: the embedded local stack (local-runtime/, no Docker) started in this JVM on a free port from the
 * cloud assembly {@link Synth} wrote, with its state and logs under {@code integration-tests/target/embedded-stack/}.
 * The stack's console (one line per API request, per stream batch...) goes to {@code console.log} there; a failing
 * scenario prints the tail of every log. This is the fast path ({@code -Dit.deploy=assembly}, the default); the CDK
 * CLI's deploy path is {@link CdkDeployIT}.
 */
@org.junit.jupiter.api.extension.ExtendWith(DeployPath.Assembly.class)
class EmbeddedStackIT extends NotificationScenarios {
    private RunningStack stack;
    private PrintStream console;
    private Path stateDir;
    private Thread stopOnExit;

    @Override
    protected Target startTarget() throws IOException {
        Path cdkOut = Synth.cdkOut();
        stateDir = ItPaths.buildDir().resolve("embedded-stack");
        ItPaths.deleteRecursively(stateDir);
        Files.createDirectories(stateDir.resolve("logs"));
        OutputStream file = Files.newOutputStream(stateDir.resolve("logs").resolve("console.log"));
        console = new PrintStream(file, true, StandardCharsets.UTF_8);
        stack = LocalStackMain.startWith(console,
                "--port", "0",
                "--cdk-out", cdkOut.toString(),
                "--state-dir", stateDir.toString(),
                "--log-dir", stateDir.resolve("logs").toString(),
                "--max-envs", System.getProperty("it.maxEnvs", "2"));
        // A JVM stopped before @AfterAll (failsafe's timeout, Ctrl-C) still stops moto and the function JVMs.
        RunningStack started = stack;
        stopOnExit = new Thread(started::close, "embedded-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        System.out.print(stack.summary());
        return Target.fromOutputs("embedded local stack", stack.outputs());
    }

    @Override
    protected void stopTarget() {
        if (stack != null) {
            stack.close();
            stack = null;
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (console != null) {
            console.close();
        }
    }

    /** The last lines of every log of the stack: API requests, invocations, stream batches, each function's output. */
    @Override
    protected String diagnostics() {
        Path logs = stateDir == null ? null : stateDir.resolve("logs");
        if (logs == null || !Files.isDirectory(logs)) {
            return "";
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(logs)) {
            list.filter(p -> p.toString().endsWith(".log") && !p.getFileName().toString().equals("console.log"))
                    .sorted(Comparator.comparing(p -> order(p.getFileName().toString())))
                    .forEach(files::add);
        } catch (IOException e) {
            return "(cannot list " + logs + ": " + e.getMessage() + ")";
        }
        StringBuilder s = new StringBuilder("[it] ---- the embedded stack's logs (" + logs + "), last lines of each ----\n");
        for (Path f : files) {
            s.append("[it] ==> ").append(f.getFileName()).append(" <==\n").append(tail(f, 25)).append('\n');
        }
        return s.toString();
    }

    private static String order(String name) {
        return switch (name) {
            case "api.log" -> "0";
            case "invocations.log" -> "1";
            case "esm.log" -> "2";
            case "edge.log" -> "3";
            default -> "4" + name;
        };
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }
}
