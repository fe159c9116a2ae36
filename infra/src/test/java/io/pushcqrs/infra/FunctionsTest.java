package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.pushcqrs.infra.Synth.json;
import static io.pushcqrs.infra.Synth.ref;
import static org.assertj.core.api.Assertions.assertThat;

class FunctionsTest {
    private static final String TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void exactlyFourFunctionsAndNoHelperFunctions() {
        dev.template().resourceCountIs("AWS::Lambda::Function", 4);
        dev.template().resourceCountIs("Custom::LogRetention", 0);
        dev.template().resourceCountIs("AWS::Lambda::LayerVersion", 0);
    }

    @Test
    void namesHandlersRuntimeAndArchitecture() {
        Map<LambdaModule, String> handlers = Map.of(
                LambdaModule.COMMAND, "io.pushcqrs.command.CommandApiHandler::handleRequest",
                LambdaModule.STREAM_PROCESSOR, "io.pushcqrs.projection.StreamHandler::handleRequest",
                LambdaModule.QUERY_RESULT, "io.pushcqrs.queryresult.QueryResultHandler::handleRequest",
                LambdaModule.QUERY, "io.pushcqrs.query.QueryApiHandler::handleRequest");
        Map<LambdaModule, String> names = Map.of(
                LambdaModule.COMMAND, "dev-command-lambda",
                LambdaModule.STREAM_PROCESSOR, "dev-stream-processor",
                LambdaModule.QUERY_RESULT, "dev-query-result-lambda",
                LambdaModule.QUERY, "dev-query-lambda");
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode p = dev.properties(dev.functionId(module));
            assertThat(p.get("FunctionName").asText()).isEqualTo(names.get(module));
            assertThat(p.get("Handler").asText()).isEqualTo(handlers.get(module));
            assertThat(p.get("Runtime").asText()).isEqualTo("java21");
            assertThat(p.get("Architectures")).isEqualTo(json("[\"x86_64\"]"));
        }
    }

    /** Lambda's JSON log format: the runtime gets AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL=INFO. */
    @Test
    void everyFunctionLogsInLambdasJsonFormatAtInfo() {
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode logging = dev.properties(dev.functionId(module)).get("LoggingConfig");
            assertThat(logging.path("LogFormat").asText()).as(module.moduleName()).isEqualTo("JSON");
            assertThat(logging.path("ApplicationLogLevel").asText()).isEqualTo("INFO");
            assertThat(logging.path("SystemLogLevel").asText()).isEqualTo("INFO");
            assertThat(logging.has("LogGroup")).isTrue();
        }
    }

    @Test
    void memoryAndTimeoutsAreDeliberate() {
        assertThat(memory(LambdaModule.COMMAND)).isEqualTo(1024);
        assertThat(memory(LambdaModule.STREAM_PROCESSOR)).isEqualTo(512);
        assertThat(memory(LambdaModule.QUERY_RESULT)).isEqualTo(1024);
        assertThat(memory(LambdaModule.QUERY)).isEqualTo(1024);

        assertThat(timeout(LambdaModule.COMMAND)).isEqualTo(15);
        assertThat(timeout(LambdaModule.STREAM_PROCESSOR)).isEqualTo(60);
        assertThat(timeout(LambdaModule.QUERY_RESULT)).isEqualTo(10);
        assertThat(timeout(LambdaModule.QUERY)).isEqualTo(20);
        // API-facing functions answer within API Gateway's 29 s integration timeout ...
        assertThat(timeout(LambdaModule.COMMAND)).isLessThan(29);
        assertThat(timeout(LambdaModule.QUERY)).isLessThan(29);
        // ... and query-lambda outlives the query-result-lambda call it waits for.
        assertThat(timeout(LambdaModule.QUERY)).isGreaterThan(timeout(LambdaModule.QUERY_RESULT));
    }

    @Test
    void environmentVariablesAreExactly() {
        String commandTable = dev.tableId("command-records");
        String notificationTable = dev.tableId("notification-records");

        assertThat(env(LambdaModule.COMMAND)).isEqualTo(Map.of(
                "COMMAND_TABLE", ref(commandTable),
                "JAVA_TOOL_OPTIONS", json("\"" + TOOL_OPTIONS + "\"")));
        assertThat(env(LambdaModule.STREAM_PROCESSOR)).isEqualTo(Map.of(
                "NOTIFICATION_TABLE", ref(notificationTable),
                "ON_FAILURE_QUEUE_URL", ref(dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq")),
                "JAVA_TOOL_OPTIONS", json("\"" + TOOL_OPTIONS + "\"")));
        assertThat(env(LambdaModule.QUERY_RESULT)).isEqualTo(Map.of(
                "NOTIFICATION_TABLE", ref(notificationTable),
                "MARKETING_INDEX", json("\"marketing-index\""),
                "TRANSACTION_INDEX", json("\"transaction-index\""),
                "SNS_INDEX", json("\"sns-index\""),
                "FAILURES_INDEX", json("\"failures-index\""),
                "CURSOR_SECRET_ARN", ref(dev.logicalId("AWS::SecretsManager::Secret", p -> true)),
                "JAVA_TOOL_OPTIONS", json("\"" + TOOL_OPTIONS + "\"")));
        assertThat(env(LambdaModule.QUERY)).isEqualTo(Map.of(
                "QUERY_RESULT_FUNCTION", ref(dev.functionId(LambdaModule.QUERY_RESULT)),
                "JAVA_TOOL_OPTIONS", json("\"" + TOOL_OPTIONS + "\"")));
    }

    @Test
    void eachFunctionLogsToItsOwnLogGroupWithRetention() {
        dev.template().resourceCountIs("AWS::Logs::LogGroup", 4);
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode p = dev.properties(dev.functionId(module));
            String logGroupId = p.at("/LoggingConfig/LogGroup/Ref").asText();
            JsonNode logGroup = dev.properties(logGroupId);
            assertThat(logGroup.get("LogGroupName").asText()).isEqualTo("/aws/lambda/dev-" + module.moduleName());
            assertThat(logGroup.get("RetentionInDays").asInt()).isEqualTo(30);
            assertThat(dev.resource(logGroupId).get("DeletionPolicy").asText()).isEqualTo("Retain");
        }
    }

    @Test
    void eachFunctionHasItsOwnRole() {
        Set<String> roles = new HashSet<>();
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode role = dev.properties(dev.functionId(module)).get("Role");
            assertThat(role.path("Fn::GetAtt").get(1).asText()).isEqualTo("Arn");
            roles.add(role.path("Fn::GetAtt").get(0).asText());
        }
        assertThat(roles).hasSize(4);
    }

    @Test
    void codeIsEachModulesJarStagedAsAnAsset() throws IOException {
        Set<String> keys = new HashSet<>();
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode fn = dev.resource(dev.functionId(module));
            String s3Key = fn.at("/Properties/Code/S3Key").asText();
            assertThat(s3Key).endsWith(".jar");
            keys.add(s3Key);
            String assetPath = fn.at("/Metadata/aws:asset:path").asText();
            assertThat(assetPath).startsWith("asset.").endsWith(".jar");
            Path staged = dev.outdir().resolve(assetPath);
            assertThat(staged).isRegularFile();
            assertThat(Files.readAllBytes(staged))
                    .as("the staged asset of %s is its jar", module)
                    .isEqualTo(Files.readAllBytes(Synth.JAR_DIR.resolve(module.jarFileName())));
        }
        assertThat(keys).as("four distinct assets").hasSize(4);
    }

    @Test
    void noDeadLetterConfigOnTheFunctionsThemselves() {
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode p = dev.properties(dev.functionId(module));
            assertThat(p.has("DeadLetterConfig")).isFalse();
            assertThat(p.has("VpcConfig")).isFalse();
        }
    }

    private int memory(LambdaModule module) {
        return dev.properties(dev.functionId(module)).get("MemorySize").asInt();
    }

    private int timeout(LambdaModule module) {
        return dev.properties(dev.functionId(module)).get("Timeout").asInt();
    }

    private Map<String, JsonNode> env(LambdaModule module) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        dev.properties(dev.functionId(module)).at("/Environment/Variables").properties()
                .forEach(e -> env.put(e.getKey(), e.getValue()));
        return env;
    }
}
