package io.pushcqrs.projection.adapter;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the Lambda events library's stream images
 * ({@code com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue}) into SDK v2
 * {@link AttributeValue}s, the type of the shared mapper.
 * <p>
 * Written here instead of using aws-lambda-java-events-sdk-transformer: that library turns an empty list
 * ({@code {"L": []}}, legal in DynamoDB) into a value with no type at all, which the mapper then rejects,
 * so a payload holding an empty list would become a poison record; it also loses attribute order.
 * This converter keeps every type (S, N, B, BOOL, NULL, M, L, SS, NS, BS), empty lists and maps included,
 * keeps order, and copies binary values without moving the buffers. A value with no type set becomes an
 * SDK value with no type: the mapper reports it as a mapping error naming the attribute, instead of this
 * conversion throwing before the record can be reported.
 */
public final class StreamImages {
    private StreamImages() {
    }

    /** An image (or the Keys) of a stream record; null becomes an empty map. */
    public static Map<String, AttributeValue> toSdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null) {
            return Map.of();
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        image.forEach((name, value) -> out.put(name, toSdk(value)));
        return out;
    }

    /** One attribute value. */
    public static AttributeValue toSdk(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v == null) {
            return AttributeValue.builder().build();
        }
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (v.getNULL() != null) {
            return AttributeValue.fromNul(v.getNULL());
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(bytes(v.getB()));
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(toSdk(v.getM()));
        }
        if (v.getL() != null) {
            List<AttributeValue> list = new ArrayList<>(v.getL().size());
            v.getL().forEach(item -> list.add(toSdk(item)));
            return AttributeValue.fromL(list);
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(List.copyOf(v.getSS()));
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(List.copyOf(v.getNS()));
        }
        if (v.getBS() != null) {
            return AttributeValue.fromBs(binaries(v.getBS()));
        }
        return AttributeValue.builder().build();
    }

    private static List<SdkBytes> binaries(Collection<ByteBuffer> buffers) {
        List<SdkBytes> out = new ArrayList<>(buffers.size());
        buffers.forEach(b -> out.add(bytes(b)));
        return out;
    }

    private static SdkBytes bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        view.rewind();
        byte[] data = new byte[view.remaining()];
        view.get(data);
        return SdkBytes.fromByteArrayUnsafe(data);
    }
}
