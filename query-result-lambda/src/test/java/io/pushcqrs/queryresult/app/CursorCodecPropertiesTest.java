package io.pushcqrs.queryresult.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based (jqwik): every cursor the codec makes decodes to what went in, and any other string, even a
 * correctly signed payload of any shape, is refused with a 400 (VALIDATION_ERROR), never another exception.
 */
class CursorCodecPropertiesTest {
    static final byte[] SECRET = "property-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final String FP = "fp-1";
    final CursorCodec codec = new CursorCodec(SECRET);

    @Property(tries = 300)
    void aSinglePartitionCursorRoundTrips(@ForAll("indexes") ViewIndex index, @ForAll("keyValues") List<String> values) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ScalarAttributeType> e : index.keyAttributes().entrySet()) {
            String v = values.get(i++ % values.size());
            key.put(e.getKey(), e.getValue() == ScalarAttributeType.N ? AttributeValue.fromN(Integer.toString(v.length()))
                    : AttributeValue.fromS(v));
        }

        String cursor = codec.encode(FP, key);

        assertThat(cursor.length()).isLessThanOrEqualTo(CursorCodec.MAX_LENGTH);
        assertThat(codec.decode(cursor, FP, index.keyAttributes())).isEqualTo(key);
        assertThat(refusal(() -> codec.decode(cursor, FP + "x", index.keyAttributes())))
                .isEqualTo("cursor belongs to another query");
        assertThat(refusal(() -> new CursorCodec("another-secret".getBytes(StandardCharsets.UTF_8))
                .decode(cursor, FP, index.keyAttributes()))).isEqualTo("cursor is invalid");
    }

    @Property(tries = 200)
    void aShardedCursorRoundTrips(@ForAll("shardStates") List<Integer> states, @ForAll("keyValues") List<String> values) {
        ViewIndex index = ViewIndex.MARKETING;
        List<String> partitions = new ArrayList<>();
        List<ShardPosition> positions = new ArrayList<>();
        for (int s = 0; s < states.size(); s++) {
            partitions.add("camp#" + s);
            if (states.get(s) == 0) {
                positions.add(ShardPosition.TOP);
            } else if (states.get(s) == 1) {
                positions.add(ShardPosition.DONE);
            } else {
                Map<String, AttributeValue> key = new LinkedHashMap<>();
                key.put(index.partitionKey(), AttributeValue.fromS("camp#" + s));
                int i = s;
                for (String name : index.positionAttributes()) {
                    key.put(name, AttributeValue.fromS(values.get(i++ % values.size())));
                }
                positions.add(ShardPosition.after(key));
            }
        }

        List<ShardPosition> back = codec.decode(codec.encode(FP, index, positions), FP, index, partitions);

        assertThat(back).isEqualTo(positions);
    }

    @Property(tries = 500)
    void anyStringIsRefusedWithA400(@ForAll("strings") String cursor) {
        assertThat(refusal(() -> codec.decode(cursor, FP, ViewIndex.TABLE.keyAttributes()))).startsWith("cursor ");
        assertThat(refusal(() -> codec.decode(cursor, FP, ViewIndex.FAILURES, List.of("FAILED#0", "FAILED#1"))))
                .startsWith("cursor ");
    }

    @Property(tries = 500)
    void aSignedPayloadOfAnyShapeIsDecodedOrRefusedWithA400(@ForAll("payloads") String payload) {
        String cursor = signed(payload);
        for (ViewIndex index : ViewIndex.values()) {
            try {
                Map<String, AttributeValue> key = codec.decode(cursor, FP, index.keyAttributes());
                assertThat(key.keySet()).isEqualTo(index.keyAttributes().keySet());
            } catch (ApiException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            }
            try {
                assertThat(codec.decode(cursor, FP, index, List.of("p#0", "p#1", "p#2"))).hasSize(3);
            } catch (ApiException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            }
        }
    }

    @Property(tries = 300)
    void aGenuineCursorWithOneCharacterChangedIsRefused(@ForAll("keyValues") List<String> values,
                                                        @ForAll("positions") int position, @ForAll("replacements") char c) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("user_id", AttributeValue.fromS(values.get(0)));
        key.put("view_sk", AttributeValue.fromS(values.get(values.size() - 1)));
        String cursor = codec.encode(FP, key);
        int at = position % cursor.length();
        if (cursor.charAt(at) == c) {
            return;
        }
        String changed = cursor.substring(0, at) + c + cursor.substring(at + 1);

        assertThat(refusal(() -> codec.decode(changed, FP, ViewIndex.TABLE.keyAttributes()))).isEqualTo("cursor is invalid");
    }

    // ------------------------------------------------------------------------ generators and helpers

    @Provide
    Arbitrary<ViewIndex> indexes() {
        return Arbitraries.of(ViewIndex.class);
    }

    @Provide
    Arbitrary<List<String>> keyValues() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(40).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> shardStates() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(16);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.chars().with("ABCabc0189-_.=+/ ");
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withChars("ABCDEFabcdef0123456789-_.").ofMaxLength(120),
                Arbitraries.strings().withChars("A").ofMinLength(6_000).ofMaxLength(7_000),
                Arbitraries.of("", ".", "a.", ".a", "a.b.c", "eyJ2IjoxfQ.x"));
    }

    @Provide
    Arbitrary<String> payloads() {
        var f = Json.MAPPER.getNodeFactory();
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (JsonNode) f.textNode(s)),
                Arbitraries.of("1", "-5", "12345678901234567890123456789012345678901", "1.5", "x", "")
                        .map(s -> (JsonNode) f.textNode(s)),
                Arbitraries.integers().map(n -> (JsonNode) f.numberNode(n)),
                Arbitraries.of(true, false).map(b -> (JsonNode) f.booleanNode(b)),
                Arbitraries.just((JsonNode) f.nullNode()));
        Arbitrary<JsonNode> typed = Arbitraries.maps(Arbitraries.of("S", "N", "B", "X"), scalar).ofMaxSize(2).map(m -> {
            ObjectNode o = f.objectNode();
            m.forEach(o::set);
            return (JsonNode) o;
        });
        Arbitrary<JsonNode> key = Arbitraries.maps(Arbitraries.of("user_id", "view_sk", "transaction_id", "created_at",
                "sns_id", "marketing_shard", "failure_status", "failure_sk", "other"), Arbitraries.oneOf(typed, scalar))
                .ofMaxSize(5).map(m -> {
                    ObjectNode o = f.objectNode();
                    m.forEach(o::set);
                    return (JsonNode) o;
                });
        Arbitrary<JsonNode> shards = Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(3).map(l -> {
            var a = f.arrayNode();
            l.forEach(a::add);
            return (JsonNode) a;
        })).list().ofMaxSize(4).map(l -> {
            var a = f.arrayNode();
            l.forEach(a::add);
            return (JsonNode) a;
        });
        Arbitrary<JsonNode> v = Arbitraries.oneOf(Arbitraries.of(1, 2, 3, 0).map(n -> (JsonNode) f.numberNode(n)), scalar);
        Arbitrary<JsonNode> q = Arbitraries.oneOf(Arbitraries.just((JsonNode) f.textNode(FP)), scalar);
        return Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(v, q, key, shards, Arbitraries.of("k", "s", "both", "none", "extra"))
                        .as((vv, qq, kk, ss, which) -> {
                            ObjectNode o = f.objectNode();
                            o.set("v", vv);
                            o.set("q", qq);
                            switch (which) {
                                case "k" -> o.set("k", kk);
                                case "s" -> o.set("s", ss);
                                case "both" -> {
                                    o.set("k", kk);
                                    o.set("s", ss);
                                }
                                case "extra" -> o.set("x", kk);
                                default -> { }
                            }
                            return o.toString();
                        }),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("null", "[]", "1", "\"x\"", "{}"));
    }

    /** A cursor of the payload signed with the codec's own key, as only the deployment could make it. */
    static String signed(String payload) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String body = b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return body + "." + b64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message of the 400 the action is refused with (anything else fails the property). */
    static String refusal(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.code().httpStatus()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }
}
