package io.pushcqrs.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.stack.RunningStack;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LocalStackMainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static Path fixture() throws URISyntaxException {
        return Path.of(LocalStackMainTest.class.getResource("/template/assembly").toURI());
    }

    private int run(String... args) {
        LocalStackMain main = new LocalStackMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(main).setErr(new PrintWriter(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutCdkOutItSaysWhatToRunAndExits1(@TempDir Path dir) {
        int code = run("--cdk-out", dir.resolve("cdk.out").toString(), "--state-dir", dir.resolve(".local").toString());
        assertThat(code).isEqualTo(1);
        assertThat(errText()).startsWith("local stack: no cdk.out folder at").contains("npx cdk synth")
                .contains("scripts/local-up.sh").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve(".local/local.pid")).doesNotExist();
    }

    @Test
    void aPortTakenByAnotherProgramIsSaidSo(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int code = run("--cdk-out", fixture().toString(), "--state-dir", dir.toString(),
                    "--port", String.valueOf(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
            assertThat(errText()).contains("the port " + taken.getLocalPort() + " on 127.0.0.1 is in use by another program")
                    .contains("--port");
        }
    }

    @Test
    void aPortTakenByARunningStackSaysAlreadyRunningWithItsPid(@TempDir Path dir) throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext(EdgeServer.HEALTH_PATH, ex -> {
            byte[] body = ("{\"service\":\"" + LocalStackMain.SERVICE + "\",\"status\":\"running\",\"pid\":4242,"
                    + "\"stateDir\":\"/somewhere/.local\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        fake.start();
        try {
            int code = run("--cdk-out", fixture().toString(), "--state-dir", dir.toString(),
                    "--port", String.valueOf(fake.getAddress().getPort()));
            assertThat(code).isEqualTo(1);
            assertThat(errText()).contains("a local stack is already running on http://127.0.0.1:" + fake.getAddress().getPort())
                    .contains("pid 4242").contains("/somewhere/.local/local.pid").contains("scripts/local-down.sh");
        } finally {
            fake.stop(0);
        }
    }

    /** Stands in for a first stack: a JVM that lives until it is killed. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(120_000);
        }
    }

    @Test
    void aLivePidFileInTheStateFolderRefusesASecondStack(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process first = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Sleeper.class.getName()).start();
        try {
            Files.writeString(dir.resolve("local.pid"), first.pid() + "\n");
            int code = run("--cdk-out", fixture().toString(), "--state-dir", dir.toString(), "--port", "0");
            assertThat(code).isEqualTo(1);
            assertThat(errText()).contains("a local stack is already running from " + dir)
                    .contains("pid " + first.pid()).contains("scripts/local-down.sh");
            assertThat(dir.resolve("local.pid")).hasContent(String.valueOf(first.pid()));
        } finally {
            first.destroyForcibly().waitFor();
        }
        // a pid file whose process is gone is stale: it does not stop a start (here: stopped later by the port)
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            run("--cdk-out", fixture().toString(), "--state-dir", dir.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(errText()).contains("in use by another program");
        }
    }

    @Test
    void withoutMotoItSaysHowToInstallItAndExits1(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LocalStackMain.class.getName(), "--cdk-out", fixture().toString(), "--state-dir", dir.toString(),
                "--port", "0").redirectErrorStream(true);
        pb.environment().put("MOTO_PYTHON", dir.resolve("no-such-python").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output).startsWith("local stack: ").contains("no-such-python was not found")
                .contains("pip install \"moto[server]\"").doesNotContain("\tat ");
        assertThat(dir.resolve("local.pid")).doesNotExist();
    }

    @Test
    void aBadOptionIsAUsageError() {
        assertThat(run("--max-envs", "zero")).isEqualTo(2);
        assertThat(errText()).contains("--max-envs");
        assertThat(run("--max-envs", "0")).isEqualTo(1);
        assertThat(errText()).contains("--max-envs must be at least 1");
        assertThat(run("--iam", "strict")).isEqualTo(2);
        assertThat(errText()).contains("--iam must be enforce, audit or off, not 'strict'");
        assertThat(run("--poller-idle-ms", "0")).isEqualTo(1);
        assertThat(errText()).contains("--poller-idle-ms must be from 1 to 60000");
        assertThat(run("--poller-idle-ms", "soon")).isEqualTo(2);
        assertThat(errText()).contains("--poller-idle-ms");
    }

    @Test
    void startsFromTheFixtureWritesOutputsAnswersHealthAndStopsEverything(@TempDir Path dir) throws Exception {
        RunningStack running = LocalStackMain.startWith(new PrintStream(out, true, StandardCharsets.UTF_8),
                "--cdk-out", fixture().toString(), "--state-dir", dir.resolve("state").toString(),
                "--port", "0", "--api-key", "local-test-key-123456789");
        MotoServer moto = running.moto();
        String endpoint = running.endpoint();
        try {
            // outputs.json, flat like cdk deploy --outputs-file
            JsonNode outputs = JSON.readTree(dir.resolve("state/outputs.json").toFile());
            String apiId = running.model().apis().get(0).id();
            assertThat(outputs.path("Endpoint").asText()).isEqualTo(endpoint);
            assertThat(outputs.path("ApiUrl").asText()).isEqualTo(endpoint + "/restapis/" + apiId + "/dev/_user_request_");
            assertThat(outputs.path("ApiKey").asText()).isEqualTo("local-test-key-123456789");
            assertThat(outputs.path("CommandTable").asText()).isEqualTo("fx-command-records");
            assertThat(outputs.path("NotificationTable").asText()).isEqualTo("fx-notification-records");
            assertThat(outputs.path("DlqUrl").asText()).isEqualTo(endpoint + "/000000000000/fx-stream-processor-dlq");
            assertThat(outputs.path("CommandStreamArn").asText()).startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/fx-command-records/stream/");
            assertThat(outputs.path("StackName").asText()).isEqualTo("fx-notification-cqrs");
            assertThat(dir.resolve("state/local.pid")).hasContent(String.valueOf(ProcessHandle.current().pid()));

            String summary = out.toString(StandardCharsets.UTF_8);
            assertThat(summary).contains("Local stack fx-notification-cqrs is running").contains(endpoint)
                    .contains("local-test-key-123456789").contains("fx-command-records").contains("fx-query-lambda")
                    .contains("Stop with Ctrl-C")
                    // IAM is enforced by default: one line says what is evaluated
                    .contains("  IAM             enforce: 4 role(s) with 4 policies for 4 function(s), 9 Lambda permission(s)");

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(endpoint + EdgeServer.HEALTH_PATH)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode h = JSON.readTree(health.body());
            assertThat(h.path("service").asText()).isEqualTo(LocalStackMain.SERVICE);
            assertThat(h.path("status").asText()).isEqualTo("running");
            assertThat(h.path("moto").path("status").asText()).isEqualTo("up");
            assertThat(h.path("functions")).hasSize(4);
            assertThat(h.path("pollers")).hasSize(1);
            assertThat(h.path("pollers").get(0).path("running").asBoolean()).isTrue();
            assertThat(h.path("iam").path("mode").asText()).isEqualTo("enforce");
            assertThat(h.path("iam").path("denied").asLong()).isZero();

            // the edge forwards AWS calls to the stack's moto: the template's tables are there
            try (DynamoDbClient ddb = LocalAws.dynamoDb(URI.create(endpoint))) {
                assertThat(ddb.listTables().tableNames()).contains("fx-command-records", "fx-notification-records");
            }
            assertThat(Files.list(dir.resolve("state/checkpoints")).count()).isLessThanOrEqualTo(1);

            // an invocation (here of a placeholder jar, which fails) is printed to the stack's stream, not System.out
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(endpoint + "/dev/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isGreaterThanOrEqualTo(500);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("INVOKE fx-query-lambda");
        } finally {
            running.close();
        }
        assertThat(moto.isAlive()).isFalse();
        assertThat(dir.resolve("state/local.pid")).doesNotExist();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(endpoint + EdgeServer.HEALTH_PATH)).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class));
    }
}
