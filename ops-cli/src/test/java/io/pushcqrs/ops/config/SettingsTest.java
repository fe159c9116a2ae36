package io.pushcqrs.ops.config;

import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.aws.AwsClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private static final String OUTPUTS = """
            {"Endpoint":"http://127.0.0.1:4566",
             "ApiUrl":"http://127.0.0.1:4566/restapis/abc123/dev/_user_request_/",
             "ApiKey":"key-123","CommandTable":"dev-command-records-x",
             "NotificationTable":"dev-notification-records-x","DlqUrl":"http://127.0.0.1:4566/000/dlq"}
            """;

    @TempDir
    Path root;

    private Context ctx(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put(Context.ENV_REPO_ROOT, root.toString());
        PrintStream nul = new PrintStream(PrintStream.nullOutputStream());
        return new Context(e, nul, nul, false);
    }

    private void writeOutputs(String json) throws Exception {
        Files.createDirectories(root.resolve(".local"));
        Files.writeString(root.resolve(".local/outputs.json"), json);
    }

    private static ConnectionOptions flags(String endpoint, String apiUrl, String apiKey, String cmd, String view,
                                           String region) {
        return ConnectionOptions.of(null, endpoint, apiUrl, apiKey, cmd, view, region);
    }

    @Test
    void readsEverythingFromTheOutputsFileInTheRepositoryRoot() throws Exception {
        writeOutputs(OUTPUTS);
        Settings s = flags(null, null, null, null, null, null).resolve(ctx(Map.of())).requireAws();
        assertThat(s.outputsFound()).isTrue();
        assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(s.apiUrl()).isEqualTo("http://127.0.0.1:4566/restapis/abc123/dev/_user_request_");
        assertThat(s.requireApiUrl()).isEqualTo(s.apiUrl());
        assertThat(s.apiKey()).isEqualTo("key-123");
        assertThat(s.commandTable()).isEqualTo("dev-command-records-x");
        assertThat(s.notificationTable()).isEqualTo("dev-notification-records-x");
        assertThat(s.region()).isEqualTo("us-east-1");
    }

    @Test
    void flagsOverrideTheOutputsFile() throws Exception {
        writeOutputs(OUTPUTS);
        Settings s = flags("http://localhost:9999", "http://localhost:9999/dev", "other", "c", "n", "eu-west-1")
                .resolve(ctx(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1111", "AWS_REGION", "ap-northeast-1")));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://localhost:9999"));
        assertThat(s.apiUrl()).isEqualTo("http://localhost:9999/dev");
        assertThat(s.apiKey()).isEqualTo("other");
        assertThat(s.commandTable()).isEqualTo("c");
        assertThat(s.notificationTable()).isEqualTo("n");
        assertThat(s.region()).isEqualTo("eu-west-1");
    }

    @Test
    void environmentOverridesTheOutputsEndpointAndSetsTheRegion() throws Exception {
        writeOutputs(OUTPUTS);
        Settings s = flags(null, null, null, null, null, null)
                .resolve(ctx(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1111", "AWS_REGION", "ap-northeast-1")));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:1111"));
        assertThat(s.region()).isEqualTo("ap-northeast-1");
        assertThat(s.commandTable()).isEqualTo("dev-command-records-x");

        Settings dynamo = flags(null, null, null, null, null, null).resolve(ctx(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:1111", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:2222")));
        assertThat(dynamo.endpoint()).isEqualTo(URI.create("http://127.0.0.1:2222"));
    }

    @Test
    void missingOutputsAndNoFlagsSaysHowToStartTheStack() {
        Settings s = flags(null, null, null, null, null, null).resolve(ctx(Map.of()));
        assertThat(s.outputsFound()).isFalse();
        assertThatThrownBy(s::requireAws).isInstanceOf(OpsException.class)
                .hasMessageStartingWith("no .local/outputs.json: start the stack with scripts/local-up.sh --detach,"
                        + " or pass --api-url/--endpoint")
                .satisfies(e -> assertThat(((OpsException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        assertThatThrownBy(s::requireApiUrl).hasMessageContaining("scripts/local-up.sh --detach");
    }

    @Test
    void missingOutputsWithAnEndpointUsesTheDefaultTables() {
        Settings s = flags(null, null, null, null, null, null)
                .resolve(ctx(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"))).requireAws();
        assertThat(s.commandTable()).isEqualTo("dev-command-records");
        assertThat(s.notificationTable()).isEqualTo("dev-notification-records");
        assertThatThrownBy(s::requireApiUrl).hasMessageContaining("pass --api-url");
    }

    @Test
    void outputsWithoutApiUrlNamesTheFlag() throws Exception {
        writeOutputs("{\"Endpoint\":\"http://127.0.0.1:4566\"}");
        Settings s = flags(null, null, null, null, null, null).resolve(ctx(Map.of()));
        assertThatThrownBy(s::requireApiUrl).hasMessageContaining("has no ApiUrl: pass --api-url");
    }

    @Test
    void malformedOutputsIsAClearError() throws Exception {
        writeOutputs("{not json");
        assertThatThrownBy(() -> flags(null, null, null, null, null, null).resolve(ctx(Map.of())))
                .isInstanceOf(OpsException.class).hasMessageContaining("not valid JSON");
        writeOutputs("[1,2]");
        assertThatThrownBy(() -> flags(null, null, null, null, null, null).resolve(ctx(Map.of())))
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void nestedCdkOutputsAreFlattenedAndNamesMatchWithoutCase() throws Exception {
        writeOutputs("{\"NotificationCqrsStack\":{\"apiurl\":\"http://127.0.0.1:4566/dev\",\"APIKEY\":\"k\"}}");
        Settings s = flags(null, null, null, null, null, null).resolve(ctx(Map.of()));
        assertThat(s.apiUrl()).isEqualTo("http://127.0.0.1:4566/dev");
        assertThat(s.apiKey()).isEqualTo("k");
    }

    @Test
    void explicitOutputsFileMustExist() {
        ConnectionOptions o = ConnectionOptions.of(root.resolve("nope.json"), null, null, null, null, null, null);
        assertThatThrownBy(() -> o.resolve(ctx(Map.of()))).hasMessageContaining("no outputs file")
                .hasMessageContaining("nope.json");
    }

    @Test
    void badUrlsAreRejected() {
        assertThatThrownBy(() -> flags("localhost:4566", null, null, null, null, null).resolve(ctx(Map.of())))
                .hasMessageContaining("endpoint must be an http(s) URL");
        assertThatThrownBy(() -> flags(null, "ftp://x/y", null, null, null, null).resolve(ctx(Map.of())))
                .hasMessageContaining("API URL must be an http(s) URL");
    }

    @Test
    void localEndpointsAreRecognised() {
        assertThat(AwsClients.isLocal(URI.create("http://127.0.0.1:4566"))).isTrue();
        assertThat(AwsClients.isLocal(URI.create("http://localhost:4566"))).isTrue();
        assertThat(AwsClients.isLocal(URI.create("http://localstack:4566"))).isTrue();
        assertThat(AwsClients.isLocal(URI.create("https://dynamodb.us-east-1.amazonaws.com"))).isFalse();
        assertThat(AwsClients.isLocal(null)).isFalse();
    }

    @Test
    void commandLineWithoutOutputsFailsWithTheHintAndExit2() {
        Cli.Result r = Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()), "check-sync");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("error: no .local/outputs.json: start the stack with scripts/local-up.sh --detach,"
                + " or pass --api-url/--endpoint");
        Cli.Result q = Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()), "query", "user", "u-1");
        assertThat(q.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(q.err()).contains("no .local/outputs.json");
    }
}
