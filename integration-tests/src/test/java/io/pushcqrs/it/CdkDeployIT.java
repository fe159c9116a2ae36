package io.pushcqrs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.stack.RunningStack;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy path, end to end, as a user runs it: the embedded stack starts empty ({@code --empty}), and
 * {@code scripts/deploy.sh --target local} bootstraps it and deploys the cloud assembly {@link Synth} wrote with the
 * project's pinned CDK CLI (node_modules/.bin/cdk, pointed at the edge by AWS_ENDPOINT_URL only). Then every scenario
 * runs against the outputs the script wrote; then the assembly is changed (an environment variable of query-lambda, a
 * new index on notification-records) and deployed again, which must update the running stack in place; then
 * {@code cdk destroy} must remove everything the deployment created. Runs with {@code -Dit.deploy=cdk} (CI) or
 * {@code both}. The times of each step are written to {@code target/cdk-deploy/timings.json}.
 */
@ExtendWith(DeployPath.Cdk.class)
class CdkDeployIT extends NotificationScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SCRIPT_TIMEOUT_MINUTES = 10;

    private RunningStack stack;
    private PrintStream console;
    private Path stateDir;
    private Path work;
    private Path cdkOut;
    private Thread stopOnExit;
    private final Map<String, Double> timings = new LinkedHashMap<>();

    @Override
    protected Target startTarget() throws IOException, InterruptedException {
        cdkOut = Synth.cdkOut();
        work = ItPaths.buildDir().resolve("cdk-deploy");
        stateDir = work.resolve("stack");
        ItPaths.deleteRecursively(work);
        Files.createDirectories(stateDir.resolve("logs"));
        OutputStream file = Files.newOutputStream(stateDir.resolve("logs").resolve("console.log"));
        console = new PrintStream(file, true, StandardCharsets.UTF_8);

        long t0 = System.nanoTime();
        stack = LocalStackMain.startWith(console, "--empty", "--port", "0", "--state-dir", stateDir.toString(),
                "--log-dir", stateDir.resolve("logs").toString(), "--max-envs", System.getProperty("it.maxEnvs", "2"));
        RunningStack started = stack;
        stopOnExit = new Thread(started::close, "cdk-deploy-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        timings.put("startEmptySeconds", seconds(t0));

        long t1 = System.nanoTime();
        String log = run("deploy", List.of("bash", "scripts/deploy.sh", "--target", "local", "--cdk-out", cdkOut.toString()));
        timings.put("bootstrapAndDeploySeconds", seconds(t1));
        assertThat(log).contains("cdk bootstrap aws://000000000000/us-east-1").contains("deployed to the embedded stack");
        Target deployed = Target.fromOutputs("the embedded stack, deployed by the CDK CLI",
                Target.readOutputs(stateDir.resolve("outputs.json")));
        long t2 = System.nanoTime();
        HttpResponse<String> health = http(HttpRequest.newBuilder(URI.create(deployed.apiUrl() + "/health")).GET());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        timings.put("firstQuerySeconds", seconds(t2));
        timings.put("startToFirstQuerySeconds", seconds(t0));
        writeTimings();
        System.out.printf("[it] CdkDeployIT: started empty in %.1f s, bootstrapped and deployed by the CDK CLI in %.1f s,"
                        + " first query answered after %.1f s (%.1f s from the start)%n", timings.get("startEmptySeconds"),
                timings.get("bootstrapAndDeploySeconds"), timings.get("firstQuerySeconds"),
                timings.get("startToFirstQuerySeconds"));
        return deployed;
    }

    @Test
    @Order(100)
    void aRedeployWithAChangeUpdatesTheRunningStackInPlace() throws Exception {
        String queryFunction = "it-query-lambda";
        // before: a command projected, the stream's position, the pollers started so far
        String tx = id("redeploy-tx");
        String user = id("redeploy-user");
        assertCreated(api.post("/commands", command(tx, System.currentTimeMillis(), user, 0)));
        awaitRead("the command before the redeploy", () -> assertThat(items(api.get(Api.path("/query/user", "user_id", user)))).hasSize(1));
        String streamBefore = aws.dynamoDb.describeTable(b -> b.tableName(target.commandTable())).table().latestStreamArn();
        long pollerStarts = countLines(stateDir.resolve("logs/esm.log"), "polling arn:");
        long stackPid = health().path("pid").asLong();
        String startedAt = health().path("startedAt").asText();

        Path changed = changedAssembly();
        String diff = run("diff", cdk("diff", "--app", changed.toString(), "--fail", target.stackName()), 1);
        assertThat(diff).contains("DEPLOY_MARK").contains("by-device");

        long t0 = System.nanoTime();
        String log = run("redeploy", List.of("bash", "scripts/deploy.sh", "--target", "local", "--cdk-out", changed.toString()));
        timings.put("redeploySeconds", seconds(t0));
        writeTimings();
        assertThat(log).contains("already bootstrapped").contains("UPDATE_COMPLETE");

        // the same stack process, updated in place
        assertThat(health().path("pid").asLong()).isEqualTo(stackPid);
        assertThat(health().path("startedAt").asText()).isEqualTo(startedAt);
        JsonNode configuration = JSON.readTree(http(HttpRequest.newBuilder(URI.create(target.endpoint()
                + "/2015-03-31/functions/" + queryFunction + "/configuration")).GET()).body());
        assertThat(configuration.path("Environment").path("Variables").path("DEPLOY_MARK").asText()).isEqualTo("v2");
        TableDescription views = aws.dynamoDb.describeTable(b -> b.tableName(target.notificationTable())).table();
        assertThat(views.globalSecondaryIndexes()).anyMatch(g -> g.indexName().equals("by-device"));
        // the write model, its stream and its poller are untouched: no new stream, no restarted poller
        assertThat(aws.dynamoDb.describeTable(b -> b.tableName(target.commandTable())).table().latestStreamArn())
                .isEqualTo(streamBefore);
        assertThat(countLines(stateDir.resolve("logs/esm.log"), "polling arn:")).isEqualTo(pollerStarts);
        // the data is there, and new commands are projected by the stream as before
        assertThat(items(api.get(Api.path("/query/user", "user_id", user)))).hasSize(1);
        String tx2 = id("redeploy-tx2");
        assertCreated(api.post("/commands", command(tx2, System.currentTimeMillis(), user, 1)));
        awaitRead("a command after the redeploy", () -> assertThat(items(api.get(Api.path("/query/user", "user_id", user)))).hasSize(2));
        // the new version of query-lambda answered (a new environment: its start is after the redeploy)
        assertThat(Files.readString(stateDir.resolve("logs/" + queryFunction + ".log")))
                .contains("killed: replaced by a new version of the function");
    }

    @Test
    @Order(101)
    void cdkDestroyRemovesEverythingTheDeploymentCreated() throws Exception {
        long t0 = System.nanoTime();
        run("destroy", cdk("destroy", "--app", cdkOut.toString(), "--force", target.stackName()));
        timings.put("destroySeconds", seconds(t0));
        writeTimings();
        assertThat(aws.dynamoDb.listTables().tableNames()).doesNotContain(target.commandTable(), target.notificationTable());
        assertThat(aws.sqs.listQueues().queueUrls()).noneMatch(u -> u.endsWith("/it-stream-processor-dlq"));
        JsonNode functions = JSON.readTree(http(HttpRequest.newBuilder(URI.create(target.endpoint()
                + "/2015-03-31/functions/")).GET()).body());
        assertThat(functions.path("Functions")).isEmpty();
        assertThat(api.get("/health").status()).isIn(403, 404);
        String describe = cloudFormation("Action=DescribeStacks&Version=2010-05-15&StackName=" + target.stackName()).body();
        assertThat(describe).contains("ValidationError").contains("does not exist");
        assertThat(cloudFormation("Action=DescribeStacks&Version=2010-05-15&StackName=CDKToolkit").body())
                .contains("CREATE_COMPLETE");
        assertThat(health().path("functions")).isEmpty();
        assertThat(health().path("pollers")).isEmpty();
    }

    @Override
    protected void stopTarget() {
        if (stack != null) {
            stack.close();
            stack = null;
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (console != null) {
            console.close();
        }
    }

    @Override
    protected String diagnostics() {
        StringBuilder s = new StringBuilder();
        for (String name : List.of("cloudformation.log", "api.log", "invocations.log", "esm.log", "edge.log")) {
            Path f = stateDir == null ? null : stateDir.resolve("logs").resolve(name);
            if (f != null && Files.exists(f)) {
                s.append("[it] ==> ").append(name).append(" <==\n").append(Synth.tail(f)).append('\n');
            }
        }
        return s.toString();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * A copy of the cloud assembly with the change a developer would make in the CDK app: an environment variable of
     * query-lambda and a new global secondary index on notification-records. The template's asset key (its hash, in
     * the manifests) is renamed after the new content, as synthesis would, so that the CLI uploads it.
     */
    private Path changedAssembly() throws Exception {
        Path changed = work.resolve("cdk.out-v2");
        ItPaths.deleteRecursively(changed);
        Files.createDirectories(changed);
        try (Stream<Path> files = Files.list(cdkOut)) {
            for (Path f : files.toList()) {
                Path to = changed.resolve(f.getFileName());
                if (f.getFileName().toString().startsWith("asset.")) {
                    Files.createSymbolicLink(to, f); // the jars, unchanged
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path templateFile = changed.resolve(target.stackName() + ".template.json");
        ObjectNode template = (ObjectNode) JSON.readTree(templateFile.toFile());
        boolean env = false;
        boolean gsi = false;
        for (Map.Entry<String, JsonNode> e : template.path("Resources").properties()) {
            ObjectNode props = (ObjectNode) e.getValue().path("Properties");
            if (e.getValue().path("Type").asText().equals("AWS::Lambda::Function")
                    && "it-query-lambda".equals(props.path("FunctionName").asText())) {
                ((ObjectNode) props.path("Environment").path("Variables")).put("DEPLOY_MARK", "v2");
                env = true;
            }
            if (e.getValue().path("Type").asText().equals("AWS::DynamoDB::Table")
                    && "it-notification-records".equals(props.path("TableName").asText())) {
                ((ArrayNode) props.path("AttributeDefinitions")).addObject().put("AttributeName", "device_token")
                        .put("AttributeType", "S");
                ObjectNode index = ((ArrayNode) props.path("GlobalSecondaryIndexes")).addObject().put("IndexName", "by-device");
                index.putArray("KeySchema").addObject().put("AttributeName", "device_token").put("KeyType", "HASH");
                index.putObject("Projection").put("ProjectionType", "KEYS_ONLY");
                gsi = true;
            }
        }
        assertThat(env && gsi).as("query-lambda and notification-records in the template").isTrue();
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(template);
        Files.write(templateFile, body);
        String oldHash = templateAssetHash(changed);
        String newHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        try (Stream<Path> files = Files.list(changed)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                Files.writeString(f, Files.readString(f).replace(oldHash, newHash));
            }
        }
        return changed;
    }

    /** The S3 key (the content hash) under which the asset manifest publishes the stack's template. */
    private String templateAssetHash(Path assembly) throws IOException {
        JsonNode manifest = JSON.readTree(assembly.resolve(target.stackName() + ".assets.json").toFile());
        for (Map.Entry<String, JsonNode> e : manifest.path("files").properties()) {
            if (e.getValue().path("source").path("path").asText().endsWith(".template.json")) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("no template asset in " + assembly);
    }

    /** The pinned CDK CLI against the stack's edge, as scripts/deploy.sh runs it. */
    private List<String> cdk(String... args) {
        List<String> cmd = new ArrayList<>(List.of("node_modules/.bin/cdk", "--no-notices"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private String run(String name, List<String> command) throws IOException, InterruptedException {
        return run(name, command, 0);
    }

    /** Runs a command at the repository root against the stack's edge; fails unless it exits with {@code expected}. */
    private String run(String name, List<String> command, int expected) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ItPaths.repoRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", stack.endpoint());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("CDK_HOME", stateDir.resolve("cdk-home").toString());
        env.remove("AWS_PROFILE");
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + SCRIPT_TIMEOUT_MINUTES + " minutes; the end of "
                    + log + ":\n" + Synth.tail(log));
        }
        String out = Files.readString(log);
        if (p.exitValue() != expected) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + " (expected "
                    + expected + "); the end of " + log + ":\n" + Synth.tail(log));
        }
        return out;
    }

    private JsonNode health() throws IOException, InterruptedException {
        return JSON.readTree(http(HttpRequest.newBuilder(URI.create(stack.endpoint() + "/_local/health")).GET()).body());
    }

    /** A CloudFormation query call on the edge (signed for the service; the local stack does not check signatures). */
    private HttpResponse<String> cloudFormation(String form) throws IOException, InterruptedException {
        return http(HttpRequest.newBuilder(URI.create(stack.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cloudformation/aws4_request,"
                        + " SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> http(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long countLines(Path file, String containing) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }

    private void writeTimings() throws IOException {
        Map<String, Object> out = new LinkedHashMap<>(timings);
        out.put("cloudAssembly", cdkOut.toString());
        Files.writeString(work.resolve("timings.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }
}
