package io.pushcqrs.projection;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.pushcqrs.awstest.TestContext;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.model.Attr;
import io.pushcqrs.projection.adapter.DynamoDbViewStore;
import io.pushcqrs.projection.adapter.StreamBatches;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.InMemoryViewStore;
import io.pushcqrs.projection.app.ProjectionService;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handler with the event JSON AWS sends, deserialised the way the Lambda Java runtime does it. */
class StreamHandlerTest {
    final InMemoryViewStore store = new InMemoryViewStore();
    final StreamHandler handler = new StreamHandler(new ProjectionService(store));
    final TestContext context = new TestContext("req-42");

    static DynamodbEvent event(String name) {
        return EventLoader.loadDynamoDbEvent("events/" + name);
    }

    static String responseJson(StreamsEventResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(StreamsEventResponse.class, StreamHandlerTest.class.getClassLoader())
                .toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> identifiers(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    JsonNode logLine(String message) {
        return context.lines.stream().map(StreamHandlerTest::parse)
                .filter(n -> message.equals(n.path("message").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no log line '" + message + "' in " + context.lines));
    }

    static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    @Test
    void theRuntimeSerializerReadsTheStreamRecordAndEveryAttributeType() {
        DynamodbEvent event = event("dynamodb-stream-batch.json");

        assertThat(event.getRecords()).hasSize(3);
        DynamodbEvent.DynamodbStreamRecord first = event.getRecords().get(0);
        assertThat(first.getEventID()).isEqualTo("1f2b8c1e0c8d3b4a9e6f7a8b9c0d1e2f");
        assertThat(first.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(first.getEventSourceARN()).endsWith("/stream/2026-01-01T00:00:00.000");
        assertThat(first.getDynamodb().getSequenceNumber()).isEqualTo("4421584500000000017450439091");
        assertThat(first.getDynamodb().getApproximateCreationDateTime().getTime()).isEqualTo(1764140400_000L);

        ChangeRecord change = StreamBatches.toChange(first);
        assertThat(change.eventName()).isEqualTo("INSERT");
        assertThat(change.keys().get("created_at").n()).isEqualTo("1764140399123");
        assertThat(change.oldImage()).isEmpty();
        Map<String, AttributeValue> image = change.newImage();
        assertThat(image.get("user_id").s()).isEqualTo("user-1");
        assertThat(image.get("error_msg").nul()).isTrue();
        assertThat(image.get("notification_body").s()).isEmpty();
        Map<String, AttributeValue> payload = image.get("payload").m();
        assertThat(payload.get("price").n()).isEqualTo("19.990");
        assertThat(payload.get("huge").n()).isEqualTo("123456789012345678901234567890.5");
        assertThat(payload.get("silent").bool()).isFalse();
        assertThat(payload.get("badge").nul()).isTrue();
        List<AttributeValue> tags = payload.get("tags").l();
        assertThat(tags.get(0).s()).isEqualTo("a");
        assertThat(tags.get(1).n()).isEqualTo("2");
        assertThat(tags.get(2).bool()).isTrue();
        assertThat(tags.get(3).m().get("k").s()).isEqualTo("v");
        assertThat(payload.get("none").hasL()).isTrue();
        assertThat(payload.get("none").l()).isEmpty();
        assertThat(payload.get("blob").b()).isEqualTo(SdkBytes.fromUtf8String("hi"));
        assertThat(payload.get("langs").ss()).containsExactly("de", "en");
        assertThat(payload.get("sizes").ns()).containsExactly("1", "2.5");

        ChangeRecord remove = StreamBatches.toChange(event.getRecords().get(2));
        assertThat(remove.eventName()).isEqualTo("REMOVE");
        assertThat(remove.newImage()).isEmpty();
        assertThat(remove.oldImage().get("user_id").s()).isEqualTo("user-3");
    }

    @Test
    void projectsABatchAndReportsNoFailure() {
        store.putRaw(Map.of(Attr.USER_ID, AttributeValue.fromS("user-1"),
                Attr.VIEW_SK, AttributeValue.fromS(ViewKeys.viewSk(1764140300000L, "tx-200"))));
        store.putRaw(Map.of(Attr.USER_ID, AttributeValue.fromS("user-3"),
                Attr.VIEW_SK, AttributeValue.fromS(ViewKeys.viewSk(1764140000000L, "tx-300"))));

        StreamsEventResponse response = handler.handleRequest(event("dynamodb-stream-batch.json"), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(responseJson(response)).isEqualTo("{\"batchItemFailures\":[]}");
        // INSERT: the view, without the empty and null values, numbers exact
        Map<String, AttributeValue> inserted = store.get("user-1", ViewKeys.viewSk(1764140399123L, "tx-100"));
        assertThat(inserted.get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence("4421584500000000017450439091"));
        assertThat(inserted.get(Attr.SOURCE_VERSION).n()).isEqualTo("1");
        assertThat(inserted).doesNotContainKeys(Attr.NOTIFICATION_BODY, Attr.ERROR_MSG, Attr.VERSION);
        assertThat(inserted.get(Attr.PAYLOAD).m().get("huge").n()).isEqualTo("123456789012345678901234567890.5");
        assertThat(inserted.get(Attr.PAYLOAD).m().get("price").n()).isEqualTo("19.990");
        // MODIFY with a new user_id: moved from user-1 to user-2, with the failure keys; a tombstone at user-1
        // with the stream record's time (ApproximateCreationDateTime, seconds) and its TTL
        Map<String, AttributeValue> old = store.get("user-1", ViewKeys.viewSk(1764140300000L, "tx-200"));
        assertThat(Tombstones.isTombstone(old)).isTrue();
        assertThat(old.get(Attr.DELETED_AT).n()).isEqualTo("1764140401000");
        assertThat(old.get(Attr.EXPIRES_AT).n()).isEqualTo(Long.toString(1764140401L + 48 * 3600));
        Map<String, AttributeValue> moved = store.get("user-2", ViewKeys.viewSk(1764140300000L, "tx-200"));
        assertThat(moved.get(Attr.FAILURE_STATUS).s())
                .isEqualTo(io.pushcqrs.model.ViewShards.failurePartition(ViewKeys.viewSk(1764140300000L, "tx-200")));
        assertThat(moved.get(Attr.FAILURE_SK).s()).isEqualTo(ViewKeys.padTime(1764140400500L) + "#tx-200");
        // REMOVE: a tombstone
        Map<String, AttributeValue> removed = store.get("user-3", ViewKeys.viewSk(1764140000000L, "tx-300"));
        assertThat(Tombstones.isTombstone(removed)).isTrue();
        assertThat(removed.get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence("4421584500000000017450439093"));
        assertThat(removed.get(Attr.DELETED_AT).n()).isEqualTo("1764140402000");
        assertThat(store.live()).hasSize(2);
        assertThat(store.size()).isEqualTo(4);

        JsonNode summary = logLine("batch projected");
        assertThat(summary.path("AWSRequestId").asText()).isEqualTo("req-42");
        assertThat(summary.path("records").asInt()).isEqualTo(3);
        assertThat(summary.path("upserted").asInt()).isEqualTo(2);
        assertThat(summary.path("deleted").asInt()).isEqualTo(2);
        assertThat(summary.path("skipped_stale").asInt()).isZero();
        assertThat(summary.path("failed").asInt()).isZero();
        assertThat(summary.has("first_failed_seq")).as("absent when nothing failed").isFalse();
        assertThat(context.lines).hasSize(1);
    }

    @Test
    void aRedeliveredBatchIsSkippedAsStaleAndLogged() {
        handler.handleRequest(event("dynamodb-stream-batch.json"), context);
        var before = store.all();
        context.lines.clear();

        StreamsEventResponse response = handler.handleRequest(event("dynamodb-stream-batch.json"), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(store.all()).isEqualTo(before);
        JsonNode summary = logLine("batch projected");
        // every write of the batch is refused, the tombstones' included
        assertThat(summary.path("skipped_stale").asInt()).isEqualTo(4);
        JsonNode skip = logLine("skipped: stale");
        assertThat(skip.path("event_id").asText()).isEqualTo("1f2b8c1e0c8d3b4a9e6f7a8b9c0d1e2f");
        assertThat(skip.path("sequence_number").asText()).isEqualTo("4421584500000000017450439091");
        assertThat(skip.path("AWSRequestId").asText()).isEqualTo("req-42");
    }

    @Test
    void aPoisonRecordIsReportedWithEveryLaterRecordAndNothingOfItsKeyAfterItIsWritten() {
        StreamsEventResponse response = handler.handleRequest(event("dynamodb-stream-poison.json"), context);

        assertThat(identifiers(response)).containsExactly("500000000000000000002", "500000000000000000003");
        assertThat(responseJson(response)).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"500000000000000000002\"},"
                + "{\"itemIdentifier\":\"500000000000000000003\"}]}");
        // tx-c is another item: projected at once (its redelivery from the failed record on is refused as stale)
        assertThat(store.all()).containsOnlyKeys("user-1/" + ViewKeys.viewSk(1764140399000L, "tx-a"),
                "user-1/" + ViewKeys.viewSk(1764140399002L, "tx-c"));

        JsonNode failed = logLine("record failed: batch stopped");
        assertThat(failed.path("event_id").asText()).isEqualTo("b2-poison");
        assertThat(failed.path("sequence_number").asText()).isEqualTo("500000000000000000002");
        assertThat(failed.path("event_name").asText()).isEqualTo("INSERT");
        assertThat(failed.path("error").asText()).contains("platform").contains("BLACKBERRY");
        assertThat(failed.path("AWSRequestId").asText()).isEqualTo("req-42");
        JsonNode summary = logLine("batch projected");
        assertThat(summary.path("upserted").asInt()).isEqualTo(2);
        assertThat(summary.path("failed").asInt()).isEqualTo(2);
        assertThat(summary.path("first_failed_seq").asText()).isEqualTo("500000000000000000002");
    }

    @Test
    void anEmptyBatchReturnsAnEmptyResponse() {
        StreamsEventResponse response = handler.handleRequest(event("dynamodb-stream-empty.json"), context);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(logLine("batch projected").path("records").asInt()).isZero();

        assertThat(handler.handleRequest(new DynamodbEvent(), context).getBatchItemFailures()).isEmpty();
        assertThat(handler.handleRequest(null, null).getBatchItemFailures()).isEmpty();
        assertThat(store.calls).isEmpty();
    }

    @Test
    void aRecordWithoutStreamDataFailsTheBatchFromThere() {
        DynamodbEvent event = event("dynamodb-stream-poison.json");
        event.getRecords().get(1).setDynamodb(null);

        StreamsEventResponse response = handler.handleRequest(event, context);

        assertThat(identifiers(response)).containsExactly("", "500000000000000000003");
        assertThat(logLine("record failed: batch stopped").path("error").asText()).contains("SequenceNumber");
    }

    @Test
    void withoutNotificationTableTheFunctionDoesNotStart() {
        // The init phase fails: Lambda reports the init error, the mapping retries the batch and, in the end,
        // sends its metadata to the on-failure queue; nothing is written to a guessed table.
        assertThatThrownBy(() -> DynamoDbViewStore.fromEnvironment(Env.of(Map.of())))
                .isInstanceOf(Env.MissingVariableException.class)
                .hasMessageContaining("NOTIFICATION_TABLE is not set");
    }

    @Test
    void aPoisonRecordFirstInABatchFailsTheInvocationSoThatTheMappingBisectsIt() {
        DynamodbEvent event = event("dynamodb-stream-poison.json");
        event.getRecords().remove(0); // the poison record first, a good one behind it

        assertThatThrownBy(() -> handler.handleRequest(event, context))
                .isInstanceOf(StreamBatches.FirstRecordFailedException.class)
                .hasMessageContaining("the first of 2 records (sequence number 500000000000000000002, event b2-poison)")
                .hasMessageContaining("BLACKBERRY");
        assertThat(store.calls).as("only the other item's record").containsExactly(
                "upsert user-1/" + ViewKeys.viewSk(1764140399002L, "tx-c"));
        assertThat(logLine("record failed: batch stopped").path("event_id").asText()).isEqualTo("b2-poison");

        // Bisected down to the poison record alone, it is reported as a batch item failure (no throw)...
        DynamodbEvent alone = event("dynamodb-stream-poison.json");
        alone.setRecords(List.of(alone.getRecords().get(1)));
        assertThat(identifiers(handler.handleRequest(alone, context))).containsExactly("500000000000000000002");
        // ...and the good record behind it, in the other half, is projected.
        DynamodbEvent behind = event("dynamodb-stream-poison.json");
        behind.setRecords(List.of(behind.getRecords().get(2)));
        assertThat(handler.handleRequest(behind, context).getBatchItemFailures()).isEmpty();
        assertThat(store.get("user-1", ViewKeys.viewSk(1764140399002L, "tx-c"))).isNotNull();
    }

    @Test
    void theConcurrencyComesFromTheEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("NOTIFICATION_TABLE", "t", "AWS_REGION", "us-east-1"));
        try (ProjectionService service = StreamHandler.service(Env.of(env))) {
            assertThat(service.concurrency()).isEqualTo(ProjectionService.DEFAULT_CONCURRENCY);
        }
        env.put("PROJECTION_CONCURRENCY", "1");
        try (ProjectionService service = StreamHandler.service(Env.of(env))) {
            assertThat(service.concurrency()).isEqualTo(1);
        }
        for (String bad : List.of("0", "65", "many", "-2")) {
            env.put("PROJECTION_CONCURRENCY", bad);
            assertThatThrownBy(() -> StreamHandler.service(Env.of(env))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PROJECTION_CONCURRENCY is '" + bad + "'");
        }
    }

    @Test
    void hasWhatTheLambdaRuntimeCalls() throws Exception {
        assertThat(Modifier.isPublic(StreamHandler.class.getModifiers())).isTrue();
        assertThat(Modifier.isAbstract(StreamHandler.class.getModifiers())).isFalse();
        assertThat(Modifier.isPublic(StreamHandler.class.getConstructor().getModifiers())).isTrue();
        Method method = StreamHandler.class.getMethod("handleRequest", DynamodbEvent.class, Context.class);
        assertThat(method.getReturnType()).isEqualTo(StreamsEventResponse.class);
        Type handlerType = Arrays.stream(StreamHandler.class.getGenericInterfaces())
                .filter(t -> t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class)
                .findFirst().orElseThrow();
        assertThat(((ParameterizedType) handlerType).getActualTypeArguments())
                .containsExactly(DynamodbEvent.class, StreamsEventResponse.class);
        // the runtime's constructor reads NOTIFICATION_TABLE: without it the init phase fails, naming it
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("NOTIFICATION_TABLE") == null);
        assertThatThrownBy(() -> StreamHandler.class.getConstructor().newInstance())
                .hasRootCauseInstanceOf(Env.MissingVariableException.class);
    }
}
