package io.pushcqrs.local.esm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns DynamoDB Streams records (as GetRecords returns them) into the event AWS Lambda sends a function
 * for a DynamoDB stream event source mapping:
 * <pre>{"Records":[{"eventID":..,"eventName":"INSERT|MODIFY|REMOVE","eventVersion":"1.1","eventSource":"aws:dynamodb",
 *   "awsRegion":..,"dynamodb":{"ApproximateCreationDateTime":&lt;epoch seconds&gt;,"Keys":{..},"NewImage":{..},
 *   "OldImage":{..},"SequenceNumber":"..","SizeBytes":N,"StreamViewType":".."},"eventSourceARN":"&lt;stream arn&gt;"}]}</pre>
 * Attribute values keep DynamoDB's JSON form ({@code {"S":..}}, {@code {"N":".."}}, {@code {"B":"<base64>"}},
 * SS/NS/BS, {@code {"M":{..}}}, {@code {"L":[..]}}, {@code {"BOOL":true}}, {@code {"NULL":true}}).
 * TTL deletions carry {@code userIdentity} as AWS sends it.
 */
public final class StreamEventFactory {
    static final ObjectMapper JSON = new ObjectMapper();

    private StreamEventFactory() {
    }

    /** The event for one batch, as UTF-8 JSON bytes. */
    public static byte[] event(List<Record> records, String streamArn) {
        try {
            return JSON.writeValueAsBytes(eventNode(records, streamArn));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the stream event: " + e.getMessage(), e);
        }
    }

    /**
     * How many of the leading records fit in one event of at most {@code maxBytes} (Lambda's synchronous payload
     * limit is 6 MB); at least one, so a record that alone is too big still goes (and fails as AWS would).
     */
    public static int recordsThatFit(List<Record> records, String streamArn, int maxBytes) {
        long size = "{\"Records\":[]}".length();
        int n = 0;
        for (Record r : records) {
            long next = size + (n == 0 ? 0 : 1) + size(r, streamArn);
            if (n > 0 && next > maxBytes) {
                break;
            }
            size = next;
            n++;
        }
        return n;
    }

    /** The size in bytes of one record's entry in the event. */
    public static int size(Record r, String streamArn) {
        return record(r, streamArn).toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** The event for one batch as a JSON tree. */
    public static ObjectNode eventNode(List<Record> records, String streamArn) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("Records");
        for (Record r : records) {
            array.add(record(r, streamArn));
        }
        return root;
    }

    /** One entry of {@code Records}. */
    public static ObjectNode record(Record r, String streamArn) {
        ObjectNode node = JSON.createObjectNode();
        node.put("eventID", r.eventID());
        node.put("eventName", r.eventNameAsString());
        node.put("eventVersion", "1.1");
        node.put("eventSource", "aws:dynamodb");
        node.put("awsRegion", r.awsRegion() != null ? r.awsRegion() : regionOf(streamArn));
        StreamRecord s = r.dynamodb();
        ObjectNode ddb = node.putObject("dynamodb");
        if (s != null) {
            if (s.approximateCreationDateTime() != null) {
                // AWS sends whole epoch seconds (the value is rounded down to the second)
                ddb.put("ApproximateCreationDateTime", s.approximateCreationDateTime().getEpochSecond());
            }
            if (s.hasKeys()) {
                ddb.set("Keys", item(s.keys()));
            }
            if (s.hasNewImage()) {
                ddb.set("NewImage", item(s.newImage()));
            }
            if (s.hasOldImage()) {
                ddb.set("OldImage", item(s.oldImage()));
            }
            ddb.put("SequenceNumber", s.sequenceNumber());
            if (s.sizeBytes() != null) {
                ddb.put("SizeBytes", s.sizeBytes());
            }
            if (s.streamViewType() != null) {
                ddb.put("StreamViewType", s.streamViewTypeAsString());
            }
        }
        Identity id = r.userIdentity();
        if (id != null) {
            ObjectNode u = node.putObject("userIdentity");
            u.put("type", id.type());
            u.put("principalId", id.principalId());
        }
        node.put("eventSourceARN", streamArn);
        return node;
    }

    /** An item (attribute name to value) in DynamoDB's JSON form. */
    public static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.createObjectNode();
        item.forEach((k, v) -> node.set(k, value(v)));
        return node;
    }

    /** One attribute value in DynamoDB's JSON form. */
    public static ObjectNode value(AttributeValue v) {
        ObjectNode node = JSON.createObjectNode();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case B -> node.put("B", base64(v.b()));
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            case SS -> v.ss().forEach(node.putArray("SS")::add);
            case NS -> v.ns().forEach(node.putArray("NS")::add);
            case BS -> {
                ArrayNode a = node.putArray("BS");
                v.bs().forEach(b -> a.add(base64(b)));
            }
            case M -> node.set("M", item(v.m()));
            case L -> {
                ArrayNode a = node.putArray("L");
                v.l().forEach(e -> a.add(value(e)));
            }
            default -> throw new IllegalArgumentException("an attribute value of a type this runtime does not know: " + v);
        }
        return node;
    }

    /** The region field of an ARN ({@code arn:aws:dynamodb:REGION:...}), or null. */
    static String regionOf(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
