package io.pushcqrs.queryresult.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opaque, tamper-evident page cursors.
 * <p>
 * Format: {@code base64url(payload) + "." + base64url(HMAC-SHA256(secret, base64url(payload)))}, where the
 * payload is {@code {"v":1,"q":"<query fingerprint>","k":{"<attr>":{"S"|"N":"<value>"},...}}} and k is the
 * DynamoDB key to continue after. Decoding checks, in this order: length, shape, signature (constant-time),
 * JSON, version, query fingerprint, and that k holds exactly the key attributes of the index with their types.
 * Every failure is a VALIDATION_ERROR: "cursor is invalid", or "cursor belongs to another query" when a
 * genuine cursor is replayed against a different query.
 */
public final class CursorCodec {
    /** The longest cursor accepted (the same bound QueryValidator puts on the field). */
    public static final int MAX_LENGTH = 2048;
    static final int VERSION = 1;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,38}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public CursorCodec(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("cursor secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** The cursor that continues the query with this fingerprint after the given DynamoDB key. */
    public String encode(String fingerprint, Map<String, AttributeValue> startKey) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("v", VERSION);
        payload.put("q", fingerprint);
        ObjectNode k = payload.putObject("k");
        startKey.forEach((name, value) -> {
            if (value.s() != null) {
                k.putObject(name).put("S", value.s());
            } else if (value.n() != null) {
                k.putObject(name).put("N", value.n());
            } else {
                throw new IllegalArgumentException("key attribute " + name + " is neither S nor N");
            }
        });
        String body = B64.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        return body + "." + sign(body);
    }

    /**
     * The DynamoDB key a cursor carries, checked against the query it is used with.
     *
     * @param expectedKey the key attributes (and types) of the index the query reads
     * @throws ApiException VALIDATION_ERROR when the cursor is not one of ours, was altered, or is another query's
     */
    public Map<String, AttributeValue> decode(String cursor, String fingerprint, Map<String, ScalarAttributeType> expectedKey) {
        if (cursor == null || cursor.length() > MAX_LENGTH || !SHAPE.matcher(cursor).matches()) {
            throw invalid();
        }
        int dot = cursor.indexOf('.');
        String body = cursor.substring(0, dot);
        byte[] given = cursor.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.US_ASCII), given)) {
            throw invalid();
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(body));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (payload == null || !payload.isObject() || payload.size() != 3
                || !payload.path("v").isInt() || payload.path("v").intValue() != VERSION
                || !payload.path("q").isTextual() || !payload.path("k").isObject()) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(payload.get("q").textValue().getBytes(StandardCharsets.UTF_8),
                fingerprint.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "cursor belongs to another query",
                    List.of(new FieldError("cursor", "belongs to another query")));
        }
        return startKey(payload.get("k"), expectedKey);
    }

    private static Map<String, AttributeValue> startKey(JsonNode k, Map<String, ScalarAttributeType> expectedKey) {
        if (k.size() != expectedKey.size()) {
            throw invalid();
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = k.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            ScalarAttributeType type = expectedKey.get(field.getKey());
            JsonNode typed = field.getValue();
            if (type == null || !typed.isObject() || typed.size() != 1) {
                throw invalid();
            }
            JsonNode value = typed.get(type.toString());
            if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
                throw invalid();
            }
            if (type == ScalarAttributeType.N) {
                if (!INTEGER.matcher(value.textValue()).matches()) {
                    throw invalid();
                }
                key.put(field.getKey(), AttributeValue.fromN(value.textValue()));
            } else {
                key.put(field.getKey(), AttributeValue.fromS(value.textValue()));
            }
        }
        return key;
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return B64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    static ApiException invalid() {
        return new ApiException(ErrorCode.VALIDATION_ERROR, "cursor is invalid",
                List.of(new FieldError("cursor", "is invalid")));
    }
}
