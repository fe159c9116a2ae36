package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorCodecTest {
    private static final byte[] SECRET = "s3cret-for-tests".getBytes(StandardCharsets.UTF_8);
    private static final String FP = "fingerprint-A";
    private final CursorCodec codec = new CursorCodec(SECRET);

    private static Map<String, AttributeValue> transactionKey() {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(Attr.TRANSACTION_ID, AttributeValue.fromS("tx-1"));
        key.put(Attr.CREATED_AT, AttributeValue.fromN("1700000000123"));
        key.put(Attr.USER_ID, AttributeValue.fromS("user/1@example.com"));
        key.put(Attr.VIEW_SK, AttributeValue.fromS("001700000000123#tx-1"));
        return key;
    }

    @Test
    void roundTripsStringAndNumberKeys() {
        String cursor = codec.encode(FP, transactionKey());

        assertThat(cursor).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(codec.decode(cursor, FP, ViewIndex.TRANSACTION.keyAttributes())).isEqualTo(transactionKey());
    }

    @Test
    void roundTripsTheTableKey() {
        Map<String, AttributeValue> key = Map.of(Attr.USER_ID, AttributeValue.fromS("u1"),
                Attr.VIEW_SK, AttributeValue.fromS("000000000000100#t"));
        assertThat(codec.decode(codec.encode(FP, key), FP, ViewIndex.TABLE.keyAttributes())).isEqualTo(key);
    }

    @Test
    void anAlteredPayloadIsInvalid() {
        String cursor = codec.encode(FP, transactionKey());
        int dot = cursor.indexOf('.');
        for (int i = 0; i < dot; i += 7) {
            char c = cursor.charAt(i);
            String altered = cursor.substring(0, i) + (c == 'A' ? 'B' : 'A') + cursor.substring(i + 1);
            assertInvalid(altered, ViewIndex.TRANSACTION);
        }
    }

    @Test
    void aPayloadSwappedFromAnotherCursorIsInvalid() {
        Map<String, AttributeValue> other = new LinkedHashMap<>(transactionKey());
        other.put(Attr.CREATED_AT, AttributeValue.fromN("1"));
        String a = codec.encode(FP, transactionKey());
        String b = codec.encode(FP, other);
        String swapped = b.substring(0, b.indexOf('.')) + a.substring(a.indexOf('.'));
        assertInvalid(swapped, ViewIndex.TRANSACTION);
    }

    @Test
    void anAlteredSignatureIsInvalid() {
        String cursor = codec.encode(FP, transactionKey());
        char last = cursor.charAt(cursor.length() - 1);
        assertInvalid(cursor.substring(0, cursor.length() - 1) + (last == 'x' ? 'y' : 'x'), ViewIndex.TRANSACTION);
        assertInvalid(cursor.substring(0, cursor.length() - 1), ViewIndex.TRANSACTION);
        assertInvalid(cursor + "A", ViewIndex.TRANSACTION);
        assertInvalid(cursor.substring(0, cursor.indexOf('.') + 1), ViewIndex.TRANSACTION);
    }

    @Test
    void aCursorSignedWithAnotherSecretIsInvalid() {
        String cursor = new CursorCodec("another-secret".getBytes(StandardCharsets.UTF_8)).encode(FP, transactionKey());
        assertInvalid(cursor, ViewIndex.TRANSACTION);
    }

    @Test
    void aGenuineCursorOfAnotherQueryIsRejectedAsSuch() {
        String cursor = codec.encode(FP, transactionKey());
        assertThatThrownBy(() -> codec.decode(cursor, "fingerprint-B", ViewIndex.TRANSACTION.keyAttributes()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo("cursor belongs to another query");
                    assertThat(e.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("cursor"));
                });
    }

    @Test
    void aCursorOfAnotherIndexIsInvalid() {
        String cursor = codec.encode(FP, transactionKey());
        assertInvalid(cursor, ViewIndex.TABLE);
        assertInvalid(cursor, ViewIndex.SNS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", ".", "a.", ".b", "a.b.c", "!!!.???", "null", "%7B%7D.x", "eyJ2IjoxfQ==.abc",
            "eyJ2IjoxfQ.abc def"})
    void garbageIsInvalid(String cursor) {
        assertInvalid(cursor, ViewIndex.TABLE);
    }

    @Test
    void nullIsInvalid() {
        assertInvalid(null, ViewIndex.TABLE);
    }

    @Test
    void anOverLongCursorIsInvalidEvenWhenSigned() {
        Map<String, AttributeValue> key = Map.of(Attr.USER_ID, AttributeValue.fromS("u".repeat(5000)),
                Attr.VIEW_SK, AttributeValue.fromS("000000000000100#t"));
        String cursor = codec.encode(FP, key);
        assertThat(cursor.length()).isGreaterThan(CursorCodec.MAX_LENGTH);
        assertInvalid(cursor, ViewIndex.TABLE);
        assertInvalid("A".repeat(CursorCodec.MAX_LENGTH) + ".B", ViewIndex.TABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "\"text\"",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":\"1\",\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}},\"x\":1}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":[]}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"},\"status\":{\"S\":\"FAILED\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"other\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"N\":\"1\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":1},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"B\":\"AAEC\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\",\"N\":\"1\"},\"view_sk\":{\"S\":\"x\"}}}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":\"u1\",\"view_sk\":{\"S\":\"x\"}}}",
    })
    void signedButMalformedPayloadsAreInvalid(String payload) {
        assertInvalid(sign(payload), ViewIndex.TABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "abc", "", "1e3", "12345678901234567890123456789012345678901"})
    void signedButNonIntegerNumbersAreInvalid(String createdAt) {
        String payload = "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"transaction_id\":{\"S\":\"t\"},\"created_at\":{\"N\":\""
                + createdAt + "\"},\"user_id\":{\"S\":\"u\"},\"view_sk\":{\"S\":\"v\"}}}";
        assertInvalid(sign(payload), ViewIndex.TRANSACTION);
    }

    @Test
    void theHandCraftedSigningMatchesTheCodec() {
        // Guards the tests above: a well-formed hand-signed payload is accepted, so their rejections are real.
        String payload = "{\"v\":1,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}}}";
        assertThat(codec.decode(sign(payload), FP, ViewIndex.TABLE.keyAttributes()))
                .isEqualTo(Map.of(Attr.USER_ID, AttributeValue.fromS("u1"), Attr.VIEW_SK, AttributeValue.fromS("x")));
    }

    // ---- sharded cursors: a position per shard ----------------------------------------------------

    private static final List<String> SHARDS = List.of("FAILED#0", "FAILED#1", "FAILED#2");

    private static Map<String, AttributeValue> failureKey(String shard, String failureSk, String user, String viewSk) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(Attr.FAILURE_STATUS, AttributeValue.fromS(shard));
        key.put(Attr.FAILURE_SK, AttributeValue.fromS(failureSk));
        key.put(Attr.USER_ID, AttributeValue.fromS(user));
        key.put(Attr.VIEW_SK, AttributeValue.fromS(viewSk));
        return key;
    }

    @Test
    void shardedCursorsRoundTripTopAfterAndDone() {
        List<ShardPosition> positions = List.of(ShardPosition.TOP,
                ShardPosition.after(failureKey("FAILED#1", "000000000000900#t", "u/1", "000000000000100#t")),
                ShardPosition.DONE);

        String cursor = codec.encode(FP, ViewIndex.FAILURES, positions);

        assertThat(codec.decode(cursor, FP, ViewIndex.FAILURES, SHARDS)).isEqualTo(positions);
        // the partition key is the shard's own: it is not in the cursor
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))), StandardCharsets.UTF_8);
        assertThat(payload).isEqualTo("{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,"
                + "[\"000000000000900#t\",\"u/1\",\"000000000000100#t\"],false]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,null,null]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":{}}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,true]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,0]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,[\"a\",\"b\"]]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,[\"a\",\"b\",\"\"]]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,[\"a\",\"b\",1]]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,[\"a\",\"b\",\"c\",\"d\"]]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"s\":[null,null,null],\"x\":1}",
            "{\"v\":1,\"q\":\"fingerprint-A\",\"s\":[null,null,null]}",
            "{\"v\":2,\"q\":\"fingerprint-A\",\"k\":{\"user_id\":{\"S\":\"u1\"},\"view_sk\":{\"S\":\"x\"}}}",
    })
    void signedButMalformedShardedPayloadsAreInvalid(String payload) {
        assertThatThrownBy(() -> codec.decode(sign(payload), FP, ViewIndex.FAILURES, SHARDS))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("cursor is invalid"));
    }

    @Test
    void aSingleKeyCursorIsNotAShardedOneAndTheOtherWayRound() {
        String single = codec.encode(FP, transactionKey());
        String sharded = codec.encode(FP, ViewIndex.FAILURES, List.of(ShardPosition.TOP, ShardPosition.TOP, ShardPosition.DONE));
        assertThatThrownBy(() -> codec.decode(single, FP, ViewIndex.FAILURES, SHARDS)).isInstanceOf(ApiException.class);
        assertInvalid(sharded, ViewIndex.TRANSACTION);
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThatThrownBy(() -> new CursorCodec(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CursorCodec(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private void assertInvalid(String cursor, ViewIndex index) {
        assertThatThrownBy(() -> codec.decode(cursor, FP, index.keyAttributes()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo("cursor is invalid");
                });
    }

    private static String sign(String payloadJson) {
        try {
            String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return body + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
