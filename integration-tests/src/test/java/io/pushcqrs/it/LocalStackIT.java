package io.pushcqrs.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Target 2: LocalStack in Testcontainers, with the same cloud assembly deployed to it by
 * {@code scripts/deploy-localstack.sh --cdk-out integration-tests/target/cdk.out} (cdk bootstrap + cdk deploy,
 * outputs in the embedded stack's flat form). Skipped, saying why, where no Docker engine runs.
 * <p>
 * The image is {@code -Dit.localstack.image} (default: the pom's {@code localstack/localstack:4.14.0}, the last
 * community tag that starts without an auth token); {@code LOCALSTACK_AUTH_TOKEN} is passed to the container when
 * set (required from 4.15 / 2026.03 on). Lambda functions run in containers that LocalStack starts through the
 * Docker socket Testcontainers mounts. See docs/localstack.md.
 */
@ExtendWith(DockerAvailable.class)
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT extends NotificationScenarios {
    private static final long DEPLOY_TIMEOUT_MINUTES = 15;
    private LocalStackContainer localstack;

    @Override
    protected Target startTarget() throws Exception {
        Path cdkOut = Synth.cdkOut();
        DockerImageName image = DockerImageName.parse(System.getProperty("it.localstack.image", "localstack/localstack:4.14.0"))
                .asCompatibleSubstituteFor("localstack/localstack");
        localstack = new LocalStackContainer(image)
                // Java cold starts and the first pull of the java21 runtime image take longer than the default 20 s.
                .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "180")
                // the functions are x86_64 jars that run on any architecture: no emulation on arm64 hosts
                .withEnv("LAMBDA_IGNORE_ARCHITECTURE", "1");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            localstack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        localstack.start();
        String endpoint = localstack.getEndpoint().toString();
        System.out.println("[it] LocalStack " + image + " at " + endpoint + "; deploying " + cdkOut);

        Path work = ItPaths.buildDir().resolve("localstack");
        Files.createDirectories(work);
        Path outputs = work.resolve("outputs.json");
        Path log = work.resolve("deploy.log");
        Path root = ItPaths.repoRoot();
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", root.resolve("scripts/deploy-localstack.sh").toString(),
                "--cdk-out", cdkOut.toString(), "--outputs", outputs.toString()))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_ACCESS_KEY_ID", localstack.getAccessKey());
        env.put("AWS_SECRET_ACCESS_KEY", localstack.getSecretKey());
        env.put("AWS_REGION", localstack.getRegion());
        env.put("AWS_DEFAULT_REGION", localstack.getRegion());
        Process p = pb.start();
        if (!p.waitFor(DEPLOY_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/deploy-localstack.sh did not finish within " + DEPLOY_TIMEOUT_MINUTES
                    + " minutes; the end of " + log + ":\n" + Synth.tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("scripts/deploy-localstack.sh failed (exit " + p.exitValue() + "); the end of "
                    + log + ":\n" + Synth.tail(log));
        }
        System.out.println(Synth.tail(log));
        return Target.fromOutputs("LocalStack " + image.getVersionPart(), Target.readOutputs(outputs));
    }

    /** LocalStack runs each function in a container: cold starts and stream polling are slower than the embedded stack. */
    @Override
    protected double timeoutScale() {
        return 3;
    }

    @Override
    protected void stopTarget() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    protected String diagnostics() {
        if (localstack == null || !localstack.isRunning()) {
            return "";
        }
        String[] lines = localstack.getLogs().split("\n");
        StringBuilder s = new StringBuilder("[it] ---- the last lines of LocalStack's log ----\n");
        for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
            s.append(lines[i]).append('\n');
        }
        return s.toString();
    }
}
