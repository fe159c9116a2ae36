package io.pushcqrs.model.sync;

import io.pushcqrs.model.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares view items as the read model rules define "equal": every attribute but {@code source_seq} (stream
 * bookkeeping), with values compared as DynamoDB does (numbers by value, so "1.0" equals "1"; maps without
 * regard to order; sets as sets).
 */
public final class ViewDiff {
    /** Attributes left out of the comparison. */
    public static final String BOOKKEEPING = Attr.SOURCE_SEQ;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ViewDiff() {
    }

    /** The names of the attributes that differ (present on one side only, or with different values), sorted. */
    public static List<String> differingFields(Map<String, AttributeValue> expected, Map<String, AttributeValue> actual) {
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        names.remove(BOOKKEEPING);
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            AttributeValue e = expected.get(name);
            AttributeValue a = actual.get(name);
            if (e == null || a == null || !canonical(e).equals(canonical(a))) {
                differing.add(name);
            }
        }
        return differing;
    }

    /** "field status differs" / "fields status, retry_cnt differ". */
    public static String describe(List<String> fields) {
        return fields.size() == 1 ? "field " + fields.get(0) + " differs"
                : "fields " + String.join(", ", fields) + " differ";
    }

    /** True when both items are equal but for bookkeeping. */
    public static boolean same(Map<String, AttributeValue> expected, Map<String, AttributeValue> actual) {
        return differingFields(expected, actual).isEmpty();
    }

    /** A 64-bit fingerprint of an item without bookkeeping: equal items (as {@link #same}) have equal fingerprints. */
    public static long fingerprint(Map<String, AttributeValue> item) {
        TreeMap<String, AttributeValue> sorted = new TreeMap<>(item);
        sorted.remove(BOOKKEEPING);
        long h = FNV_OFFSET;
        for (Map.Entry<String, AttributeValue> e : sorted.entrySet()) {
            h = fnv(h, e.getKey());
            h = fnv(h, "\u0000");
            h = fnv(h, canonical(e.getValue()));
            h = fnv(h, "\u0001");
        }
        return h;
    }

    private static long fnv(long hash, String text) {
        long h = hash;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return h;
    }

    /** A canonical text of a value: type tag and value, numbers normalized, maps and sets sorted. */
    public static String canonical(AttributeValue v) {
        StringBuilder sb = new StringBuilder();
        canonical(v, sb);
        return sb.toString();
    }

    private static void canonical(AttributeValue v, StringBuilder sb) {
        if (v.s() != null) {
            sb.append("S:").append(v.s().length()).append(':').append(v.s());
        } else if (v.n() != null) {
            sb.append("N:").append(number(v.n()));
        } else if (v.bool() != null) {
            sb.append("BOOL:").append(v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            sb.append("NULL");
        } else if (v.b() != null) {
            sb.append("B:").append(Base64.getEncoder().encodeToString(v.b().asByteArray()));
        } else if (v.hasM()) {
            sb.append("M{");
            new TreeMap<>(v.m()).forEach((k, child) -> {
                sb.append(k.length()).append(':').append(k).append('=');
                canonical(child, sb);
                sb.append(',');
            });
            sb.append('}');
        } else if (v.hasL()) {
            sb.append("L[");
            for (AttributeValue child : v.l()) {
                canonical(child, sb);
                sb.append(',');
            }
            sb.append(']');
        } else if (v.hasSs()) {
            sb.append("SS").append(new TreeSet<>(v.ss()));
        } else if (v.hasNs()) {
            TreeSet<String> ns = new TreeSet<>();
            v.ns().forEach(n -> ns.add(number(n)));
            sb.append("NS").append(ns);
        } else if (v.hasBs()) {
            TreeSet<String> bs = new TreeSet<>();
            v.bs().forEach(b -> bs.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            sb.append("BS").append(bs);
        } else {
            sb.append("?");
        }
    }

    private static String number(String n) {
        try {
            BigDecimal d = new BigDecimal(n.trim());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return n;
        }
    }
}
