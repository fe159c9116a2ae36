package io.pushcqrs.queryresult;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.pushcqrs.queryresult.Views.item;
import static io.pushcqrs.queryresult.Views.notification;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler wired by its no-arg constructor from the process environment, in a child JVM: table name from
 * NOTIFICATION_TABLE, the endpoint from AWS_ENDPOINT_URL (honoured by the SDK itself), credentials and region
 * from the usual variables, CURSOR_SECRET (or the development key with a warning).
 */
class QueryResultHandlerEnvironmentTest {
    private static final String TABLE = "qr-env-" + UUID.randomUUID() + "-notification-records";
    private static DynamoDbClient ddb;

    @BeforeAll
    static void createTable() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        Tables.createNotificationTable(ddb, TABLE);
        for (int i = 0; i < 3; i++) {
            var view = item(notification("env-user", 1_000 + i, "env-tx-" + i));
            ddb.putItem(b -> b.tableName(TABLE).item(view));
        }
    }

    @AfterAll
    static void dropTable() {
        ddb.deleteTable(b -> b.tableName(TABLE));
        ddb.close();
    }

    @Test
    void theNoArgHandlerReadsItsWholeSetupFromTheEnvironment() throws Exception {
        Run first = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\",\"limit\":2}", null);

        assertThat(first.answer.get("success").booleanValue()).as(first.stdout).isTrue();
        assertThat(first.answer.get("items")).hasSize(2);
        assertThat(first.answer.get("items").get(0).get("notification").get("transaction_id").textValue()).isEqualTo("env-tx-2");
        assertThat(first.stdout).contains("CURSOR_SECRET is not set").contains("\"request_id\":\"cold-start-1\"");
        String cursor = first.answer.get("next_cursor").textValue();

        // Another deployment with its own CURSOR_SECRET does not accept the development key's cursor.
        Run second = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\",\"limit\":2,\"cursor\":\"" + cursor + "\"}",
                "a-real-secret");

        assertThat(second.answer.get("success").booleanValue()).isFalse();
        assertThat(second.answer.get("error").get("message").textValue()).isEqualTo("cursor is invalid");
        assertThat(second.stdout).doesNotContain("CURSOR_SECRET is not set").doesNotContain("a-real-secret");
    }

    private record Run(JsonNode answer, String stdout) {
    }

    private static Run coldStart(String payload, String cursorSecret) throws IOException, InterruptedException {
        Path out = Files.createTempFile("qr-answer-", ".json");
        Path log = Files.createTempFile("qr-stdout-", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), InvokeOnce.class.getName(), payload, out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("CURSOR_SECRET") || k.endsWith("_INDEX")
                    || k.equals("NOTIFICATION_TABLE"));
            env.put("AWS_ENDPOINT_URL", MotoServer.shared().endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            env.put("NOTIFICATION_TABLE", TABLE);
            if (cursorSecret != null) {
                env.put("CURSOR_SECRET", cursorSecret);
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the handler did not finish in 60 s");
            }
            String stdout = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(stdout).isZero();
            return new Run(Json.readTree(Files.readString(out, StandardCharsets.UTF_8)), stdout);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
        }
    }
}
