package io.pushcqrs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The scenarios of issue 6, written once against a {@link Target}: everything goes through the public HTTP API
 * (java.net.http with x-api-key) and the AWS APIs at the target's endpoint (DynamoDB, DynamoDB Streams, SQS),
 * never through handler classes. A subclass starts a target ({@link #startTarget()}) and stops it.
 * <p>
 * Every id carries a prefix unique to this run ({@link #RUN}), so the scenarios are independent of each other and
 * of whatever the target already holds. Waiting for the read side is polling with a deadline (Awaitility),
 * never a fixed sleep; {@code -Dit.timeoutScale=N} stretches every deadline for slow targets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@Tag("stack") // the test tier: needs the embedded stack, LocalStack or a deployment (CONTRIBUTING.md)
public abstract class NotificationScenarios {
    /** The prefix of every id this run writes: it-<time base36>-<random>. */
    protected static final String RUN = "it-" + Long.toString(System.currentTimeMillis(), 36) + "-" + randomSuffix();

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final List<String> PLATFORMS = List.of("IOS", "ANDROID", "WEBPUSH");

    @RegisterExtension
    final ScenarioTimer timer = new ScenarioTimer();

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (target != null) {
                System.out.println("[it] " + context.getDisplayName() + " failed against " + target);
                System.out.println(diagnostics());
            }
        }
    };

    protected Target target;
    protected Api api;
    protected AwsClients aws;

    /** Starts (or finds) the target; called once before the scenarios. */
    protected abstract Target startTarget() throws Exception;

    /** Stops what {@link #startTarget()} started; called once after the scenarios (also after a failed start). */
    protected abstract void stopTarget() throws Exception;

    /** What helps to diagnose a failure on this target (log tails...), printed when a scenario fails. */
    protected String diagnostics() {
        return "";
    }

    @BeforeAll
    final void setUpTarget() throws Exception {
        long t0 = System.nanoTime();
        try {
            target = startTarget();
        } catch (Exception | Error e) {
            System.out.println("[it] the target did not start: " + e);
            String d = diagnostics();
            if (!d.isBlank()) {
                System.out.println(d);
            }
            throw e;
        }
        api = new Api(target);
        aws = new AwsClients(target);
        System.out.printf("[it] %s: target ready in %.1f s: %s (run prefix %s)%n", getClass().getSimpleName(),
                (System.nanoTime() - t0) / 1e9, target, RUN);
    }

    @AfterAll
    final void tearDownTarget() throws Exception {
        if (aws != null) {
            aws.close();
        }
        stopTarget();
    }

    // =========================================================================================== scenarios

    @Test
    @Order(1)
    void createIsVisibleInEveryQuery() {
        String tx = id("create-tx");
        String user = id("create-user");
        String campaign = id("create-campaign");
        String sns = id("create-sns");
        long createdAt = System.currentTimeMillis();
        ObjectNode body = command(tx, createdAt, user, 0).put("marketing_id", campaign).put("sns_id", sns)
                .put("ap_id", id("create-ap")).put("send_ts", createdAt + 5).put("retry_cnt", 0);
        body.putObject("payload").put("deep_link", "app://offers/1").put("badge", 3).putObject("nested").put("x", 1.5);

        Api.Response created = api.post("/commands", body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode item = created.json().path("item");
        assertThat(created.json().path("success").asBoolean()).isTrue();
        assertThat(item.path("version").asLong()).isEqualTo(1);
        assertThat(item.path("transaction_id").asText()).isEqualTo(tx);

        // The view: the command's fields, source_version 1 and the ISO twins of the time fields.
        ObjectNode expected = item.deepCopy();
        expected.remove("version");
        awaitRead("the new command in /query/user", () -> {
            List<JsonNode> items = items(api.get(Api.path("/query/user", "user_id", user)));
            assertThat(items).hasSize(1);
            assertView(items.get(0), expected, 1);
            assertThat(items.get(0).path("created_at_iso").asText()).isEqualTo(ISO.format(Instant.ofEpochMilli(createdAt)));
            assertThat(items.get(0).path("send_ts_iso").asText()).isEqualTo(ISO.format(Instant.ofEpochMilli(createdAt + 5)));
        });
        // Every other query that should see it sees it (the same item, once).
        for (String path : List.of(Api.path("/query/marketing", "marketing_id", campaign), Api.path("/tx", "transaction_id", tx),
                Api.path("/sns", "sns_id", sns))) {
            awaitRead("the new command in " + path, () -> {
                List<JsonNode> items = items(api.get(path));
                assertThat(items).as(path).hasSize(1);
                assertView(items.get(0), expected, 1);
            });
        }
        // ...and the failure query does not: it is SENT.
        assertThat(items(api.get(Api.path("/query/failures", "transaction_id", tx)))).isEmpty();
        // The write model holds it with version 1.
        Map<String, AttributeValue> stored = aws.dynamoDb.getItem(b -> b.tableName(target.commandTable())
                .key(commandKey(tx, createdAt)).consistentRead(true)).item();
        assertThat(stored.get("version").n()).isEqualTo("1");
        assertThat(stored.get("user_id").s()).isEqualTo(user);
    }

    @Test
    @Order(2)
    void statusChangeSentToFailedIsVisibleInFailures() {
        String tx = id("failed-tx");
        String user = id("failed-user");
        long createdAt = System.currentTimeMillis();
        assertCreated(api.post("/commands", command(tx, createdAt, user, 1)));

        ObjectNode change = Api.JSON.createObjectNode().put("status", "FAILED").put("version", 1).put("retry_cnt", 2)
                .put("error_msg", "device token unregistered");
        Api.Response patched = api.patch("/commands/" + tx, change);
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        JsonNode item = patched.json().path("item");
        assertThat(item.path("version").asLong()).isEqualTo(2);
        assertThat(item.path("status").asText()).isEqualTo("FAILED");
        assertThat(item.path("retry_cnt").asInt()).isEqualTo(2);
        assertThat(item.path("failed_ts").isIntegralNumber()).as("failed_ts set by the service: %s", item).isTrue();

        awaitRead("the FAILED command in /query/failures?transaction_id=", () -> {
            List<JsonNode> failures = items(api.get(Api.path("/query/failures", "transaction_id", tx)));
            assertThat(failures).hasSize(1);
            JsonNode f = failures.get(0);
            assertThat(f.path("status").asText()).isEqualTo("FAILED");
            assertThat(f.path("retry_cnt").asInt()).isEqualTo(2);
            assertThat(f.path("error_msg").asText()).isEqualTo("device token unregistered");
            assertThat(f.path("source_version").asLong()).isEqualTo(2);
            assertThat(f.path("failed_ts_iso").asText()).isNotBlank();
        });
        // The recent failures of all transactions (newest first) list it too.
        awaitRead("the FAILED command in /query/failures", () -> {
            List<JsonNode> recent = firstPages("/query/failures", 5);
            assertThat(recent).extracting(n -> n.path("transaction_id").asText()).contains(tx);
        });
        // The user's view was replaced, not duplicated.
        List<JsonNode> userItems = items(api.get(Api.path("/query/user", "user_id", user)));
        assertThat(userItems).hasSize(1);
        assertThat(userItems.get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(userItems.get(0).path("source_version").asLong()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void deleteRemovesTheViewFromEveryQuery() {
        String tx = id("delete-tx");
        String user = id("delete-user");
        String campaign = id("delete-campaign");
        String sns = id("delete-sns");
        long createdAt = System.currentTimeMillis();
        assertCreated(api.post("/commands", command(tx, createdAt, user, 2).put("marketing_id", campaign).put("sns_id", sns)));
        awaitRead("the command before the delete", () -> assertThat(items(api.get(Api.path("/tx", "transaction_id", tx)))).hasSize(1));

        Api.Response deleted = api.delete("/commands/" + tx);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asInt()).isEqualTo(1);

        for (String path : List.of(Api.path("/query/user", "user_id", user), Api.path("/tx", "transaction_id", tx),
                Api.path("/query/marketing", "marketing_id", campaign), Api.path("/sns", "sns_id", sns))) {
            awaitRead("the view gone from " + path, () -> assertThat(items(api.get(path))).as(path).isEmpty());
        }
        assertThat(aws.dynamoDb.getItem(b -> b.tableName(target.commandTable()).key(commandKey(tx, createdAt))
                .consistentRead(true)).hasItem()).isFalse();
        // A second delete finds nothing.
        assertError(api.delete("/commands/" + tx), 404, "NOT_FOUND");
    }

    @Test
    @Order(3)
    void deleteThenCreateAgainThenPatchIsProjected() {
        String tx = id("life-tx");
        String user = id("life-user");
        long createdAt = System.currentTimeMillis();
        assertCreated(api.post("/commands", command(tx, createdAt, user, 1)));
        Api.Response failed = api.patch("/commands/" + tx, Map.of("status", "FAILED", "version", 1, "retry_cnt", 1));
        assertThat(failed.status()).as("%s", failed).isEqualTo(200);
        awaitRead("the first item at version 2", () -> assertThat(items(api.get(Api.path("/tx", "transaction_id", tx))))
                .singleElement().satisfies(v -> assertThat(v.path("source_version").asLong()).isEqualTo(2)));
        assertThat(api.delete("/commands/" + tx).status()).isEqualTo(200);

        // the same key again: versions restart at 1, and the new item's records are projected over the tombstone
        ObjectNode again = command(tx, createdAt, user, 2).put("marketing_id", id("life-campaign"));
        Api.Response created = api.post("/commands", again);
        assertCreated(created);
        assertThat(created.json().path("item").path("version").asLong()).isEqualTo(1);
        Api.Response delivered = api.patch("/commands/" + tx, Map.of("status", "DELIVERED", "version", 1));
        assertThat(delivered.status()).as("%s", delivered).isEqualTo(200);

        awaitRead("the new item at version 2, DELIVERED", () -> {
            List<JsonNode> items = items(api.get(Api.path("/query/user", "user_id", user)));
            assertThat(items).singleElement().satisfies(v -> {
                assertThat(v.path("source_version").asLong()).isEqualTo(2);
                assertThat(v.path("status").asText()).isEqualTo("DELIVERED");
                assertThat(v.path("marketing_id").asText()).isEqualTo(again.path("marketing_id").asText());
                assertThat(v.has("error_msg")).isFalse();
            });
        });
        assertThat(items(api.get(Api.path("/query/marketing", "marketing_id", again.path("marketing_id").asText()))))
                .hasSize(1);
    }

    @Test
    @Order(4)
    void recreateIsIdempotentAndADifferentBodyConflicts() {
        String tx = id("idem-tx");
        String user = id("idem-user");
        long createdAt = System.currentTimeMillis();
        ObjectNode body = command(tx, createdAt, user, 0).put("marketing_id", id("idem-campaign"));

        Api.Response first = api.post("/commands", body);
        assertCreated(first);
        Api.Response again = api.post("/commands", body);
        assertThat(again.status()).as("same body again: %s", again).isEqualTo(first.status());
        assertThat(again.json()).as("same body -> same answer").isEqualTo(first.json());

        ObjectNode different = body.deepCopy().put("notification_title", "another title");
        Api.Response conflict = api.post("/commands", different);
        assertError(conflict, 409, "CONFLICT");
        assertThat(conflict.json().path("error").path("message").asText()).contains("notification_title");

        awaitRead("one view of the re-created command", () -> {
            List<JsonNode> items = items(api.get(Api.path("/query/user", "user_id", user)));
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("source_version").asLong()).isEqualTo(1);
            assertThat(items.get(0).path("notification_title").asText()).isEqualTo(body.path("notification_title").asText());
        });
        Map<String, AttributeValue> stored = aws.dynamoDb.getItem(b -> b.tableName(target.commandTable())
                .key(commandKey(tx, createdAt)).consistentRead(true)).item();
        assertThat(stored.get("version").n()).as("a replay writes nothing").isEqualTo("1");
    }

    @Test
    @Order(5)
    void staleVersionIsAConflict() {
        String tx = id("stale-tx");
        String user = id("stale-user");
        assertCreated(api.post("/commands", command(tx, System.currentTimeMillis(), user, 1)));

        Api.Response delivered = api.patch("/commands/" + tx, Map.of("status", "DELIVERED", "version", 1));
        assertThat(delivered.status()).as("%s", delivered).isEqualTo(200);
        assertThat(delivered.json().path("item").path("version").asLong()).isEqualTo(2);

        // A client that still holds version 1 loses.
        Api.Response stale = api.patch("/commands/" + tx, Map.of("status", "FAILED", "version", 1, "retry_cnt", 1));
        assertError(stale, 409, "CONFLICT");
        assertThat(stale.json().path("error").path("message").asText()).contains("stale");
        // So does a delete with a stale version.
        assertError(api.delete(Api.path("/commands/" + tx, "version", 1)), 409, "CONFLICT");
        // An unknown transaction is a 404.
        assertError(api.patch("/commands/" + id("stale-unknown"), Map.of("status", "FAILED", "version", 1)), 404, "NOT_FOUND");

        awaitRead("the read side at version 2 (DELIVERED)", () -> {
            List<JsonNode> items = items(api.get(Api.path("/tx", "transaction_id", tx)));
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("status").asText()).isEqualTo("DELIVERED");
            assertThat(items.get(0).path("source_version").asLong()).isEqualTo(2);
            assertThat(items.get(0).path("delivered_ts").isIntegralNumber()).isTrue();
        });
        assertThat(items(api.get(Api.path("/query/failures", "transaction_id", tx)))).isEmpty();
    }

    @Test
    @Order(6)
    void itemsWrittenStraightIntoCommandRecordsWithoutVersionAreProjected() {
        String tx = id("operator-tx");
        String user = id("operator-user");
        long createdAt = System.currentTimeMillis();
        // As an operator or a batch loader would: PutItem with no version attribute.
        Map<String, AttributeValue> item = new HashMap<>(commandKey(tx, createdAt));
        item.put("user_id", s(user));
        item.put("platform", s("ANDROID"));
        item.put("device_token", s("token-" + tx));
        item.put("status", s("SENT"));
        item.put("notification_title", s("loaded by an operator"));
        item.put("retry_cnt", n(0));
        aws.dynamoDb.putItem(b -> b.tableName(target.commandTable()).item(item));

        awaitRead("the operator's item in /tx", () -> {
            List<JsonNode> items = items(api.get(Api.path("/tx", "transaction_id", tx)));
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("user_id").asText()).isEqualTo(user);
            assertThat(items.get(0).path("notification_title").asText()).isEqualTo("loaded by an operator");
            assertThat(items.get(0).has("source_version")).as("no version, no source_version: %s", items.get(0)).isFalse();
        });

        // The operator overwrites it (still versionless): the stream order keeps the newer image.
        item.put("status", s("FAILED"));
        item.put("retry_cnt", n(4));
        item.put("failed_ts", n(createdAt + 1000));
        aws.dynamoDb.putItem(b -> b.tableName(target.commandTable()).item(item));
        awaitRead("the operator's second write in /query/failures", () -> {
            List<JsonNode> items = items(api.get(Api.path("/query/failures", "transaction_id", tx)));
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("retry_cnt").asInt()).isEqualTo(4);
        });

        // The API takes over: a missing version counts as 0.
        Api.Response patched = api.patch("/commands/" + tx, Map.of("status", "DELIVERED", "version", 0, "retry_cnt", 5));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().path("item").path("version").asLong()).isEqualTo(1);
        awaitRead("the API's change after the operator's writes", () -> {
            List<JsonNode> items = items(api.get(Api.path("/query/user", "user_id", user)));
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("status").asText()).isEqualTo("DELIVERED");
            assertThat(items.get(0).path("source_version").asLong()).isEqualTo(1);
            assertThat(items.get(0).path("retry_cnt").asInt()).isEqualTo(5);
        });
        awaitRead("out of the failures", () -> assertThat(items(api.get(Api.path("/query/failures", "transaction_id", tx)))).isEmpty());
    }

    /** One bad input of the API: what is sent, and the status and error code it must get. */
    record BadInput(String name, String method, String path, String body, KeyMode key, int status, String code,
                    Map<String, String> headers) {
        BadInput(String name, String method, String path, String body, KeyMode key, int status, String code) {
            this(name, method, path, body, key, status, code, Map.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    enum KeyMode { VALID, NONE, WRONG }

    static Stream<Arguments> badInputs() {
        String user = "it-bad-user";
        String valid = "{\"user_id\":\"" + user + "\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"";
        List<BadInput> cases = List.of(
                new BadInput("malformed JSON", "POST", "/commands", "{\"user_id\": \"u\", ", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("a JSON array instead of an object", "POST", "/commands", "[1,2]", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("missing user_id", "POST", "/commands",
                        "{\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("missing device_token", "POST", "/commands",
                        "{\"user_id\":\"" + user + "\",\"platform\":\"IOS\",\"status\":\"SENT\"}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("unknown platform", "POST", "/commands",
                        "{\"user_id\":\"" + user + "\",\"platform\":\"BLACKBERRY\",\"device_token\":\"t\",\"status\":\"SENT\"}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("unknown status", "POST", "/commands",
                        "{\"user_id\":\"" + user + "\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"LOST\"}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("negative retry_cnt", "POST", "/commands", valid + ",\"retry_cnt\":-1}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("retry_cnt as a string", "POST", "/commands", valid + ",\"retry_cnt\":\"two\"}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("over-long notification_title (257)", "POST", "/commands",
                        valid + ",\"notification_title\":\"" + "t".repeat(257) + "\"}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("over-long user_id (129)", "POST", "/commands",
                        "{\"user_id\":\"" + "u".repeat(129) + "\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("user_id with a space", "POST", "/commands",
                        "{\"user_id\":\"a b\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("version sent by the client", "POST", "/commands", valid + ",\"version\":7}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("unknown field", "POST", "/commands", valid + ",\"colour\":\"red\"}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("body over 64 KiB", "POST", "/commands",
                        valid + ",\"notification_body\":\"" + "b".repeat(70_000) + "\"}", KeyMode.VALID, 413, "PAYLOAD_TOO_LARGE"),
                new BadInput("headers over API Gateway's 10,240 bytes", "POST", "/commands", valid + "}", KeyMode.VALID, 413,
                        "PAYLOAD_TOO_LARGE", Map.of("X-Big-Header", "h".repeat(11_000))),
                new BadInput("PATCH without version", "PATCH", "/commands/it-bad-tx", "{\"status\":\"FAILED\"}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("PATCH with an unknown status", "PATCH", "/commands/it-bad-tx", "{\"status\":\"GONE\",\"version\":1}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("PATCH with a negative retry_cnt", "PATCH", "/commands/it-bad-tx",
                        "{\"status\":\"FAILED\",\"version\":1,\"retry_cnt\":-3}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("DELETE with a non-numeric created_at", "DELETE", "/commands/it-bad-tx?created_at=yesterday", null,
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("unknown route", "GET", "/nope", null, KeyMode.VALID, 404, "NOT_FOUND"),
                new BadInput("unknown route under /query", "GET", "/query/everything?user_id=u", null, KeyMode.VALID, 404, "NOT_FOUND"),
                new BadInput("method the route does not have", "PUT", "/commands", valid + "}", KeyMode.VALID, 404, "NOT_FOUND"),
                new BadInput("missing API key on a query", "GET", "/query/user?user_id=" + user, null, KeyMode.NONE, 403, "FORBIDDEN"),
                new BadInput("missing API key on a command", "POST", "/commands", valid + "}", KeyMode.NONE, 403, "FORBIDDEN"),
                new BadInput("wrong API key", "GET", "/tx?transaction_id=it-bad-tx", null, KeyMode.WRONG, 403, "FORBIDDEN"),
                new BadInput("limit 0", "GET", "/query/user?user_id=" + user + "&limit=0", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("limit 101", "GET", "/query/user?user_id=" + user + "&limit=101", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("limit not a number", "GET", "/query/marketing?marketing_id=m&limit=ten", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("missing user_id on /query/user", "GET", "/query/user", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("missing marketing_id on /query/marketing", "GET", "/query/marketing?limit=5", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("missing transaction_id on /tx", "GET", "/tx", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("missing sns_id on /sns", "GET", "/sns", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("unknown query parameter", "GET", "/query/user?user_id=" + user + "&userId=x", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("from that is not a time", "GET", "/query/user?user_id=" + user + "&from=yesterday", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("garbage cursor", "GET", "/query/user?user_id=" + user + "&cursor=abc", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                // docs/reliability.md, "Bad input": the rest of its table
                new BadInput("truncated JSON", "POST", "/commands", valid.substring(0, 30), KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("empty body", "POST", "/commands", "", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("wrong media type (text/plain)", "POST", "/commands", valid + "}", KeyMode.VALID, 415,
                        "UNSUPPORTED_MEDIA_TYPE", Map.of("Content-Type", "text/plain")),
                new BadInput("a charset other than UTF-8", "POST", "/commands", valid + "}", KeyMode.VALID, 415,
                        "UNSUPPORTED_MEDIA_TYPE", Map.of("Content-Type", "application/json; charset=ISO-8859-1")),
                new BadInput("PATCH as form data", "PATCH", "/commands/it-bad-tx", "status=FAILED&version=1", KeyMode.VALID, 415,
                        "UNSUPPORTED_MEDIA_TYPE", Map.of("Content-Type", "application/x-www-form-urlencoded")),
                new BadInput("half a surrogate pair in a title", "POST", "/commands", valid + ",\"notification_title\":\"a\\ud800b\"}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("half a surrogate pair deep in the payload", "POST", "/commands",
                        valid + ",\"payload\":{\"a\":[\"\\udc00\"]}}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("an emoji in user_id", "POST", "/commands",
                        "{\"user_id\":\"u\\ud83d\\ude80\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("a number beyond a double (1e400)", "POST", "/commands", valid + ",\"created_at\":1e400}", KeyMode.VALID,
                        400, "VALIDATION_ERROR"),
                new BadInput("39 significant digits", "POST", "/commands", valid + ",\"retry_cnt\":123456789012345678901234567890123456789}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("zero with a huge exponent in the payload", "POST", "/commands", valid + ",\"payload\":{\"x\":0e-999999999}}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("created_at in microseconds", "POST", "/commands", valid + ",\"created_at\":1733140000000000}", KeyMode.VALID,
                        400, "VALIDATION_ERROR"),
                new BadInput("a negative created_at", "POST", "/commands", valid + ",\"created_at\":-5}", KeyMode.VALID, 400,
                        "VALIDATION_ERROR"),
                new BadInput("a version beyond a long", "PATCH", "/commands/it-bad-tx",
                        "{\"status\":\"FAILED\",\"version\":99999999999999999999999}", KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("PATCH with an unknown field", "PATCH", "/commands/it-bad-tx", "{\"status\":\"FAILED\",\"version\":1,\"colour\":1}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("an enum in lower case", "PATCH", "/commands/it-bad-tx", "{\"status\":\"failed\",\"version\":1}",
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("an enum sent as a number", "POST", "/commands",
                        "{\"user_id\":\"" + user + "\",\"platform\":2,\"device_token\":\"t\",\"status\":\"SENT\"}", KeyMode.VALID, 400,
                        "VALIDATION_ERROR"),
                new BadInput("a forged cursor (well-formed, unsigned)", "GET", "/query/user?user_id=" + user
                        + "&cursor=eyJ1Ijoibm9ib2R5In0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("an over-long cursor", "GET", "/query/user?user_id=" + user + "&cursor=" + "A".repeat(6200), null,
                        KeyMode.VALID, 400, "VALIDATION_ERROR"),
                new BadInput("DELETE on a query route", "DELETE", "/query/user?user_id=" + user, null, KeyMode.VALID, 404, "NOT_FOUND"),
                new BadInput("POST on /health", "POST", "/health", "{}", KeyMode.VALID, 404, "NOT_FOUND"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    @Order(7)
    void everyBadInputGetsIts4xxAndTheErrorJson(BadInput in) {
        Map<String, String> headers = switch (in.key()) {
            case VALID -> Map.of("x-api-key", target.apiKey());
            case NONE -> Map.of();
            case WRONG -> Map.of("x-api-key", "not-the-key-" + RUN);
        };
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.putAll(in.headers());
        Api.Response r = api.send(in.method(), in.path(), in.body(), all);
        assertError(r, in.status(), in.code());
    }

    /** None of the bad inputs above stored anything: their user and transaction have no item on either side. */
    @Test
    @Order(8)
    void noBadInputChangedStoredData() {
        // the write side itself (a bad input that got stored would be there at once), then the read side
        assertThat(aws.dynamoDb.scan(b -> b.tableName(target.commandTable()).filterExpression("user_id = :u OR transaction_id = :t")
                .expressionAttributeValues(Map.of(":u", s("it-bad-user"), ":t", s("it-bad-tx")))).items()).isEmpty();
        assertThat(items(api.get(Api.path("/tx", "transaction_id", "it-bad-tx")))).isEmpty();
        assertThat(items(api.get(Api.path("/query/user", "user_id", "it-bad-user")))).isEmpty();
    }

    @Test
    @Order(8)
    void healthNeedsNoKey() {
        Api.Response r = api.send("GET", "/health", null, false);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("success").asBoolean()).isTrue();
        assertThat(r.json().path("status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(9)
    void paginationWalksTwoHundredFiftyItemsByCursorWithNoGapOrRepeat() throws Exception {
        String user = id("page-user");
        String campaign = id("page-campaign");
        int total = 250;
        long base = System.currentTimeMillis() - 1_000_000;
        Set<String> sent = ConcurrentHashMap.newKeySet();
        runConcurrently(total, i -> {
            String tx = id("page-tx-" + i);
            Api.Response r = api.post("/commands", command(tx, base + i * 1000L, user, i).put("marketing_id", campaign));
            sent.add(tx);
            return r;
        });
        assertThat(sent).hasSize(total);

        awaitRead("all " + total + " views of one user", Duration.ofSeconds(90),
                () -> assertThat(queryAll("/query/user", "user_id", user)).hasSize(total));

        for (String[] query : List.of(new String[]{"/query/user", "user_id", user}, new String[]{"/query/marketing", "marketing_id", campaign})) {
            List<String> walked = new ArrayList<>();
            List<Long> createdAts = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Api.Response r = api.get(Api.path(query[0], query[1], query[2], "limit", 37, "cursor", cursor));
                assertThat(r.status()).as("%s", r).isEqualTo(200);
                JsonNode page = r.json();
                pages++;
                assertThat(page.path("count").asInt()).isEqualTo(page.path("items").size());
                page.path("items").forEach(n -> {
                    walked.add(n.path("transaction_id").asText());
                    createdAts.add(n.path("created_at").asLong());
                });
                cursor = page.hasNonNull("next_cursor") ? page.path("next_cursor").asText() : null;
                assertThat(pages).as("pages of %s", query[0]).isLessThanOrEqualTo(total / 37 + 2);
            } while (cursor != null);
            assertThat(pages).as("pages of 37 over %d items", total).isEqualTo((total + 36) / 37);
            assertThat(walked).as("no repeat in %s", query[0]).doesNotHaveDuplicates();
            assertThat(new HashSet<>(walked)).as("no gap in %s", query[0]).isEqualTo(sent);
            List<Long> newestFirst = new ArrayList<>(createdAts);
            newestFirst.sort(Collections.reverseOrder());
            assertThat(createdAts).as("newest first in %s", query[0]).isEqualTo(newestFirst);
        }

        // A genuine cursor, then the same cursor altered: the payload re-encoded to jump elsewhere, and one byte flipped.
        Api.Response first = api.get(Api.path("/query/user", "user_id", user, "limit", 10));
        String cursor = first.json().path("next_cursor").asText();
        assertThat(cursor).contains(".");
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))), StandardCharsets.UTF_8);
        String forgedPayload = payload.replace(id("page-tx-"), id("page-tx-1"));
        assertThat(forgedPayload).as("the cursor's payload names the last key: %s", payload).isNotEqualTo(payload);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(forgedPayload.getBytes(StandardCharsets.UTF_8))
                + cursor.substring(cursor.indexOf('.'));
        assertError(api.get(Api.path("/query/user", "user_id", user, "cursor", forged)), 400, "VALIDATION_ERROR");
        char c = cursor.charAt(cursor.length() / 2);
        String flipped = cursor.substring(0, cursor.length() / 2) + (c == 'A' ? 'B' : 'A') + cursor.substring(cursor.length() / 2 + 1);
        assertError(api.get(Api.path("/query/user", "user_id", user, "cursor", flipped)), 400, "VALIDATION_ERROR");
        // A genuine cursor of another query.
        assertError(api.get(Api.path("/query/marketing", "marketing_id", campaign, "cursor", cursor)), 400, "VALIDATION_ERROR");
        // The genuine one still works.
        Api.Response second = api.get(Api.path("/query/user", "user_id", user, "limit", 10, "cursor", cursor));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("count").asInt()).isEqualTo(10);
    }

    @Test
    @Order(9)
    void aPageOfLargeItemsIsCutToFitTheResponseLimitAndTheCursorReturnsTheRest() {
        // Views of close to DynamoDB's 400 KB, as a foreign tool may have written them: text that grows when
        // JSON-escaped twice (quotes, control characters, emoji). limit=100 of them would pass Lambda's 6 MB.
        String user = id("large-user");
        String[] units = {"\"", "\u0001", "\ud83d\ude00", "a"};
        long base = System.currentTimeMillis();
        int total = 10;
        for (int i = 0; i < total; i++) {
            String tx = id("large-tx-" + i);
            String unit = units[i % units.length];
            Map<String, AttributeValue> view = new HashMap<>();
            view.put("user_id", s(user));
            view.put("view_sk", s(String.format(Locale.ROOT, "%015d#%s", base + i, tx)));
            view.put("transaction_id", s(tx));
            view.put("created_at", n(base + i));
            view.put("platform", s("IOS"));
            view.put("device_token", s("token"));
            view.put("status", s("SENT"));
            view.put("source_version", n(1));
            view.put("payload", AttributeValue.fromM(Map.of("blob",
                    s(unit.repeat(390_000 / unit.getBytes(StandardCharsets.UTF_8).length)))));
            aws.dynamoDb.putItem(b -> b.tableName(target.notificationTable()).item(view));
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response r = api.get(Api.path("/query/user", "user_id", user, "limit", 100, "cursor", cursor));
            List<JsonNode> page = items(r);
            assertThat(page).as("every page holds at least one item").isNotEmpty();
            page.forEach(v -> seen.add(v.path("transaction_id").asText()));
            sizes.add(page.size());
            cursor = r.json().hasNonNull("next_cursor") ? r.json().path("next_cursor").asText() : null;
        } while (cursor != null && sizes.size() < 50);

        assertThat(sizes.get(0)).as("the first page is cut short of limit=100").isLessThan(total);
        assertThat(seen).as("pages %s", sizes).hasSize(total).doesNotHaveDuplicates();
        List<String> newestFirst = new ArrayList<>();
        for (int i = total - 1; i >= 0; i--) {
            newestFirst.add(id("large-tx-" + i));
        }
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    @Order(10)
    void thousandCommandsFromSeveralThreadsAreAllSyncedNoneTwiceNoneStale() throws Exception {
        int total = Integer.getInteger("it.bulk.count", 1000);
        int users = 25;
        String prefix = id("bulk-");
        long base = System.currentTimeMillis() - 10_000_000;
        // tx -> expected {user, version, status}; every 10th command also gets a status change (version 2).
        Map<String, String[]> expected = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        runConcurrently(total, i -> {
            String tx = prefix + "tx-" + i;
            String user = prefix + "u-" + (i % users);
            Api.Response r = api.post("/commands", command(tx, base + i, user, i));
            if (r.status() != 201) {
                return r;
            }
            expected.put(tx, new String[]{user, "1", "SENT"});
            if (i % 10 == 0) {
                r = api.patch("/commands/" + tx, Map.of("status", "DELIVERED", "version", 1));
                if (r.status() == 200) {
                    expected.put(tx, new String[]{user, "2", "DELIVERED"});
                }
            }
            return r;
        });
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(expected).hasSize(total);

        // Through the API: every user's records, compared with what was sent.
        long t1 = System.nanoTime();
        awaitRead("the read side in sync with " + total + " commands", Duration.ofSeconds(120), () -> {
            Map<String, String[]> seen = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                for (JsonNode n : queryAll("/query/user", "user_id", prefix + "u-" + u)) {
                    String tx = n.path("transaction_id").asText();
                    String[] view = {n.path("user_id").asText(), n.path("source_version").asText(), n.path("status").asText()};
                    if (seen.put(tx, view) != null) {
                        problems.add("twice: " + tx);
                    }
                }
            }
            expected.forEach((tx, want) -> {
                String[] got = seen.get(tx);
                if (got == null) {
                    problems.add("missing: " + tx);
                } else if (!List.of(want).equals(List.of(got))) {
                    problems.add("stale: " + tx + " " + List.of(got) + " != " + List.of(want));
                }
            });
            seen.keySet().stream().filter(tx -> !expected.containsKey(tx)).forEach(tx -> problems.add("orphan: " + tx));
            assertThat(problems).as("%d problems, e.g.", problems.size()).isEmpty();
        });
        double syncSeconds = (System.nanoTime() - t1) / 1e9;

        // Both tables, item by item: one view per command, at the command's version.
        Map<String, String> commandVersions = scanVersions(target.commandTable(), prefix, "version");
        Map<String, String> viewVersions = scanVersions(target.notificationTable(), prefix, "source_version");
        assertThat(commandVersions).hasSize(total);
        assertThat(viewVersions).isEqualTo(commandVersions);
        System.out.printf("[it] %d commands (+%d status changes) from %d threads in %.1f s (%.0f requests/s, %d throttled"
                        + " answers retried so far); read side in sync %.1f s later%n",
                total, total / 10, threads(), writeSeconds, (total + total / 10) / writeSeconds, api.throttled(), syncSeconds);
    }

    @Test
    @Order(11)
    void aPayloadDynamoDbRefusesIsA400AndTheReadSideGoesOn() {
        // DynamoDB refuses an empty attribute name at any depth; the embedded stack used to store it (moto) and its
        // stream record then stopped the read side for everyone
        String user = id("empty-name-user");
        long createdAt = System.currentTimeMillis();
        ObjectNode refused = command(id("empty-name-tx"), createdAt, user, 0);
        refused.putObject("payload").put("ok", 1).putObject("inner").put("", "x");
        assertError(api.post("/commands", refused), 400, "VALIDATION_ERROR");
        // written straight into command-records (an operator's tool): DynamoDB refuses it, and so does the target
        Map<String, AttributeValue> direct = new HashMap<>(commandKey(id("empty-name-direct-tx"), createdAt + 2));
        direct.put("user_id", s(user));
        direct.put("payload", AttributeValue.fromM(Map.of("", s("x"))));
        assertThatThrownBy(() -> aws.dynamoDb.putItem(b -> b.tableName(target.commandTable()).item(direct)))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        String tx = id("after-empty-name-tx");
        assertCreated(api.post("/commands", command(tx, createdAt + 1, user, 1)));
        awaitRead("the command after the refused one in /query/user", () ->
                assertThat(items(api.get(Api.path("/query/user", "user_id", user))))
                        .extracting(n -> n.path("transaction_id").asText()).containsExactly(tx));
    }

    @Test
    @Order(11)
    void poisonStreamRecordEndsInTheDlqWhileTheRecordsBehindItAreProjected() {
        assertThat(target.dlqUrl()).as("DlqUrl output").isNotBlank();
        assertThat(target.streamArn()).as("CommandStreamArn output").isNotBlank();
        String user = id("poison-user");
        String poisonTx = id("poison-tx");
        long createdAt = System.currentTimeMillis();
        // A record the projection cannot map (a platform outside the enum), written straight into command-records.
        Map<String, AttributeValue> poison = new HashMap<>(commandKey(poisonTx, createdAt));
        poison.put("user_id", s(user));
        poison.put("platform", s("BLACKBERRY"));
        poison.put("device_token", s("token"));
        poison.put("status", s("SENT"));
        aws.dynamoDb.putItem(b -> b.tableName(target.commandTable()).item(poison));
        // Good records right behind it, through the API.
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String tx = id("poison-good-" + i);
            assertCreated(api.post("/commands", command(tx, createdAt + 1 + i, user, i)));
            good.add(tx);
        }

        // The stream processor itself sends the poison record to the DLQ, in the shape of the mapping's on-failure
        // message plus the record's keys (docs/reliability.md, "Poison records"), and goes on with the batch.
        JsonNode[] found = new JsonNode[1];
        List<String> discarded = new ArrayList<>();
        awaitRead("the on-failure message of the poison record in " + target.dlqUrl(), Duration.ofSeconds(120), () -> {
            for (Message m : aws.sqs.receiveMessage(b -> b.queueUrl(target.dlqUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(2)).messages()) {
                JsonNode body = Api.JSON.readTree(m.body());
                List<String> txs = body.path("poisonRecord").isObject()
                        ? List.of(body.at("/poisonRecord/keys/transaction_id/S").asText()) : List.of();
                if (txs.contains(poisonTx)) {
                    found[0] = body;
                    discarded.addAll(txs);
                    aws.sqs.deleteMessage(b -> b.queueUrl(target.dlqUrl()).receiptHandle(m.receiptHandle()));
                }
            }
            assertThat(found[0]).isNotNull();
        });
        JsonNode message = found[0];
        System.out.println("[it] on-failure message: " + message);
        assertThat(message.path("requestContext").path("condition").asText()).isEqualTo("PoisonRecord");
        assertThat(message.path("requestContext").path("functionArn").asText()).contains("stream-processor");
        assertThat(message.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(message.path("version").asText()).isEqualTo("1.0");
        assertThat(message.path("timestamp").asText()).isNotBlank();
        JsonNode info = message.path("DDBStreamBatchInfo");
        assertThat(info.path("streamArn").asText()).isEqualTo(target.streamArn());
        assertThat(info.path("batchSize").asInt()).isEqualTo(1);
        assertThat(info.path("startSequenceNumber").asText()).isEqualTo(info.path("endSequenceNumber").asText())
                .isEqualTo(message.at("/poisonRecord/sequenceNumber").asText());
        assertThat(message.at("/poisonRecord/keys/created_at/N").asText()).isEqualTo(Long.toString(createdAt));
        assertThat(message.at("/poisonRecord/eventName").asText()).isEqualTo("INSERT");
        assertThat(message.at("/poisonRecord/reason").asText()).contains("platform").contains("BLACKBERRY");
        assertThat(discarded).as("only the poison record is discarded").containsExactly(poisonTx);

        // The poison record is never projected; the good records behind it are.
        for (String tx : good) {
            awaitRead("the good record " + tx + " behind the poison record", () ->
                    assertThat(items(api.get(Api.path("/tx", "transaction_id", tx)))).hasSize(1));
        }
        assertThat(items(api.get(Api.path("/tx", "transaction_id", poisonTx)))).isEmpty();
    }

    // =========================================================================================== helpers

    /** An id unique to this run. */
    protected static String id(String suffix) {
        return RUN + "-" + suffix;
    }

    /** A valid create body. */
    protected static ObjectNode command(String tx, long createdAt, String user, int i) {
        return Api.JSON.createObjectNode()
                .put("transaction_id", tx)
                .put("created_at", createdAt)
                .put("user_id", user)
                .put("notification_title", "Hello " + i)
                .put("notification_body", "Notification " + i + " of " + RUN)
                .put("platform", PLATFORMS.get(Math.floorMod(i, PLATFORMS.size())))
                .put("device_token", "token-" + tx)
                .put("status", "SENT");
    }

    protected void assertCreated(Api.Response r) {
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().path("success").asBoolean()).isTrue();
    }

    /** An error answer: the status, JSON content, {"success":false,"error":{"code":...,"message":...}}, no stack trace. */
    protected static void assertError(Api.Response r, int status, String code) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.contentType()).as("content type of %s", r).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.path("success").isBoolean() && !json.path("success").asBoolean()).as("success:false in %s", r).isTrue();
        assertThat(json.path("error").path("code").asText()).as("error.code of %s", r).isEqualTo(code);
        assertThat(json.path("error").path("message").asText()).as("error.message of %s", r).isNotBlank();
        assertThat(r.body()).as("no stack trace in %s", r).doesNotContain("\tat ", "Exception:", "at io.pushcqrs");
    }

    /** The view as the query answers it: every posted field, source_version, no internal keys. */
    private static void assertView(JsonNode view, ObjectNode expected, long sourceVersion) {
        expected.properties().forEach(e -> assertThat(view.path(e.getKey())).as("%s of %s", e.getKey(), view).isEqualTo(e.getValue()));
        assertThat(view.path("source_version").asLong()).isEqualTo(sourceVersion);
        assertThat(view.has("version")).as("no version in the view").isFalse();
        assertThat(view.has("view_sk")).as("no internal key in the view").isFalse();
    }

    /** The items of a 200 answer. */
    protected static List<JsonNode> items(Api.Response r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.path("success").asBoolean()).as("%s", r).isTrue();
        List<JsonNode> items = new ArrayList<>();
        json.path("items").forEach(items::add);
        assertThat(json.path("count").asInt()).isEqualTo(items.size());
        return items;
    }

    /** Every item of a query, page after page (limit 100). */
    protected List<JsonNode> queryAll(String route, String param, String value) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            Api.Response r = api.get(Api.path(route, param, value, "limit", 100, "cursor", cursor));
            all.addAll(items(r));
            JsonNode next = r.json().path("next_cursor");
            if (next.isMissingNode() || next.isNull()) {
                return all;
            }
            cursor = next.asText();
        }
        throw new AssertionError("more than 1000 pages for " + route + "?" + param + "=" + value);
    }

    /** The first pages (limit 100) of a query without a required parameter. */
    private List<JsonNode> firstPages(String route, int pages) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < pages; page++) {
            Api.Response r = api.get(Api.path(route, "limit", 100, "cursor", cursor));
            all.addAll(items(r));
            JsonNode next = r.json().path("next_cursor");
            if (next.isMissingNode() || next.isNull()) {
                break;
            }
            cursor = next.asText();
        }
        return all;
    }

    /** Polls until the assertion holds, or fails with its last error after the (scaled) default deadline. */
    protected void awaitRead(String what, org.awaitility.core.ThrowingRunnable assertion) {
        awaitRead(what, Duration.ofSeconds(60), assertion);
    }

    protected void awaitRead(String what, Duration deadline, org.awaitility.core.ThrowingRunnable assertion) {
        await(what).atMost(scaled(deadline))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .untilAsserted(assertion);
    }

    /** A deadline stretched by the target's {@link #timeoutScale()} and by -Dit.timeoutScale. */
    protected Duration scaled(Duration d) {
        String scale = System.getProperty("it.timeoutScale");
        double factor = timeoutScale() * (scale == null || scale.isBlank() ? 1 : Double.parseDouble(scale));
        return Duration.ofMillis((long) (d.toMillis() * factor));
    }

    /** How much slower than the embedded stack this target is expected to be (deadlines are multiplied by it). */
    protected double timeoutScale() {
        return 1;
    }

    protected static int threads() {
        return Integer.getInteger("it.threads", 8);
    }

    /** Runs n calls on {@link #threads()} threads; every answer must be a 2xx (the first few failures are reported). */
    protected static void runConcurrently(int n, IntFunction<Api.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads());
        try {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> call.apply(index)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                Api.Response r = f.get(5, TimeUnit.MINUTES);
                if (r.status() / 100 != 2) {
                    failures.add(r.toString());
                }
            }
            assertThat(failures).as("%d of %d calls failed, e.g.", failures.size(), n).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** transaction_id -> the given number attribute, of every item of a table whose transaction_id starts with the prefix. */
    private Map<String, String> scanVersions(String table, String prefix, String versionAttribute) {
        Map<String, String> versions = new TreeMap<>();
        ScanRequest scan = ScanRequest.builder().tableName(table).consistentRead(true)
                .filterExpression("begins_with(transaction_id, :p)")
                .expressionAttributeValues(Map.of(":p", s(prefix))).build();
        aws.dynamoDb.scanPaginator(scan).items().forEach(item -> {
            String tx = item.get("transaction_id").s();
            AttributeValue v = item.get(versionAttribute);
            String previous = versions.put(tx, v == null ? null : v.n());
            assertThat(previous).as("one item per transaction_id in %s: %s", table, tx).isNull();
        });
        return versions;
    }

    protected static Map<String, AttributeValue> commandKey(String tx, long createdAt) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("transaction_id", s(tx));
        key.put("created_at", n(createdAt));
        return key;
    }

    protected static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    protected static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String randomSuffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        return IntStream.range(0, 4).mapToObj(i -> String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))))
                .collect(Collectors.joining());
    }
}
