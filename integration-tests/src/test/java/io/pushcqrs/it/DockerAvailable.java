package io.pushcqrs.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Disables a class, saying why in one line, where no Docker engine is reachable. It looks first for any sign of an
 * engine (DOCKER_HOST, a Testcontainers docker.host setting, a Docker socket file): where there is none, it skips
 * right away, without Testcontainers' own probing and the error-level log lines it writes; otherwise it asks
 * Testcontainers. Put it before {@code @Testcontainers(disabledWithoutDocker = true)}, which then never runs on such
 * a machine.
 */
public final class DockerAvailable implements ExecutionCondition {
    private static volatile ConditionEvaluationResult cached;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        ConditionEvaluationResult result = cached;
        if (result == null) {
            result = evaluate();
            cached = result;
        }
        if (result.isDisabled() && context.getTestMethod().isEmpty()) {
            System.out.println("[it] " + context.getDisplayName() + " SKIPPED: " + result.getReason().orElse(""));
        }
        return result;
    }

    private static ConditionEvaluationResult evaluate() {
        List<String> looked = new ArrayList<>();
        boolean anySign = false;
        String dockerHost = System.getenv("DOCKER_HOST");
        looked.add("DOCKER_HOST" + (dockerHost == null || dockerHost.isBlank() ? " unset" : "=" + dockerHost));
        anySign |= dockerHost != null && !dockerHost.isBlank();
        Path tcProperties = Path.of(System.getProperty("user.home"), ".testcontainers.properties");
        if (Files.isRegularFile(tcProperties)) {
            try {
                anySign |= Files.readString(tcProperties).contains("docker.host");
            } catch (java.io.IOException e) {
                anySign = true; // let Testcontainers decide
            }
        }
        for (String socket : sockets()) {
            boolean exists = Files.exists(Path.of(socket));
            looked.add(socket + (exists ? " present" : " missing"));
            anySign |= exists;
        }
        String why = "no Docker engine is reachable (" + String.join(", ", looked) + "): LocalStack in Testcontainers needs one."
                + " The same scenarios ran against the embedded stack (EmbeddedStackIT); see docs/localstack.md to run this class.";
        if (!anySign) {
            return ConditionEvaluationResult.disabled(why);
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.disabled("Testcontainers found no working Docker environment (see its log above); "
                    + why);
        }
        return ConditionEvaluationResult.enabled("a Docker engine is reachable");
    }

    private static List<String> sockets() {
        List<String> sockets = new ArrayList<>(List.of("/var/run/docker.sock",
                Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock").toString(),
                Path.of(System.getProperty("user.home"), ".docker", "desktop", "docker.sock").toString(),
                Path.of(System.getProperty("user.home"), ".colima", "default", "docker.sock").toString(),
                Path.of(System.getProperty("user.home"), ".rd", "docker.sock").toString()));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock").toString());
            sockets.add(Path.of(runtimeDir, "podman", "podman.sock").toString());
        }
        return sockets;
    }
}
