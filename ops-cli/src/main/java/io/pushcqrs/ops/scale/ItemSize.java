package io.pushcqrs.ops.scale;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The size of an item as DynamoDB bills it ("DynamoDB item sizes and formats",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html): every attribute's
 * UTF-8 name plus its value: a string its UTF-8 bytes, a number 1 byte per two significant digits plus 1, a binary its
 * raw bytes, a Boolean or null 1, a list or map 3 bytes plus its elements with 1 byte each (a map element: name and
 * value), a set the sum of its members. A write unit covers 1 KB of it, a read unit 4 KB (half of one for an
 * eventually consistent read).
 */
public final class ItemSize {
    /** Bytes one write request unit covers. */
    public static final int WRITE_UNIT_BYTES = 1024;
    /** Bytes one read request unit covers. */
    public static final int READ_UNIT_BYTES = 4096;

    private ItemSize() {
    }

    public static long bytes(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8(e.getKey()) + value(e.getValue());
        }
        return total;
    }

    /** Write request units of a standard write of this many bytes (at least 1). */
    public static long writeUnits(long bytes) {
        return Math.max(1, (bytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    /** Read request units of a read of this many bytes (rounded up to 4 KB, at least one), eventually consistent or not. */
    public static double readUnits(long bytes, boolean strongly) {
        long blocks = Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        return strongly ? blocks : blocks / 2.0;
    }

    static long value(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return number(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += 1 + utf8(e.getKey()) + value(e.getValue());
            }
            return size;
        }
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue e : v.l()) {
                size += 1 + value(e);
            }
            return size;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(ItemSize::number).sum();
        }
        if (v.hasBs()) {
            return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
        }
        throw new IllegalArgumentException("unknown attribute value " + v);
    }

    /** 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1. */
    static long number(String n) {
        BigDecimal d = new BigDecimal(n.trim());
        if (d.signum() == 0) {
            return 2;
        }
        int digits = d.stripTrailingZeros().unscaledValue().abs().toString().length();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** For tests: a binary value. */
    static AttributeValue binary(byte[] bytes) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }
}
