package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** cdk.json and the pinned CLI at the repository root. */
class ProjectFilesTest {
    private final Path root = Synth.REPO_ROOT;

    @Test
    void cdkJsonRunsTheJavaAppWithThisVersionsFeatureFlags() throws IOException {
        JsonNode cdkJson = Synth.JSON.readTree(root.resolve("cdk.json").toFile());
        assertThat(cdkJson.get("app").asText()).isEqualTo("bash infra/cdk-app.sh");
        assertThat(cdkJson.get("output").asText()).isEqualTo("cdk.out");
        JsonNode context = cdkJson.get("context");
        assertThat(context.get("@aws-cdk/aws-apigateway:disableCloudWatchRole").asBoolean()).isTrue();
        assertThat(context.get("@aws-cdk/aws-iam:minimizePolicies").asBoolean()).isTrue();
        assertThat(context.get("@aws-cdk/aws-lambda:useCdkManagedLogGroup").asBoolean()).isTrue();
        assertThat(context.get("@aws-cdk/core:target-partitions").size()).isEqualTo(2);
        assertThat(context.get("cli-telemetry").asBoolean(true)).isFalse();
        assertThat(context.size()).isGreaterThan(60);
        assertThat(root.resolve("infra/cdk-app.sh")).isRegularFile();
    }

    @Test
    void appDefaultsAreCdkJsonsContext() {
        Map<String, Object> defaults = InfraApp.defaultContext(root);
        assertThat(defaults).containsEntry("@aws-cdk/aws-iam:minimizePolicies", true)
                .containsEntry("aws:cdk:enable-asset-metadata", true)
                .containsEntry("aws:cdk:enable-path-metadata", true)
                .doesNotContainKey("stage");
    }

    @Test
    void theCdkCliIsPinned() throws IOException {
        JsonNode pkg = Synth.JSON.readTree(root.resolve("package.json").toFile());
        assertThat(pkg.at("/devDependencies/aws-cdk").asText()).isEqualTo("2.1148.1");
        JsonNode lock = Synth.JSON.readTree(root.resolve("package-lock.json").toFile());
        assertThat(lock.at("/packages/node_modules~1aws-cdk/version").asText()).isEqualTo("2.1148.1");
    }

    @Test
    void infraIsNotShadedAndNoCdkClassReachesALambdaJar() throws IOException {
        String infraPom = Files.readString(root.resolve("infra/pom.xml"));
        assertThat(infraPom).doesNotContain("maven-shade-plugin");
        assertThat(root.resolve("infra/.lambda-module")).doesNotExist();
        for (LambdaModule module : LambdaModule.values()) {
            Path moduleDir = root.resolve(module.moduleName());
            String pom = Files.readString(moduleDir.resolve("pom.xml"));
            assertThat(pom).as(module.moduleName()).doesNotContain("aws-cdk-lib", "<artifactId>infra</artifactId>");
            Path jar = moduleDir.resolve("target").resolve(module.jarFileName());
            if (Files.isRegularFile(jar)) { // built jars only: this module does not build them
                try (JarFile file = new JarFile(jar.toFile())) {
                    assertThat(Collections.list(file.entries())).as(jar.toString())
                            .noneMatch(e -> e.getName().startsWith("software/amazon/awscdk/")
                                    || e.getName().startsWith("software/constructs/")
                                    || e.getName().startsWith("io/pushcqrs/infra/"));
                }
            }
        }
    }
}
