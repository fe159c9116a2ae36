package io.pushcqrs.queryresult;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

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
 * from the usual variables, the cursor key from the Secrets Manager secret named by CURSOR_SECRET_ARN (moto serves
 * Secrets Manager as it does DynamoDB); without a readable secret the function does not start.
 */
@Tag(Tiers.MOTO)
class QueryResultHandlerEnvironmentTest {
    private static final String TABLE = "qr-env-" + UUID.randomUUID() + "-notification-records";
    private static DynamoDbClient ddb;
    private static SecretsManagerClient secrets;
    private static String secretA;
    private static String secretB;

    @BeforeAll
    static void createTable() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        secrets = SecretsManagerClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        // two deployments, each with its own generated key
        secretA = secrets.createSecret(b -> b.name("qr-env-a-" + UUID.randomUUID())
                .secretString(secrets.getRandomPassword(r -> r.passwordLength(64L).excludePunctuation(true))
                        .randomPassword())).arn();
        secretB = secrets.createSecret(b -> b.name("qr-env-b-" + UUID.randomUUID())
                .secretString(secrets.getRandomPassword(r -> r.passwordLength(64L).excludePunctuation(true))
                        .randomPassword())).arn();
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
        secrets.close();
    }

    @Test
    void theNoArgHandlerReadsItsWholeSetupFromTheEnvironment() throws Exception {
        Run first = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\",\"limit\":2}", secretA);

        assertThat(first.exit).as(first.stdout).isZero();
        assertThat(first.answer.get("success").booleanValue()).as(first.stdout).isTrue();
        assertThat(first.answer.get("items")).hasSize(2);
        assertThat(first.answer.get("items").get(0).get("notification").get("transaction_id").textValue()).isEqualTo("env-tx-2");
        assertThat(first.stdout).contains("\"AWSRequestId\":\"cold-start-1\"");
        String cursor = first.answer.get("next_cursor").textValue();

        // the same deployment (same secret) continues the cursor in a new JVM
        Run same = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\",\"limit\":2,\"cursor\":\"" + cursor + "\"}",
                secretA);
        assertThat(same.answer.get("success").booleanValue()).as(same.stdout).isTrue();
        assertThat(same.answer.get("items")).hasSize(1);

        // another deployment, with its own generated key, does not accept it
        Run second = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\",\"limit\":2,\"cursor\":\"" + cursor + "\"}",
                secretB);
        assertThat(second.answer.get("success").booleanValue()).isFalse();
        assertThat(second.answer.get("error").get("message").textValue()).isEqualTo("cursor is invalid");
        String key = secrets.getSecretValue(b -> b.secretId(secretB)).secretString();
        assertThat(second.stdout).doesNotContain(key);
    }

    @Test
    void withoutAReadableSecretTheInitPhaseFailsNamingIt() throws Exception {
        String missing = secretA.replace("qr-env-a-", "qr-env-gone-");
        Run gone = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\"}", missing);
        assertThat(gone.exit).isNotZero();
        assertThat(gone.answer).isNull();
        assertThat(gone.stdout).contains("cannot start query-result-lambda")
                .contains("cannot read the cursor-signing key from the Secrets Manager secret " + missing)
                .contains("ResourceNotFoundException");

        Run unset = coldStart("{\"type\":\"USER\",\"user_id\":\"env-user\"}", null);
        assertThat(unset.exit).isNotZero();
        assertThat(unset.stdout).contains("environment variable CURSOR_SECRET_ARN is not set");
    }

    private record Run(int exit, JsonNode answer, String stdout) {
    }

    /** @param cursorSecret the CURSOR_SECRET_ARN, or null for none */
    private static Run coldStart(String payload, String cursorSecret) throws IOException, InterruptedException {
        Path out = Files.createTempFile("qr-answer-", ".json");
        Path log = Files.createTempFile("qr-stdout-", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), InvokeOnce.class.getName(), payload, out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("CURSOR_SECRET") || k.endsWith("_INDEX")
                    || k.equals("NOTIFICATION_TABLE"));
            env.put("AWS_ENDPOINT_URL", MotoServer.shared().endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            env.put("NOTIFICATION_TABLE", TABLE);
            if (cursorSecret != null) {
                env.put("CURSOR_SECRET_ARN", cursorSecret);
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the handler did not finish in 60 s");
            }
            String stdout = Files.readString(log, StandardCharsets.UTF_8);
            String answer = Files.readString(out, StandardCharsets.UTF_8);
            return new Run(p.exitValue(), answer.isEmpty() ? null : Json.readTree(answer), stdout);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
        }
    }
}
