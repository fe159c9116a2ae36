package io.pushcqrs.local.esm;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamEventFactoryTest {
    static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000";

    static Map<String, AttributeValue> richImage() {
        return Map.of(
                "id", AttributeValue.fromS("a-1"),
                "n", AttributeValue.fromN("12.50"),
                "flag", AttributeValue.fromBool(true),
                "nothing", AttributeValue.fromNul(true),
                "bin", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
                "ss", AttributeValue.fromSs(List.of("x", "y")),
                "ns", AttributeValue.fromNs(List.of("1", "2")),
                "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("a"))),
                "map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromS("v"),
                        "list", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromBool(false),
                                AttributeValue.fromNul(true), AttributeValue.fromM(Map.of("deep", AttributeValue.fromS("d"))))))));
    }

    static Record record(String seq, OperationType op, Map<String, AttributeValue> newImage, Map<String, AttributeValue> oldImage,
                         Instant created) {
        StreamRecord.Builder s = StreamRecord.builder()
                .approximateCreationDateTime(created)
                .keys(Map.of("id", AttributeValue.fromS("a-1")))
                .sequenceNumber(seq)
                .sizeBytes(42L)
                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        if (newImage != null) {
            s.newImage(newImage);
        }
        if (oldImage != null) {
            s.oldImage(oldImage);
        }
        return Record.builder().eventID("ev-" + seq).eventName(op).eventVersion("1.0").eventSource("aws:dynamodb")
                .awsRegion("us-east-1").dynamodb(s.build()).build();
    }

    @Test
    void writesTheEventAwsSendsWithDynamoDbJsonValues() throws Exception {
        Instant created = Instant.parse("2024-05-01T10:00:00.789Z");
        byte[] json = StreamEventFactory.event(List.of(record("100", OperationType.MODIFY, richImage(),
                Map.of("id", AttributeValue.fromS("a-1")), created)), STREAM);

        JsonNode r = StreamEventFactory.JSON.readTree(json).get("Records").get(0);
        assertThat(r.get("eventID").asText()).isEqualTo("ev-100");
        assertThat(r.get("eventName").asText()).isEqualTo("MODIFY");
        assertThat(r.get("eventVersion").asText()).isEqualTo("1.1");
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:dynamodb");
        assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(r.get("eventSourceARN").asText()).isEqualTo(STREAM);
        JsonNode d = r.get("dynamodb");
        assertThat(d.get("ApproximateCreationDateTime").isNumber()).isTrue();
        assertThat(d.get("ApproximateCreationDateTime").asLong()).isEqualTo(created.getEpochSecond());
        assertThat(d.get("SequenceNumber").asText()).isEqualTo("100");
        assertThat(d.get("SizeBytes").asLong()).isEqualTo(42);
        assertThat(d.get("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(d.get("Keys").toString()).isEqualTo("{\"id\":{\"S\":\"a-1\"}}");
        JsonNode img = d.get("NewImage");
        assertThat(img.get("n").toString()).isEqualTo("{\"N\":\"12.50\"}");
        assertThat(img.get("flag").toString()).isEqualTo("{\"BOOL\":true}");
        assertThat(img.get("nothing").toString()).isEqualTo("{\"NULL\":true}");
        assertThat(img.get("bin").toString()).isEqualTo("{\"B\":\"aGk=\"}");
        assertThat(img.get("ss").toString()).isEqualTo("{\"SS\":[\"x\",\"y\"]}");
        assertThat(img.get("ns").toString()).isEqualTo("{\"NS\":[\"1\",\"2\"]}");
        assertThat(img.get("bs").toString()).isEqualTo("{\"BS\":[\"YQ==\"]}");
        assertThat(img.get("map").get("M").get("list").toString())
                .isEqualTo("{\"L\":[{\"N\":\"1\"},{\"BOOL\":false},{\"NULL\":true},{\"M\":{\"deep\":{\"S\":\"d\"}}}]}");
        assertThat(d.get("OldImage").toString()).isEqualTo("{\"id\":{\"S\":\"a-1\"}}");
        assertThat(r.has("userIdentity")).isFalse();
    }

    @Test
    void deserializesIntoDynamodbEventWithTheLambdaJavaSerialization() {
        Instant created = Instant.parse("2024-05-01T10:00:00Z");
        Record insert = record("100", OperationType.INSERT, richImage(), null, created);
        Record remove = Record.builder().eventID("ev-101").eventName(OperationType.REMOVE).awsRegion("us-east-1")
                .userIdentity(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build())
                .dynamodb(StreamRecord.builder().approximateCreationDateTime(created.plusSeconds(1))
                        .keys(Map.of("id", AttributeValue.fromS("a-1"))).oldImage(richImage())
                        .sequenceNumber("101").sizeBytes(7L).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build();
        byte[] json = StreamEventFactory.event(List.of(insert, remove), STREAM);

        PojoSerializer<DynamodbEvent> serializer = LambdaEventSerializers.serializerFor(DynamodbEvent.class,
                getClass().getClassLoader());
        DynamodbEvent event = serializer.fromJson(new ByteArrayInputStream(json));

        assertThat(event.getRecords()).hasSize(2);
        DynamodbEvent.DynamodbStreamRecord first = event.getRecords().get(0);
        assertThat(first.getEventName()).isEqualTo("INSERT");
        assertThat(first.getEventID()).isEqualTo("ev-100");
        assertThat(first.getEventVersion()).isEqualTo("1.1");
        assertThat(first.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(first.getEventSourceARN()).isEqualTo(STREAM);
        assertThat(first.getAwsRegion()).isEqualTo("us-east-1");
        var d = first.getDynamodb();
        assertThat(d.getSequenceNumber()).isEqualTo("100");
        assertThat(d.getSizeBytes()).isEqualTo(42L);
        assertThat(d.getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(d.getApproximateCreationDateTime().toInstant()).isEqualTo(created);
        assertThat(d.getKeys().get("id").getS()).isEqualTo("a-1");
        assertThat(d.getOldImage()).isNull();
        var img = d.getNewImage();
        assertThat(img.get("id").getS()).isEqualTo("a-1");
        assertThat(img.get("n").getN()).isEqualTo("12.50");
        assertThat(img.get("flag").getBOOL()).isTrue();
        assertThat(img.get("nothing").getNULL()).isTrue();
        assertThat(StandardCharsets.UTF_8.decode(img.get("bin").getB()).toString()).isEqualTo("hi");
        assertThat(img.get("ss").getSS()).containsExactly("x", "y");
        assertThat(img.get("ns").getNS()).containsExactly("1", "2");
        assertThat(img.get("bs").getBS()).containsExactly(ByteBuffer.wrap("a".getBytes(StandardCharsets.UTF_8)));
        var map = img.get("map").getM();
        assertThat(map.get("inner").getS()).isEqualTo("v");
        var list = map.get("list").getL();
        assertThat(list).hasSize(4);
        assertThat(list.get(0).getN()).isEqualTo("1");
        assertThat(list.get(1).getBOOL()).isFalse();
        assertThat(list.get(2).getNULL()).isTrue();
        assertThat(list.get(3).getM().get("deep").getS()).isEqualTo("d");

        DynamodbEvent.DynamodbStreamRecord second = event.getRecords().get(1);
        assertThat(second.getEventName()).isEqualTo("REMOVE");
        assertThat(second.getDynamodb().getNewImage()).isNull();
        assertThat(second.getDynamodb().getOldImage().get("map").getM().get("inner").getS()).isEqualTo("v");
        assertThat(second.getUserIdentity().getType()).isEqualTo("Service");
        assertThat(second.getUserIdentity().getPrincipalId()).isEqualTo("dynamodb.amazonaws.com");
    }

    @Test
    void takesTheRegionFromTheStreamArnWhenTheRecordHasNone() throws Exception {
        Record r = Record.builder().eventID("1").eventName(OperationType.INSERT)
                .dynamodb(StreamRecord.builder().sequenceNumber("1").keys(Map.of("id", AttributeValue.fromS("x"))).build()).build();
        JsonNode node = StreamEventFactory.JSON.readTree(StreamEventFactory.event(List.of(r), STREAM));
        assertThat(node.at("/Records/0/awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(node.at("/Records/0/dynamodb").has("ApproximateCreationDateTime")).isFalse();
        assertThat(StreamEventFactory.regionOf("not-an-arn")).isNull();
        assertThat(StreamEventFactory.regionOf(null)).isNull();
    }

    @Test
    void rejectsAnAttributeValueOfNoKnownType() {
        assertThatThrownBy(() -> StreamEventFactory.value(AttributeValue.builder().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not know");
    }

    @Test
    void countsTheRecordsThatFitUnderAPayloadLimitButAlwaysAtLeastOne() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<Record> records = List.of(record("1", OperationType.INSERT, Map.of(), null, t),
                record("2", OperationType.INSERT, Map.of(), null, t), record("3", OperationType.INSERT, Map.of(), null, t));
        int all = StreamEventFactory.event(records, STREAM).length;
        int two = StreamEventFactory.event(records.subList(0, 2), STREAM).length;
        assertThat(StreamEventFactory.recordsThatFit(records, STREAM, all)).isEqualTo(3);
        assertThat(StreamEventFactory.recordsThatFit(records, STREAM, all - 1)).isEqualTo(2);
        assertThat(StreamEventFactory.recordsThatFit(records, STREAM, two)).isEqualTo(2);
        assertThat(StreamEventFactory.recordsThatFit(records, STREAM, 10)).isEqualTo(1);
    }
}
