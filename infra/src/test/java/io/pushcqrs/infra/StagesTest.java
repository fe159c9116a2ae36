package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names are stage-parameterised; context switches (ephemeral, apiKeyValue) work; no cursor key is configured. */
class StagesTest {
    private static final String PROD_KEY = "prod-api-key-value-0123456789";

    private final Synth.Synthesized dev = Synth.dev();
    private final Synth.Synthesized prod = Synth.of(Map.of("stage", "prod", "ephemeral", "true",
            "apiKeyValue", PROD_KEY));

    @Test
    void everyPhysicalNameCarriesTheStage() {
        Set<String> devNames = physicalNames(dev);
        Set<String> prodNames = physicalNames(prod);
        assertThat(devNames).hasSize(prodNames.size()).hasSizeGreaterThan(20);
        assertThat(devNames).allSatisfy(n -> assertThat(n).matches("(/aws/lambda/)?dev-.*"));
        assertThat(prodNames).allSatisfy(n -> assertThat(n).matches("(/aws/lambda/)?prod-.*"));
        assertThat(prodNames).doesNotContainAnyElementsOf(devNames);
        assertThat(prodNames).contains("prod-command-records", "prod-notification-records",
                "prod-command-lambda", "prod-stream-processor", "prod-query-result-lambda", "prod-query-lambda",
                "prod-stream-processor-dlq", "prod-notification-api", "prod-notification-api-key",
                "prod-notification-cqrs");
        assertThat(dev.stack().getStackName()).isEqualTo("dev-notification-cqrs");
        assertThat(prod.stack().getStackName()).isEqualTo("prod-notification-cqrs");
        JsonNode stage = prod.ofType("AWS::ApiGateway::Stage").values().iterator().next();
        assertThat(stage.at("/Properties/StageName").asText()).isEqualTo("prod");
    }

    @Test
    void ephemeralStagesDestroyTheirDataOnDeletion() {
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Logs::LogGroup")) {
            assertThat(prod.ofType(type).values()).allSatisfy(r -> {
                assertThat(r.get("DeletionPolicy").asText()).isEqualTo("Delete");
                assertThat(r.get("UpdateReplacePolicy").asText()).isEqualTo("Delete");
            });
            assertThat(dev.ofType(type).values()).allSatisfy(r ->
                    assertThat(r.get("DeletionPolicy").asText()).isEqualTo("Retain"));
        }
    }

    @Test
    void apiKeyValueComesFromContext() {
        JsonNode key = prod.ofType("AWS::ApiGateway::ApiKey").values().iterator().next().get("Properties");
        assertThat(key.get("Value").asText()).isEqualTo(PROD_KEY);
        assertThat(key.get("Name").asText()).isEqualTo("prod-notification-api-key");
    }

    @Test
    void theCursorKeyIsGeneratedPerDeploymentAndNoWarningIsLeft() {
        for (Synth.Synthesized s : List.of(dev, prod)) {
            JsonNode env = s.properties(s.functionId(LambdaModule.QUERY_RESULT)).at("/Environment/Variables");
            assertThat(env.has("CURSOR_SECRET")).isFalse();
            assertThat(env.get("CURSOR_SECRET_ARN").has("Ref")).isTrue();
            Annotations.fromStack(s.stack()).hasNoWarning("*", Match.anyValue());
        }
    }

    @Test
    void theOldCursorSecretContextIsRefused() {
        assertThatThrownBy(() -> InfraApp.createStack(Synth.app(Map.of("cursorSecret", "a-key-of-my-choosing-0123")),
                Synth.REPO_ROOT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursorSecret is no longer used").hasMessageContaining("Secrets Manager");
    }

    @Test
    void badStageNamesFailSynthesisWithAClearMessage() {
        for (String bad : List.of("Prod", "1dev", "dev_x", "a-very-long-stage-name-x", "dev.1")) {
            assertThatThrownBy(() -> InfraApp.createStack(Synth.app(Map.of("stage", bad)), Synth.REPO_ROOT))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a valid stage name");
        }
    }

    @Test
    void shortKeysAreRejected() {
        assertThatThrownBy(() -> InfraApp.createStack(Synth.app(Map.of("apiKeyValue", "short")), Synth.REPO_ROOT))
                .hasMessageContaining("apiKeyValue");
    }

    @Test
    void missingJarsFailSynthesisNamingTheBuildCommand(@TempDir Path emptyRoot) {
        assertThatThrownBy(() -> InfraConfig.resolveJars(emptyRoot, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("command-lambda.jar")
                .hasMessageContaining("query-lambda.jar")
                .hasMessageContaining("mvn -B package -DskipTests");
        assertThatThrownBy(() -> InfraApp.createStack(Synth.app(Map.of("lambdaJarDir", emptyRoot.toString())),
                Synth.REPO_ROOT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lambdaJarDir");
    }

    @Test
    void byDefaultTheJarsAreTheModulesTargetJars(@TempDir Path root) throws IOException {
        for (LambdaModule module : LambdaModule.values()) {
            Path target = Files.createDirectories(root.resolve(module.moduleName()).resolve("target"));
            Files.write(target.resolve(module.moduleName() + ".jar"), new byte[]{1});
        }
        Map<LambdaModule, Path> jars = InfraConfig.resolveJars(root, null);
        assertThat(jars.get(LambdaModule.COMMAND)).isEqualTo(root.resolve("command-lambda/target/command-lambda.jar"));
        assertThat(jars.get(LambdaModule.STREAM_PROCESSOR))
                .isEqualTo(root.resolve("stream-processor/target/stream-processor.jar"));
        assertThat(jars.get(LambdaModule.QUERY_RESULT))
                .isEqualTo(root.resolve("query-result-lambda/target/query-result-lambda.jar"));
        assertThat(jars.get(LambdaModule.QUERY)).isEqualTo(root.resolve("query-lambda/target/query-lambda.jar"));
    }

    @Test
    void theRepositoryRootIsFoundFromTheRootAndFromInfra() {
        Path root = Synth.REPO_ROOT;
        assertThat(root.resolve("infra/pom.xml")).isRegularFile();
        assertThat(RepoPaths.searchUpwards(root)).isEqualTo(root);
        assertThat(RepoPaths.searchUpwards(root.resolve("infra"))).isEqualTo(root);
        assertThat(RepoPaths.searchUpwards(root.resolve("infra/src/main/java"))).isEqualTo(root);
    }

    /** Every Name-like property of every resource plus the stack-level ones. */
    private static Set<String> physicalNames(Synth.Synthesized s) {
        Set<String> names = new HashSet<>();
        List<String> nameProperties = List.of("TableName", "FunctionName", "QueueName", "LogGroupName", "Name",
                "UsagePlanName", "AlarmName", "DashboardName");
        s.resources().forEach(r -> {
            JsonNode p = r.path("Properties");
            for (String property : nameProperties) {
                JsonNode value = p.get(property);
                if (value != null && value.isTextual()) {
                    if (property.equals("Name") && r.get("Type").asText().equals("AWS::ApiGateway::Model")) {
                        continue; // model names are per API, not account-wide
                    }
                    names.add(value.asText());
                }
            }
        });
        names.add(s.stack().getStackName());
        return names;
    }
}
