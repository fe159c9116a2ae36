package io.pushcqrs.infra;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** cfn-lint finds nothing in the synthesized templates (W3005, redundant DependsOn, is CDK's style). */
class CfnLintTest {

    @Test
    void synthesizedTemplatesPassCfnLint() throws IOException, InterruptedException {
        Path cfnLint = findOnPath("cfn-lint");
        if (cfnLint == null) {
            System.out.println("CfnLintTest skipped: cfn-lint is not on PATH (pip install cfn-lint)");
        }
        Assumptions.assumeTrue(cfnLint != null, "cfn-lint is not on PATH");

        Path dir = Files.createDirectories(Synth.BUILD_DIR.resolve("cfn-lint"));
        List<String> command = new ArrayList<>(List.of(cfnLint.toString()));
        for (Synth.Synthesized s : List.of(Synth.dev(), Synth.of(Map.of("stage", "prod", "ephemeral", "true",
                "apiKeyValue", "prod-api-key-value-0123456789")))) {
            Path template = dir.resolve(s.stack().getStackName() + ".template.json");
            Synth.JSON.writerWithDefaultPrettyPrinter().writeValue(template.toFile(), s.json());
            command.add(template.toString());
        }
        command.addAll(List.of("--ignore-checks", "W3005"));

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("cfn-lint finished").isTrue();
        assertThat(output).as("cfn-lint output").isBlank();
        assertThat(process.exitValue()).as("cfn-lint exit code; output:%n%s", output).isZero();
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
