package io.pushcqrs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.stack.RunningStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded stack enforces IAM as AWS does (its default, --iam enforce): the synthesized template with three
 * grants taken away, started once.
 * <ul>
 *   <li>{@code dynamodb:Query} removed from command-lambda's role: PATCH without {@code created_at} (which queries the
 *       transaction's items) fails with AccessDenied in the function's log; PATCH with it (GetItem, UpdateItem) works;</li>
 *   <li>the AWS::Lambda::Permission of {@code GET /health} removed: API Gateway cannot invoke query-lambda there and
 *       answers as AWS does (the template's DEFAULT_5XX), api.log says why; the other query routes work;</li>
 *   <li>{@code dynamodb:GetRecords} removed from stream-processor's role: the event source mapping is not started and
 *       {@code /_local/health} shows its state with AWS's reason.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamEnforcementIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunningStack stack;
    private PrintStream console;
    private Path logs;
    private Api api;
    private Target target;

    @BeforeAll
    void start() throws IOException {
        Path cdkOut = editedAssembly(Synth.cdkOut(), ItPaths.buildDir().resolve("iam-cdk.out"));
        Path state = ItPaths.buildDir().resolve("iam-stack");
        ItPaths.deleteRecursively(state);
        logs = state.resolve("logs");
        Files.createDirectories(logs);
        OutputStream file = Files.newOutputStream(logs.resolve("console.log"));
        console = new PrintStream(file, true, StandardCharsets.UTF_8);
        stack = LocalStackMain.startWith(console, "--port", "0", "--cdk-out", cdkOut.toString(),
                "--state-dir", state.toString(), "--log-dir", logs.toString(), "--max-envs", "1");
        target = Target.fromOutputs("embedded stack without three grants", stack.outputs());
        api = new Api(target);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (console != null) {
            console.close();
        }
    }

    /** The cloud assembly with the edited template; the assets are links to the synthesized ones. */
    private static Path editedAssembly(Path synthesized, Path dir) throws IOException {
        ItPaths.deleteRecursively(dir);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(synthesized)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".template.json")) {
                    ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
                    ObjectNode resources = (ObjectNode) root.path("Resources");
                    removeAction(resources, "CommandLambdaRoleDefaultPolicy", "dynamodb:Query");
                    removeAction(resources, "StreamProcessorRoleDefaultPolicy", "dynamodb:GetRecords");
                    resources.remove(id(resources, "NotificationApihealthGETApiPermission"));
                    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name).toFile(), root);
                } else if (name.endsWith(".json")) {
                    Files.copy(f, dir.resolve(name));
                } else {
                    Files.createSymbolicLink(dir.resolve(name), f);
                }
            }
        }
        return dir;
    }

    private static String id(ObjectNode resources, String prefix) {
        for (Iterator<String> it = resources.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            if (id.startsWith(prefix)) {
                return id;
            }
        }
        throw new AssertionError("the synthesized template has no resource " + prefix + "*");
    }

    /** Takes an action out of every statement of the role's default policy: the grant is gone, nothing else. */
    private static void removeAction(ObjectNode resources, String policyPrefix, String action) {
        ArrayNode statements = (ArrayNode) resources.path(id(resources, policyPrefix)).path("Properties")
                .path("PolicyDocument").path("Statement");
        boolean removed = false;
        for (int i = statements.size() - 1; i >= 0; i--) {
            JsonNode actions = statements.get(i).path("Action");
            if (actions.isTextual() && actions.asText().equals(action)) {
                statements.remove(i);
                removed = true;
            } else if (actions.isArray()) {
                for (int j = actions.size() - 1; j >= 0; j--) {
                    if (actions.get(j).asText().equals(action)) {
                        ((ArrayNode) actions).remove(j);
                        removed = true;
                    }
                }
            }
        }
        assertThat(removed).as("the template grants " + action + " in " + policyPrefix).isTrue();
    }

    @Test
    void aMissingQueryGrantFailsPatchWithoutCreatedAtWithTheAccessDeniedReasonInTheFunctionsLog() throws IOException {
        String tx = "iam-it-" + System.nanoTime();
        long createdAt = System.currentTimeMillis();
        ObjectNode create = Api.JSON.createObjectNode().put("transaction_id", tx).put("created_at", createdAt)
                .put("user_id", "iam-user").put("platform", "IOS").put("device_token", "t").put("status", "SENT");
        Api.Response created = api.post("/commands", create);
        assertThat(created.status()).as("%s", created).isEqualTo(201);

        // without created_at, command-lambda queries the transaction's items: its role may not
        Api.Response denied = api.patch("/commands/" + tx, Map.of("status", "DELIVERED", "version", 1));
        assertThat(denied.status()).as("%s", denied).isEqualTo(500);
        assertThat(denied.json().path("error").path("code").asText()).isEqualTo("INTERNAL_ERROR");
        // the function's log line is written by the runtime's log pump after the answer went out: wait for it
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            String functionLog = Files.readString(logs.resolve("it-command-lambda.log"));
            assertThat(functionLog).contains("AccessDeniedException")
                    .contains("is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:000000000000:"
                            + "table/" + target.commandTable() + " because no identity-based policy allows the dynamodb:Query action");
            assertThat(functionLog).containsPattern("assumed-role/[^/]+CommandLambdaRole[^/]*/it-command-lambda");
            assertThat(Files.readString(logs.resolve("iam.log"))).contains("DENIED dynamodb:Query on arn:aws:dynamodb:us-east-1:"
                    + "000000000000:table/" + target.commandTable() + " for function it-command-lambda");
        });

        // with created_at the item is read by its key: allowed
        Api.Response patched = api.patch("/commands/" + tx, Map.of("status", "DELIVERED", "version", 1, "created_at", createdAt));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().path("item").path("version").asLong()).isEqualTo(2);
    }

    @Test
    void aMissingLambdaPermissionFailsTheRouteAsAwsDoes() throws IOException {
        Api.Response health = api.get("/health");
        // AWS: API_CONFIGURATION_ERROR, 500 "Internal server error"; this template's DEFAULT_5XX makes every 5XX its 503
        assertThat(health.status()).as("%s", health).isEqualTo(503);
        assertThat(health.json().path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(Files.readString(logs.resolve("api.log"))).contains("ERROR API GET /health: Execution failed due to"
                + " configuration error: Invalid permissions on Lambda function it-query-lambda: no AWS::Lambda::Permission"
                + " allows apigateway.amazonaws.com to invoke it from arn:aws:execute-api:us-east-1:000000000000:");

        // a route whose permission is there invokes the same function
        Api.Response user = api.get(Api.path("/query/user", "user_id", "nobody"));
        assertThat(user.status()).as("%s", user).isEqualTo(200);
    }

    @Test
    void aMappingWhoseRoleCannotReadTheStreamIsNotStartedAndHealthSaysWhy() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.endpoint() + "/_local/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode health = JSON.readTree(r.body());
        JsonNode poller = health.path("pollers").get(0);
        assertThat(poller.path("running").asBoolean()).isFalse();
        assertThat(poller.path("state").asText()).isEqualTo("Disabled");
        assertThat(poller.path("lastProcessingResult").asText()).startsWith("PROBLEM: Cannot access stream " + target.streamArn()
                + ". Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams"
                + " Actions on your stream in IAM.").contains("dynamodb:GetRecords on resource: " + target.streamArn());
        assertThat(health.path("iam").path("mode").asText()).isEqualTo("enforce");
        assertThat(Files.readString(logs.resolve("esm.log"))).contains("NOT STARTED (IAM): Cannot access stream");
        assertThat(stack.summary()).contains("  IAM             enforce: 4 role(s)");
    }
}
