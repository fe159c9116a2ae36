package io.pushcqrs.queryresult;

import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.Startup;
import io.pushcqrs.queryresult.adapter.QueryInvocations;
import io.pushcqrs.awstest.TestContext;
import io.pushcqrs.model.error.UnavailableException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.queryresult.app.CursorCodec;
import io.pushcqrs.queryresult.app.InMemoryViewQueries;
import io.pushcqrs.queryresult.app.QueryService;
import io.pushcqrs.queryresult.app.ViewQueries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.pushcqrs.queryresult.Views.item;
import static io.pushcqrs.queryresult.Views.notification;
import static org.assertj.core.api.Assertions.assertThat;

/** The handler as the Lambda runtime drives a RequestStreamHandler: raw invoke payload in, raw bytes out. */
class QueryResultHandlerTest {
    private static final String SECRET = "handler-test-secret";
    private final List<String> logLines = new ArrayList<>();
    private final Log log = Log.to(logLines::add);
    private final InMemoryViewQueries store = new InMemoryViewQueries();
    private QueryResultHandler handler;

    @BeforeEach
    void setUp() {
        long t = 1_700_000_000_000L;
        store.add(item(notification("user-1", t + 1_000, "tx-1").marketingId("campaign-7").snsId("sns-1")));
        store.add(item(notification("user-1", t + 2_000, "tx-2").marketingId("campaign-7")));
        store.add(item(notification("user-1", t + 3_000, "tx-3").status(Status.FAILED).failedTs(t + 3_500).errorMsg("gone")));
        store.add(item(notification("user-1", t + 9_000, "tx-late")));
        store.add(item(notification("user-2", t + 4_000, "tx-3").status(Status.FAILED).platform(Platform.WEBPUSH)));
        store.add(item(notification("user-2", t + 5_000, "tx-3").status(Status.DELIVERED)));
        handler = handlerOver(store);
    }

    private QueryResultHandler handlerOver(ViewQueries views) {
        return new QueryResultHandler(new QueryService(views, new CursorCodec(SECRET.getBytes(StandardCharsets.UTF_8))), log);
    }

    // ---- the runtime's contract -----------------------------------------------------------------

    @Test
    void theRuntimeCanInstantiateAndCallTheHandler() throws Exception {
        assertThat(RequestStreamHandler.class).isAssignableFrom(QueryResultHandler.class);
        assertThat(Modifier.isPublic(QueryResultHandler.class.getModifiers())).isTrue();
        Constructor<QueryResultHandler> noArgs = QueryResultHandler.class.getConstructor();
        assertThat(Modifier.isPublic(noArgs.getModifiers())).isTrue();
        Method handle = QueryResultHandler.class.getMethod("handleRequest", InputStream.class, OutputStream.class, Context.class);
        assertThat(handle.getDeclaringClass()).isEqualTo(QueryResultHandler.class);
        assertThat(handle.getReturnType()).isEqualTo(void.class);
    }

    // ---- fixtures: the payloads query-lambda sends ------------------------------------------------

    @Test
    void answersAUserQueryFixtureWithAPageAndFollowsItsCursor() {
        JsonNode first = invoke(fixture("user.json"), "req-1");

        assertThat(first.get("success").booleanValue()).isTrue();
        assertThat(first.has("error")).isFalse();
        assertThat(txIds(first)).containsExactly("tx-3", "tx-2");
        JsonNode view = first.get("items").get(0);
        assertThat(view.get("notification").get("user_id").textValue()).isEqualTo("user-1");
        assertThat(view.get("notification").get("status").textValue()).isEqualTo("FAILED");
        assertThat(view.get("notification").get("error_msg").textValue()).isEqualTo("gone");
        assertThat(view.get("notification").get("created_at").longValue()).isEqualTo(1_700_000_003_000L);
        assertThat(view.get("source_version").longValue()).isEqualTo(1L);
        String cursor = first.get("next_cursor").textValue();
        assertThat(cursor).isNotBlank();

        JsonNode second = invoke("{\"type\":\"USER\",\"user_id\":\"user-1\",\"from\":1700000000000,\"to\":1700000005000,"
                + "\"limit\":2,\"cursor\":\"" + cursor + "\"}", "req-2");
        assertThat(txIds(second)).containsExactly("tx-1");
        assertThat(second.has("next_cursor")).isFalse();
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("\"AWSRequestId\":\"req-1\"").contains("\"outcome\":\"OK\"")
                .contains("\"type\":\"USER\"").contains("\"count\":2").contains("\"has_next\":true"));
    }

    @ParameterizedTest
    @CsvSource({
            "marketing.json, tx-2 tx-1",
            "transaction.json, tx-3 tx-3 tx-3",
            "sns.json, tx-1",
            "failures.json, tx-3 tx-3",
            "failures-of-transaction.json, tx-3",
    })
    void answersEachQueryTypeFixture(String file, String expected) {
        JsonNode answer = invoke(fixture(file), "req-" + file);

        assertThat(answer.get("success").booleanValue()).isTrue();
        assertThat(txIds(answer)).containsExactly(expected.split(" "));
    }

    @Test
    void theFailuresOfATransactionComeNewestFirstOnePageAtATime() {
        JsonNode first = invoke(fixture("failures-of-transaction.json"), "r1");
        assertThat(first.get("items").get(0).get("notification").get("user_id").textValue()).isEqualTo("user-2");
        JsonNode second = invoke("{\"type\":\"FAILURES\",\"transaction_id\":\"tx-3\",\"limit\":1,\"cursor\":\""
                + first.get("next_cursor").textValue() + "\"}", "r2");
        assertThat(second.get("items").get(0).get("notification").get("user_id").textValue()).isEqualTo("user-1");
        assertThat(second.has("next_cursor")).isFalse();
    }

    // ---- bad requests: success=false, VALIDATION_ERROR, never thrown -------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                              | body: is not valid JSON",
            "[1,2]                                                 | body: must be a JSON object",
            "\"USER\"                                              | body: must be a JSON object",
            "null                                                  | body: is required",
            "{\"type\":\"EVERYTHING\"}                             | type: must be one of USER, MARKETING, TRANSACTION, SNS, FAILURES",
            "{\"user_id\":\"u1\"}                                  | type: is required",
            "{\"type\":\"USER\"}                                   | user_id: is required",
            "{\"type\":\"MARKETING\",\"user_id\":\"u1\"}           | marketing_id: is required",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"limit\":0}    | limit: must be between 1 and 100 (was 0)",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"limit\":101}  | limit: must be between 1 and 100 (was 101)",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"limit\":2.5}  | limit",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"from\":9,\"to\":1} | from: must not be after to",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"drop\":true}  | drop: is not a known field",
            "{\"type\":\"SNS\",\"sns_id\":\"s1\",\"from\":1}       | from: is only supported on user queries",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"cursor\":\"eyJ2IjoxLCJxIjoieCIsImsiOnt9fQ.AAAA\"} | cursor is invalid",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"cursor\":\"garbage\"} | cursor is invalid",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"from\":0e-999999999} | from: must have at most 38 significant digits",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"limit\":1e999999999} | limit: must have at most 38 significant digits",
            "{\"type\":\"USER\",\"user_id\":\"u1\",\"limit\":\"5\"} | limit: has the wrong type",
            "{\"type\":0,\"user_id\":\"u1\"}                    | type: must be one of USER",
    })
    void badRequestsAreAnsweredWithValidationErrors(String request, String message) {
        JsonNode answer = invoke(request, "bad-1");

        assertFailure(answer, "VALIDATION_ERROR", message);
        assertThat(store.calls).isEmpty();
        assertThat(logLines).singleElement().satisfies(l -> assertThat(l).contains("\"AWSRequestId\":\"bad-1\"")
                .contains("\"outcome\":\"VALIDATION_ERROR\""));
    }

    @Test
    void anEmptyPayloadIsAValidationError() {
        assertFailure(invoke("", "empty"), "VALIDATION_ERROR", "body: is required");
    }

    @Test
    void anInvalidUtf8IdIsAValidationError() {
        byte[] bad = "{\"type\":\"USER\",\"user_id\":\"u\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertFailure(invoke(bad, "utf8"), "VALIDATION_ERROR", "user_id: may contain only");
    }

    @Test
    void anOversizedPayloadIsAValidationError() {
        String huge = "{\"type\":\"USER\",\"user_id\":\"u1\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        assertFailure(invoke(huge, "big"), "VALIDATION_ERROR", "body: must be at most 65536 bytes");
    }

    @Test
    void theCursorOfAnotherQueryIsAValidationError() {
        String cursor = invoke(fixture("user.json"), "a").get("next_cursor").textValue();

        JsonNode answer = invoke("{\"type\":\"USER\",\"user_id\":\"user-2\",\"from\":1700000000000,\"to\":1700000005000,"
                + "\"cursor\":\"" + cursor + "\"}", "b");

        assertFailure(answer, "VALIDATION_ERROR", "cursor belongs to another query");
    }

    @Test
    void aCursorSignedWithAnotherSecretIsAValidationError() {
        String cursor = invoke(fixture("user.json"), "a").get("next_cursor").textValue();
        QueryResultHandler otherDeployment = new QueryResultHandler(
                new QueryService(store, new CursorCodec("other".getBytes(StandardCharsets.UTF_8))), log);

        JsonNode answer = parse(run(otherDeployment, ("{\"type\":\"USER\",\"user_id\":\"user-1\",\"from\":1700000000000,"
                + "\"to\":1700000005000,\"limit\":2,\"cursor\":\"" + cursor + "\"}").getBytes(StandardCharsets.UTF_8), "c"));

        assertFailure(answer, "VALIDATION_ERROR", "cursor is invalid");
    }

    // ---- store and internal failures --------------------------------------------------------------

    @Test
    void aThrottledStoreIsUnavailable() {
        handler = handlerOver(q -> {
            throw new UnavailableException("the notification store is throttled", ProvisionedThroughputExceededException.builder().message("slow down").build());
        });

        assertFailure(invoke(fixture("sns.json"), "thr-1"), "UNAVAILABLE", UnavailableException.MESSAGE);
        assertThat(logLines).singleElement().satisfies(l -> assertThat(l).contains("\"level\":\"ERROR\"")
                .contains("\"AWSRequestId\":\"thr-1\"").contains("\"outcome\":\"UNAVAILABLE\"").contains("slow down"));
    }

    @Test
    void aMisconfiguredStoreIsAnInternalErrorLoggedWithTheActionAndTheResource() {
        handler = handlerOver(q -> {
            throw AwsFailure.of(AwsFailure.Kind.MISCONFIGURED, "dynamodb:Query", "table/dev-notification-records/index/sns-index",
                    "AccessDeniedException", 400, "not authorized").exception(null);
        });

        JsonNode answer = invoke(fixture("sns.json"), "cfg-1");
        assertFailure(answer, "INTERNAL_ERROR", "internal error");
        assertThat(answer.toString()).doesNotContain("sns-index").doesNotContain("AccessDenied");
        assertThat(logLines).singleElement().satisfies(l -> assertThat(l).contains("\"level\":\"ERROR\"")
                .contains("dynamodb:Query on table/dev-notification-records/index/sns-index failed: AccessDeniedException"));
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorWithoutItsDetails() {
        handler = handlerOver(q -> {
            throw new IllegalStateException("boom: table layout is wrong");
        });

        String raw = new String(run(handler, fixture("user.json").getBytes(StandardCharsets.UTF_8), "int-1"), StandardCharsets.UTF_8);
        JsonNode answer = parse(raw.getBytes(StandardCharsets.UTF_8));

        assertFailure(answer, "INTERNAL_ERROR", "internal error (request int-1)");
        assertThat(raw).doesNotContain("boom").doesNotContain("IllegalStateException").doesNotContain("\tat ");
        assertThat(logLines).singleElement().satisfies(l -> assertThat(l).contains("\"level\":\"ERROR\"")
                .contains("\"AWSRequestId\":\"int-1\"").contains("IllegalStateException: boom").contains("QueryService")
                .doesNotContain("\n"));
    }

    @Test
    void anUnreadableInputIsAnInternalError() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("stream reset");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(broken, out, new TestContext("io-1"));

        assertFailure(parse(out.toByteArray()), "INTERNAL_ERROR", "io-1");
    }

    @Test
    void anUnwritableOutputIsLoggedNotThrown() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("pipe closed");
            }
        };

        handler.handleRequest(new ByteArrayInputStream(fixture("sns.json").getBytes(StandardCharsets.UTF_8)), broken,
                new TestContext("out-1"));

        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("cannot write the response").contains("pipe closed"));
    }

    @Test
    void aHandlerThatCannotBeSetUpDoesNotStart() {
        Env unreadable = Env.of(name -> {
            if (name.equals("CURSOR_SECRET_ARN")) {
                return "arn:aws:secretsmanager:us-east-1:000000000000:secret:k";
            }
            throw new SecurityException("environment not readable");
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Startup.build("query-result-lambda", log,
                        () -> QueryInvocations.fromEnvironment(unreadable, log, arn -> "k".repeat(64))))
                .isInstanceOf(SecurityException.class);
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("cannot start query-result-lambda")
                .contains("environment not readable"));
    }

    @Test
    void aHandlerWithoutItsCursorKeyDoesNotStart() {
        String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:gone";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Startup.build("query-result-lambda", log,
                        () -> QueryInvocations.fromEnvironment(Env.of(Map.of("CURSOR_SECRET_ARN", arn)), log, id -> {
                            throw new IllegalStateException("AccessDeniedException: not authorized");
                        })))
                .isInstanceOf(CursorSecret.MissingKeyException.class)
                .hasMessageContaining(arn);
        assertThat(logLines).singleElement().satisfies(l -> assertThat(l).contains("\"level\":\"ERROR\"")
                .contains("cannot start query-result-lambda").contains(arn).contains("not authorized"));
    }

    @Test
    void anUnreadableStoredViewIsLoggedWithItsKeyAndLeftOut() {
        Map<String, AttributeValue> bad = new HashMap<>(item(notification("user-9", 10, "tx-bad")));
        bad.put("retry_cnt", AttributeValue.fromS("three"));
        store.add(bad);
        store.add(item(notification("user-9", 5, "tx-good")));

        JsonNode answer = invoke("{\"type\":\"USER\",\"user_id\":\"user-9\"}", "skip-1");

        assertThat(txIds(answer)).containsExactly("tx-good");
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("\"level\":\"ERROR\"").contains("\"AWSRequestId\":\"skip-1\"")
                .contains("\"user_id\":\"user-9\"").contains("\"view_sk\":\"000000000000010#tx-bad\"").contains("retry_cnt"));
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("\"outcome\":\"OK\"").contains("\"skipped\":1"));
    }

    @Test
    void withoutAContextTheRequestIdIsADash() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), out, null);

        assertFailure(parse(out.toByteArray()), "VALIDATION_ERROR", "type: is required");
        assertThat(logLines).singleElement().satisfies(l -> assertThat(l).contains("\"AWSRequestId\":\"-\""));
    }

    @Test
    void theLogNeverCarriesTheSecretOrTheCursor() {
        String cursor = invoke(fixture("user.json"), "a").get("next_cursor").textValue();
        invoke("{\"type\":\"USER\",\"user_id\":\"user-1\",\"from\":1700000000000,\"to\":1700000005000,\"limit\":2,\"cursor\":\""
                + cursor + "\"}", "b");

        assertThat(logLines).hasSize(2).allSatisfy(l -> assertThat(l).doesNotContain(SECRET).doesNotContain(cursor));
        assertThat(logLines.get(1)).contains("\"cursor\":true");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private JsonNode invoke(String payload, String requestId) {
        return invoke(payload.getBytes(StandardCharsets.UTF_8), requestId);
    }

    private JsonNode invoke(byte[] payload, String requestId) {
        return parse(run(handler, payload, requestId));
    }

    private static byte[] run(QueryResultHandler h, byte[] payload, String requestId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(payload), out, new TestContext(requestId));
        return out.toByteArray();
    }

    private static JsonNode parse(byte[] output) {
        return Json.readTree(new String(output, StandardCharsets.UTF_8));
    }

    private static void assertFailure(JsonNode answer, String code, String message) {
        assertThat(answer.get("success").booleanValue()).isFalse();
        assertThat(answer.get("error").get("code").textValue()).isEqualTo(code);
        assertThat(answer.get("error").get("message").textValue()).contains(message);
        assertThat(answer.get("items")).isEmpty();
        assertThat(answer.has("next_cursor")).isFalse();
    }

    private static List<String> txIds(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("items").forEach(v -> ids.add(v.get("notification").get("transaction_id").textValue()));
        return ids;
    }

    static String fixture(String name) {
        try (InputStream in = QueryResultHandlerTest.class.getResourceAsStream("/requests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
