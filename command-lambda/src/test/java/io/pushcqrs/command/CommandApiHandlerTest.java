package io.pushcqrs.command;

import io.pushcqrs.awstest.TestContext;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.command.app.CommandService;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.command.app.InMemoryCommandRepository;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.json.Json;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandApiHandlerTest {
    static final long NOW = 1_710_238_600_000L;
    static final String TX = "tx-2024-0001";
    static final long CREATED_AT = 1_710_238_500_000L;

    final InMemoryCommandRepository repo = new InMemoryCommandRepository();
    final CommandApiHandler handler = new CommandApiHandler(
            new CommandService(repo, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)));
    final TestContext context = new TestContext("lambda-req-1");

    APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return handler.handleRequest(event, context);
    }

    APIGatewayProxyResponseEvent call(String fixture) {
        return call(EventLoader.loadApiGatewayRestEvent("events/" + fixture));
    }

    APIGatewayProxyResponseEvent post(String body) {
        APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
        e.setBody(body);
        return call(e);
    }

    APIGatewayProxyResponseEvent patch(String tx, String body) {
        APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/patch-command.json");
        e.setPathParameters(Map.of("transaction_id", tx));
        e.setPath("/commands/" + tx);
        e.setBody(body);
        return call(e);
    }

    /** The event with its Content-Type (in both header maps) replaced by name: value, or removed when value is null. */
    static APIGatewayProxyRequestEvent contentType(APIGatewayProxyRequestEvent e, String name, String value) {
        Map<String, String> headers = new java.util.HashMap<>(e.getHeaders());
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
        Map<String, java.util.List<String>> multi = new java.util.HashMap<>(e.getMultiValueHeaders());
        multi.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
        if (value != null) {
            headers.put(name, value);
            multi.put(name, java.util.List.of(value));
        }
        e.setHeaders(headers);
        e.setMultiValueHeaders(multi);
        return e;
    }

    static JsonNode body(APIGatewayProxyResponseEvent r) {
        return Json.readTree(r.getBody());
    }

    /** Asserts the error shape and returns the error object. */
    static JsonNode error(APIGatewayProxyResponseEvent r, int status, String code) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8");
        JsonNode b = body(r);
        assertThat(b.get("success").asBoolean()).isFalse();
        assertThat(b.get("error").get("code").asText()).isEqualTo(code);
        assertThat(b.get("error").get("message").asText()).isNotBlank();
        assertThat(r.getBody()).doesNotContain("Exception").doesNotContain("\tat ");
        return b.get("error");
    }

    void storeFixtureItem(long version) {
        repo.put(Notification.builder().transactionId(TX).createdAt(CREATED_AT).userId("user-42").platform(Platform.IOS)
                .deviceToken("a3f5c0ffee").status(Status.SENT).retryCnt(0).version(version).build());
    }

    @Nested
    class Create {
        @Test
        void createsAndAnswers201WithTheStoredRecord() {
            APIGatewayProxyResponseEvent r = call("post-commands.json");

            assertThat(r.getStatusCode()).isEqualTo(201);
            assertThat(r.getIsBase64Encoded()).isFalse();
            assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8");
            JsonNode b = body(r);
            assertThat(b.get("success").asBoolean()).isTrue();
            JsonNode item = b.get("item");
            assertThat(item.get("transaction_id").asText()).isEqualTo(TX);
            assertThat(item.get("created_at").asLong()).isEqualTo(CREATED_AT);
            assertThat(item.get("version").asLong()).isEqualTo(1);
            assertThat(item.get("platform").asText()).isEqualTo("IOS");
            assertThat(item.get("payload").get("ratio").decimalValue()).isEqualByComparingTo("0.25");
            assertThat(item.get("send_ts").asLong()).isEqualTo(1710238500100L);
            assertThat(item.has("error_msg")).isFalse(); // absent fields are left out
            assertThat(repo.find(TX, CREATED_AT)).isPresent();
        }

        @Test
        void sameBodyAgainGetsTheSameAnswer() {
            APIGatewayProxyResponseEvent first = call("post-commands.json");
            APIGatewayProxyResponseEvent again = call("post-commands.json");

            assertThat(again.getStatusCode()).isEqualTo(201);
            assertThat(again.getBody()).isEqualTo(first.getBody());
            assertThat(repo.size()).isEqualTo(1);
            assertThat(context.lines.get(1)).contains("\"outcome\":\"replayed\"");
        }

        @Test
        void differentBodyForTheSameKeyIsAConflict() {
            call("post-commands.json");
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"SENT\"", "\"FAILED\""));

            JsonNode err = error(call(e), 409, "CONFLICT");
            assertThat(err.get("message").asText()).contains(TX).contains("status");
        }

        @Test
        void transactionIdAndCreatedAtAreDefaulted() {
            APIGatewayProxyResponseEvent r = post("{\"user_id\":\"u1\",\"platform\":\"WEBPUSH\",\"device_token\":\"d\",\"status\":\"SENT\"}");
            assertThat(r.getStatusCode()).isEqualTo(201);
            JsonNode item = body(r).get("item");
            assertThat(item.get("transaction_id").asText()).matches("[0-9a-f-]{36}");
            assertThat(item.get("created_at").asLong()).isEqualTo(NOW);
            assertThat(item.get("version").asLong()).isEqualTo(1);
        }

        @Test
        void nullOptionalFieldsAreLeftOut() {
            APIGatewayProxyResponseEvent r = post("{\"transaction_id\":null,\"user_id\":\"u1\",\"platform\":\"IOS\","
                    + "\"device_token\":\"d\",\"status\":\"SENT\",\"payload\":null,\"marketing_id\":\"\"}");
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
            JsonNode item = body(r).get("item");
            assertThat(item.has("payload")).isFalse();
            assertThat(item.has("marketing_id")).isFalse();
            assertThat(item.get("transaction_id").asText()).isNotBlank();
        }

        @Test
        void base64BodyIsDecoded() {
            APIGatewayProxyResponseEvent r = call("post-commands-base64.json");
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
            assertThat(body(r).get("item").get("notification_title").asText()).isEqualTo("Grüße ✓");
            assertThat(repo.find("tx-b64", CREATED_AT)).isPresent();
        }

        @Test
        void invalidBase64IsRejected() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands-base64.json");
            e.setBody("not base64 !!");
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText()).startsWith("body:");
        }

        @Test
        void malformedJsonIs400() {
            JsonNode err = error(post("{\"user_id\": \"u1\", "), 400, "VALIDATION_ERROR");
            assertThat(err.get("message").asText()).startsWith("body: is not valid JSON");
        }

        @Test
        void missingOrNonObjectBodyIs400() {
            assertThat(error(post(null), 400, "VALIDATION_ERROR").get("message").asText()).isEqualTo("body: is required (a JSON object)");
            assertThat(error(post("  "), 400, "VALIDATION_ERROR").get("message").asText()).isEqualTo("body: is required (a JSON object)");
            assertThat(error(post("[1,2]"), 400, "VALIDATION_ERROR").get("message").asText()).isEqualTo("body: must be a JSON object");
        }

        @Test
        void missingRequiredFieldsAreListed() {
            JsonNode err = error(post("{\"user_id\":\"u1\"}"), 400, "VALIDATION_ERROR");
            assertThat(err.get("details").findValuesAsText("field")).containsExactlyInAnyOrder("platform", "device_token", "status");
        }

        @Test
        void wrongEnumNamesTheFieldAndTheValues() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"IOS\"", "\"ios\""));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("platform: must be one of IOS, ANDROID, WEBPUSH, was 'ios'");
        }

        @Test
        void unknownFieldAndWrongTypeAre400() {
            assertThat(error(post("{\"user_id\":\"u\",\"colour\":\"red\"}"), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("colour: is not a known field");
            assertThat(error(post("{\"created_at\":\"yesterday\"}"), 400, "VALIDATION_ERROR").get("message").asText())
                    .startsWith("created_at:");
            assertThat(error(post("{\"retry_cnt\":1.5}"), 400, "VALIDATION_ERROR").get("message").asText())
                    .startsWith("retry_cnt:");
        }

        @Test
        void negativeRetryCountIs400() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"retry_cnt\": 0", "\"retry_cnt\": -1"));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("retry_cnt: must be between 0 and 1000 (was -1)");
        }

        @Test
        void overLongStringsAre400() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"Spring sale\"", "\"" + "x".repeat(300) + "\""));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("notification_title: must be at most 256 characters (was 300)");
        }

        @Test
        void payloadMustBeAnObject() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replaceAll("\"payload\": \\{[^}]*}", "\"payload\": [1, 2]"));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText()).isEqualTo("payload: must be a JSON object");
        }

        @Test
        void clientVersionIs400() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"retry_cnt\": 0", "\"version\": 7"));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("version: is set by the service and may not be sent");
        }

        @Test
        void bodyOver64KiBIs413() {
            String big = "{\"notification_body\":\"" + "x".repeat(64 * 1024) + "\"}";
            JsonNode err = error(post(big), 413, "PAYLOAD_TOO_LARGE");
            assertThat(err.get("message").asText()).contains("65536");
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands-base64.json");
            e.setBody(Base64.getEncoder().encodeToString(big.getBytes(StandardCharsets.UTF_8)));
            error(call(e), 413, "PAYLOAD_TOO_LARGE");
            assertThat(repo.size()).isZero();
        }
    }

    @Nested
    class Inputs {
        @Test
        void aZeroWithAHugeExponentIs400NotAnOutOfMemoryError() {
            JsonNode err = error(post("{\"payload\":{\"x\":0e-999999999}}"), 400, "VALIDATION_ERROR");
            assertThat(err.get("details").get(0).get("field").asText()).isEqualTo("payload.x");
            assertThat(repo.size()).isZero();
        }

        @Test
        void numbersOutOfDynamoDbsRangeAre400AnywhereInTheBody() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"ratio\": 0.25", "\"ratio\": [1, {\"deep\": 1e126}]"));
            JsonNode err = error(call(e), 400, "VALIDATION_ERROR");
            assertThat(err.get("details").get(0).get("field").asText()).isEqualTo("payload.ratio[1].deep");
            assertThat(error(patch(TX, "{\"status\":\"FAILED\",\"version\":1,\"retry_cnt\":1e-131}"), 400,
                    "VALIDATION_ERROR").get("details").get(0).get("field").asText()).isEqualTo("retry_cnt");
        }

        @Test
        void emptyPayloadKeysAre400() {
            JsonNode err = error(post("{\"user_id\":\"u\",\"platform\":\"IOS\",\"device_token\":\"d\",\"status\":\"SENT\","
                    + "\"payload\":{\"a\":{\"\":1}}}"), 400, "VALIDATION_ERROR");
            assertThat(err.get("message").asText()).isEqualTo("payload.a: has an empty key (DynamoDB refuses empty attribute names)");
        }

        @Test
        void numbersForEnumsAndStringsForNumbersAre400WithTheField() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("\"SENT\"", "2"));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("status: must be one of SENT, DELIVERED, FAILED, was 2");
            storeFixtureItem(1);
            assertThat(error(patch(TX, "{\"status\":\"FAILED\",\"version\":\"1\"}"), 400, "VALIDATION_ERROR")
                    .get("details").get(0).get("field").asText()).isEqualTo("version");
            assertThat(error(patch(TX, "{\"status\":2,\"version\":1}"), 400, "VALIDATION_ERROR")
                    .get("details").get(0).get("field").asText()).isEqualTo("status");
            assertThat(repo.get(TX, CREATED_AT).orElseThrow().status()).isEqualTo(Status.SENT);
        }

        @Test
        void microsecondTimesAre400SayingEpochMilliseconds() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setBody(e.getBody().replace("1710238500000", "1710238500000000"));
            JsonNode err = error(call(e), 400, "VALIDATION_ERROR");
            assertThat(err.get("message").asText()).contains("epoch milliseconds");
            storeFixtureItem(1);
            assertThat(error(patch(TX, "{\"status\":\"DELIVERED\",\"version\":1,\"delivered_ts\":1710238500000000000}"),
                    400, "VALIDATION_ERROR").get("message").asText()).startsWith("delivered_ts: must be epoch milliseconds");
            APIGatewayProxyRequestEvent d = EventLoader.loadApiGatewayRestEvent("events/delete-command-query.json");
            d.setQueryStringParameters(Map.of("created_at", "1710238500000000"));
            assertThat(error(call(d), 400, "VALIDATION_ERROR").get("message").asText()).contains("epoch milliseconds");
        }
    }

    @Nested
    class MediaType {
        @Test
        void aBodyThatIsNotJsonIs415OnPostAndPatch() {
            JsonNode err = error(call(contentType(EventLoader.loadApiGatewayRestEvent("events/post-commands.json"), "Content-Type", "text/plain")),
                    415, "UNSUPPORTED_MEDIA_TYPE");
            assertThat(err.get("message").asText()).contains("text/plain");
            storeFixtureItem(1);
            error(call(contentType(EventLoader.loadApiGatewayRestEvent("events/patch-command.json"), "content-type", "application/x-www-form-urlencoded")),
                    415, "UNSUPPORTED_MEDIA_TYPE");
            assertThat(repo.size()).isEqualTo(1);
            assertThat(repo.get(TX, CREATED_AT).orElseThrow().version()).isEqualTo(1L);
        }

        @Test
        void jsonWithParametersOrASuffixInAnyCaseIsAccepted() {
            assertThat(call(contentType(EventLoader.loadApiGatewayRestEvent("events/post-commands.json"), "CONTENT-TYPE", "Application/JSON; Charset=UTF-8"))
                    .getStatusCode()).isEqualTo(201);
            storeFixtureItem(1);
            repo.remove(TX, CREATED_AT);
            storeFixtureItem(1);
            assertThat(call(contentType(EventLoader.loadApiGatewayRestEvent("events/patch-command.json"), "content-type", "application/merge-patch+json"))
                    .getStatusCode()).isEqualTo(200);
        }

        @Test
        void aMissingContentTypeIsReadAsJson() {
            assertThat(call(contentType(EventLoader.loadApiGatewayRestEvent("events/post-commands.json"), null, null)).getStatusCode()).isEqualTo(201);
        }

        @Test
        void deleteHasNoBodyAndIgnoresTheContentType() {
            storeFixtureItem(1);
            assertThat(call(contentType(EventLoader.loadApiGatewayRestEvent("events/delete-command.json"), "Content-Type", "text/plain")).getStatusCode())
                    .isEqualTo(200);
        }
    }

    @Nested
    class ChangeStatus {
        @Test
        void patchesTheStatusAndBumpsTheVersion() {
            call("post-commands.json");
            APIGatewayProxyResponseEvent r = call("patch-command.json");

            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
            JsonNode item = body(r).get("item");
            assertThat(body(r).get("success").asBoolean()).isTrue();
            assertThat(item.get("status").asText()).isEqualTo("FAILED");
            assertThat(item.get("version").asLong()).isEqualTo(2);
            assertThat(item.get("failed_ts").asLong()).isEqualTo(NOW);
            assertThat(item.get("retry_cnt").asInt()).isEqualTo(1);
            assertThat(item.get("error_msg").asText()).isEqualTo("InvalidDeviceToken");
            assertThat(item.get("sns_id").asText()).isEqualTo("sns-77");
            assertThat(item.get("user_id").asText()).isEqualTo("user-42");
        }

        @Test
        void staleVersionIs409WithTheCurrentVersion() {
            storeFixtureItem(2);
            JsonNode err = error(call("patch-command.json"), 409, "CONFLICT");
            assertThat(err.get("message").asText()).contains("version 1 is stale").endsWith("is 2");
        }

        @Test
        void unknownTransactionIs404() {
            JsonNode err = error(call("patch-command.json"), 404, "NOT_FOUND");
            assertThat(err.get("message").asText()).contains(TX);
        }

        @Test
        void badBodiesAre400() {
            storeFixtureItem(1);
            assertThat(error(patch(TX, "{\"status\":\"FAILED\"}"), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("version: is required");
            assertThat(error(patch(TX, "{\"status\":\"LOST\",\"version\":1}"), 400, "VALIDATION_ERROR").get("message").asText())
                    .startsWith("status: must be one of SENT, DELIVERED, FAILED");
            assertThat(error(patch(TX, "{\"status\":\"FAILED\",\"version\":1,\"retry_cnt\":-2}"), 400, "VALIDATION_ERROR")
                    .get("message").asText()).startsWith("retry_cnt: must be between 0 and 1000");
            assertThat(error(patch(TX, "{\"status\":\"FAILED\",\"version\":1,\"user_id\":\"x\"}"), 400, "VALIDATION_ERROR")
                    .get("message").asText()).isEqualTo("user_id: is not a known field");
            assertThat(error(patch(TX, "{\"status\":"), 400, "VALIDATION_ERROR").get("message").asText())
                    .startsWith("body: is not valid JSON");
            assertThat(error(patch(TX, null), 400, "VALIDATION_ERROR").get("message").asText()).startsWith("body: is required");
            assertThat(repo.find(TX, CREATED_AT).orElseThrow().version()).isEqualTo(1L);
        }

        @Test
        void retryCountMayNotGoDown() {
            repo.put(Notification.builder().transactionId(TX).createdAt(CREATED_AT).userId("u").platform(Platform.IOS)
                    .deviceToken("d").status(Status.SENT).retryCnt(3).version(1L).build());
            assertThat(error(call("patch-command.json"), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("retry_cnt: must not be lower than the stored value 3 (was 1)");
        }

        @Test
        void invalidPathIdIs400() {
            assertThat(error(patch("bad id!", "{\"status\":\"FAILED\",\"version\":1}"), 400, "VALIDATION_ERROR")
                    .get("message").asText()).startsWith("transaction_id: may contain only");
        }

        @Test
        void percentEncodedPathIdIsDecoded() {
            repo.put(Notification.builder().transactionId("tx/1+a").createdAt(1L).userId("u").platform(Platform.IOS)
                    .deviceToken("d").status(Status.SENT).version(1L).build());
            APIGatewayProxyResponseEvent r = patch("tx%2F1+a", "{\"status\":\"DELIVERED\",\"version\":1}");
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
            assertThat(body(r).get("item").get("transaction_id").asText()).isEqualTo("tx/1+a");
        }
    }

    @Nested
    class Delete {
        @Test
        void deletesEveryItemOfTheTransaction() {
            storeFixtureItem(1);
            repo.put(Notification.builder().transactionId(TX).createdAt(5L).userId("u").build());

            APIGatewayProxyResponseEvent r = call("delete-command.json");

            assertThat(r.getStatusCode()).isEqualTo(200);
            assertThat(body(r).get("success").asBoolean()).isTrue();
            assertThat(body(r).get("deleted").asInt()).isEqualTo(2);
            assertThat(repo.size()).isZero();
            error(call("delete-command.json"), 404, "NOT_FOUND");
        }

        @Test
        void createdAtAndVersionMakeItOneOptimisticDelete() {
            storeFixtureItem(3);
            JsonNode err = error(call("delete-command-query.json"), 409, "CONFLICT");
            assertThat(err.get("message").asText()).endsWith("is 3");
            assertThat(repo.size()).isEqualTo(1);

            repo.put(repo.get(TX, CREATED_AT).orElseThrow().toBuilder().version(2L).build());
            APIGatewayProxyResponseEvent r = call("delete-command-query.json");
            assertThat(r.getStatusCode()).isEqualTo(200);
            assertThat(body(r).get("deleted").asInt()).isEqualTo(1);
        }

        @Test
        void badQueryParametersAre400() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/delete-command-query.json");
            e.setQueryStringParameters(Map.of("created_at", "yesterday"));
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText())
                    .isEqualTo("created_at: must be an integer (was 'yesterday')");
            e.setQueryStringParameters(Map.of("version", "-1"));
            storeFixtureItem(1);
            assertThat(error(call(e), 400, "VALIDATION_ERROR").get("message").asText()).startsWith("version: must not be negative");
        }
    }

    @Nested
    class Routing {
        @Test
        void wrongMethodOnAKnownPathIs405WithAllow() {
            APIGatewayProxyResponseEvent r = call("get-commands.json");
            error(r, 405, "METHOD_NOT_ALLOWED");
            assertThat(r.getHeaders()).containsEntry("Allow", "POST");

            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/patch-command.json");
            e.setHttpMethod("POST");
            APIGatewayProxyResponseEvent r2 = call(e);
            error(r2, 405, "METHOD_NOT_ALLOWED");
            assertThat(r2.getHeaders()).containsEntry("Allow", "PATCH, DELETE");
        }

        @Test
        void unknownRouteIs404() {
            JsonNode err = error(call("get-unknown.json"), 404, "NOT_FOUND");
            assertThat(err.get("message").asText()).isEqualTo("no route GET /notifications/123");
        }

        @Test
        void pathIsUsedWhenResourceIsAbsent() {
            storeFixtureItem(1);
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/delete-command.json");
            e.setResource(null);
            e.setPathParameters(null);
            e.setPath("/commands/" + TX + "/");
            APIGatewayProxyResponseEvent r = call(e);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);

            APIGatewayProxyRequestEvent post = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            post.setResource("/{proxy+}");
            assertThat(call(post).getStatusCode()).isEqualTo(201);
        }

        @Test
        void methodIsCaseInsensitive() {
            APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
            e.setHttpMethod("post");
            assertThat(call(e).getStatusCode()).isEqualTo(201);
        }

        @Test
        void emptyEventIsAnErrorAnswerNotAnException() {
            assertThat(error(handler.handleRequest(new APIGatewayProxyRequestEvent(), null), 404, "NOT_FOUND")
                    .get("message").asText()).isEqualTo("no route (no method) (no path)");
            error(handler.handleRequest(null, null), 404, "NOT_FOUND");
        }
    }

    @Nested
    class Failures {
        @Test
        void unavailableStoreIs503WithRetryAfter() {
            repo.failure = new UnavailableException("DynamoDB answered 400 ProvisionedThroughputExceededException", null);
            APIGatewayProxyResponseEvent r = call("post-commands.json");
            error(r, 503, "UNAVAILABLE");
            assertThat(r.getHeaders()).containsEntry("Retry-After", "1");
            assertThat(r.getBody()).doesNotContain("ProvisionedThroughput");
            assertThat(context.lines.get(0)).contains("\"level\":\"ERROR\"").contains("ProvisionedThroughputExceededException");
        }

        @Test
        void anUnavailableAwsCallIs503WithRetryAfter() {
            repo.failure = AwsFailure.of(AwsFailure.Kind.UNAVAILABLE, "dynamodb:Query", "table/dev-command-records",
                    "ThrottlingException", 400, "Rate exceeded").exception(null);
            APIGatewayProxyResponseEvent r = call("patch-command.json");
            error(r, 503, "UNAVAILABLE");
            assertThat(r.getHeaders()).containsEntry("Retry-After", "1");
            assertThat(context.lines.get(0)).contains("\"level\":\"ERROR\"")
                    .contains("dynamodb:Query on table/dev-command-records failed: ThrottlingException");
        }

        @Test
        void aRejectedAwsCallIs400NamingTheField() {
            repo.failure = AwsFailure.of(AwsFailure.Kind.REJECTED, "dynamodb:PutItem", "table/dev-command-records",
                    "ValidationException", 400, "One or more parameter values were invalid: Key: transaction_id").exception(null);
            JsonNode err = error(call("post-commands.json"), 400, "VALIDATION_ERROR");
            assertThat(err.get("details").get(0).get("field").asText()).isEqualTo("transaction_id");
            assertThat(context.lines.get(0)).contains("\"level\":\"WARN\"");
        }

        @Test
        void aMisconfiguredAwsCallIs500AndTheLogLineNamesActionAndResource() {
            repo.failure = AwsFailure.of(AwsFailure.Kind.MISCONFIGURED, "dynamodb:Query", "table/dev-command-records",
                    "AccessDeniedException", 400, "User: arn:aws:sts::1:assumed-role/x is not authorized").exception(null);
            APIGatewayProxyResponseEvent r = call("patch-command.json");
            JsonNode err = error(r, 500, "INTERNAL_ERROR");
            assertThat(err.get("message").asText()).isEqualTo("internal error (request lambda-req-1)");
            assertThat(r.getBody()).doesNotContain("arn:").doesNotContain("dev-command-records");
            assertThat(r.getHeaders()).doesNotContainKey("Retry-After");
            assertThat(context.lines).hasSize(1);
            assertThat(context.lines.get(0)).contains("\"level\":\"ERROR\"")
                    .contains("dynamodb:Query on table/dev-command-records failed: AccessDeniedException");
        }

        @Test
        void unexpectedExceptionIs500WithoutDetails() {
            repo.failure = new IllegalStateException("internal detail 42");
            APIGatewayProxyResponseEvent r = call("patch-command.json");
            JsonNode err = error(r, 500, "INTERNAL_ERROR");
            assertThat(err.get("message").asText()).isEqualTo("internal error (request lambda-req-1)");
            assertThat(r.getBody()).doesNotContain("internal detail 42");
            String line = context.lines.get(0);
            assertThat(line).contains("\"level\":\"ERROR\"").contains("internal detail 42").contains("\"stackTrace\":[\"");
        }
    }

    @Nested
    class Logging {
        @Test
        void oneJsonLinePerRequestWithIdsAndNoSecrets() {
            call("post-commands.json");
            call("get-unknown.json");

            assertThat(context.lines).hasSize(2);
            JsonNode created = Json.readTree(context.lines.get(0));
            assertThat(created.get("AWSRequestId").asText()).isEqualTo("lambda-req-1");
            assertThat(created.get("api_request_id").asText()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
            assertThat(created.get("method").asText()).isEqualTo("POST");
            assertThat(created.get("status").asInt()).isEqualTo(201);
            assertThat(created.get("transaction_id").asText()).isEqualTo(TX);
            assertThat(created.get("outcome").asText()).isEqualTo("created");
            assertThat(created.has("duration_ms")).isTrue();
            JsonNode notFound = Json.readTree(context.lines.get(1));
            assertThat(notFound.get("status").asInt()).isEqualTo(404);
            assertThat(notFound.get("error_code").asText()).isEqualTo("NOT_FOUND");
            assertThat(String.join("", context.lines))
                    .doesNotContain("SECRET-API-KEY")
                    .doesNotContain("a3f5c0ffee") // device token
                    .doesNotContain("20% off"); // body text
        }
    }

    /** What the Lambda Java runtime needs to load and call the handler. */
    @Test
    void handlerHasTheShapeTheRuntimeCalls() throws Exception {
        Class<CommandApiHandler> type = CommandApiHandler.class;
        assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
        assertThat(Modifier.isAbstract(type.getModifiers())).isFalse();
        Constructor<CommandApiHandler> noArg = type.getConstructor();
        assertThat(Modifier.isPublic(noArg.getModifiers())).isTrue();

        Type handlerInterface = Arrays.stream(type.getGenericInterfaces())
                .filter(t -> t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class)
                .findFirst().orElseThrow();
        assertThat(((ParameterizedType) handlerInterface).getActualTypeArguments())
                .containsExactly(APIGatewayProxyRequestEvent.class, APIGatewayProxyResponseEvent.class);
        Method m = type.getMethod("handleRequest", APIGatewayProxyRequestEvent.class, Context.class);
        assertThat(m.getReturnType()).isEqualTo(APIGatewayProxyResponseEvent.class);
        assertThat(Modifier.isPublic(m.getModifiers())).isTrue();

        // the runtime's constructor reads COMMAND_TABLE: without it the init phase fails, naming the variable
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("COMMAND_TABLE") == null);
        assertThatThrownBy(noArg::newInstance).hasRootCauseInstanceOf(Env.MissingVariableException.class)
                .rootCause().hasMessageContaining("COMMAND_TABLE");
    }
}
