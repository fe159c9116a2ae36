package io.pushcqrs.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cloud assembly every target runs: the real CDK app ({@code io.pushcqrs.infra.InfraApp}) synthesized from the
 * real Lambda jars ({@code <module>/target/<module>.jar}) into {@code integration-tests/target/cdk.out}, once per
 * JVM. The app runs in a child JVM on this JVM's class path (infra/ and aws-cdk-lib are test dependencies), with
 * CDK_OUTDIR and CDK_CONTEXT_JSON as the CDK CLI would pass them: stage {@value #STAGE}, ephemeral (so a LocalStack
 * stack deletes its tables with it). A child JVM keeps jsii's Node process out of the test JVM.
 * <p>
 * {@code -Dit.cdkOut=DIR} uses an existing cloud assembly instead (for example the repository's cdk.out).
 */
final class Synth {
    static final String STAGE = "it";
    private static final long TIMEOUT_SECONDS = 300;
    private static Path cdkOut;

    private Synth() {
    }

    /** The synthesized cloud assembly (synthesized on the first call of this JVM). */
    static synchronized Path cdkOut() {
        if (cdkOut == null) {
            String given = System.getProperty("it.cdkOut");
            cdkOut = given != null && !given.isBlank() ? existing(Path.of(given)) : synthesize();
        }
        return cdkOut;
    }

    private static Path existing(Path dir) {
        Path abs = dir.isAbsolute() ? dir : ItPaths.repoRoot().resolve(dir);
        try (Stream<Path> files = Files.list(abs)) {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(".template.json"))) {
                throw new IllegalStateException("-Dit.cdkOut=" + dir + ": no *.template.json in " + abs);
            }
        } catch (IOException e) {
            throw new IllegalStateException("-Dit.cdkOut=" + dir + ": cannot read " + abs + " (" + e.getMessage() + ")", e);
        }
        System.out.println("[it] using the cloud assembly " + abs + " (-Dit.cdkOut)");
        return abs.normalize();
    }

    private static Path synthesize() {
        Path root = ItPaths.repoRoot();
        Path out = ItPaths.buildDir().resolve("cdk.out");
        Path log = ItPaths.buildDir().resolve("cdk-synth.log");
        List<String> missing = new ArrayList<>();
        for (String module : List.of("command-lambda", "stream-processor", "query-result-lambda", "query-lambda")) {
            if (!Files.isRegularFile(root.resolve(module).resolve("target").resolve(module + ".jar"))) {
                missing.add(module + "/target/" + module + ".jar");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the Lambda jars are not built: " + missing
                    + "; build them first from the repository root: mvn -B package -DskipTests");
        }
        long t0 = System.nanoTime();
        try {
            ItPaths.deleteRecursively(out);
            Files.createDirectories(out);
            List<String> command = List.of(javaExecutable(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.io.tmpdir=" + ItPaths.buildDir(), "-Dinfra.repoRoot=" + root,
                    "-cp", System.getProperty("java.class.path"), "io.pushcqrs.infra.InfraApp");
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("CDK_OUTDIR", out.toString());
            env.put("CDK_CONTEXT_JSON", "{\"stage\":\"" + STAGE + "\",\"ephemeral\":\"true\"}");
            env.putIfAbsent("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
            env.putIfAbsent("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "true");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("CDK synthesis did not finish within " + TIMEOUT_SECONDS + " s; its output: "
                        + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("CDK synthesis failed (exit " + p.exitValue() + "); its output ("
                        + log + "):\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the CDK app: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while synthesizing", e);
        }
        System.out.printf("[it] synthesized the CDK app (stage %s) into %s in %.1f s%n", STAGE, out,
                (System.nanoTime() - t0) / 1e9);
        return out;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
