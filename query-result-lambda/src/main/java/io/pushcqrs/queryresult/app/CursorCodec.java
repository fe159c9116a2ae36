package io.pushcqrs.queryresult.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.validation.Limits;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opaque, tamper-evident page cursors.
 * <p>
 * Format: {@code base64url(payload) + "." + base64url(HMAC-SHA256(secret, base64url(payload)))}. Two payloads:
 * <ul>
 *   <li>a query on one partition: {@code {"v":1,"q":"<query fingerprint>","k":{"<attr>":{"S"|"N":"<value>"},...}}},
 *       k the DynamoDB key to continue after;</li>
 *   <li>a write-sharded query (marketing, failures: docs/architecture.md, "Write sharding of the hot index keys"):
 *       {@code {"v":2,"q":"<fingerprint>","s":[<shard 0>,...,<shard N-1>]}}, one entry per shard: {@code null} (from
 *       the shard's newest item), {@code false} (the shard is done) or the values of the index's
 *       {@link ViewIndex#positionAttributes() position attributes} of the item to continue after, in that order. The
 *       partition key is not in the cursor: it is the shard's own, so a shard's position cannot point elsewhere.</li>
 * </ul>
 * Decoding checks, in this order: length, shape, signature (constant-time), JSON, query fingerprint, version and
 * fields, and that the key(s) hold exactly the attributes of the index with their types (for a sharded cursor: one
 * entry per shard). Every failure is a VALIDATION_ERROR: "cursor is invalid", or "cursor belongs to another
 * query" when a genuine cursor is replayed against a different query.
 */
public final class CursorCodec {
    /** The longest cursor accepted (the same bound QueryValidator puts on the field). */
    public static final int MAX_LENGTH = Limits.MAX_CURSOR;
    static final int VERSION = 1;
    static final int SHARDED_VERSION = 2;
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
        return sign(payload);
    }

    /** The cursor that continues a write-sharded query on {@code index}: one position per shard, shard 0 first. */
    public String encode(String fingerprint, ViewIndex index, List<ShardPosition> positions) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("v", SHARDED_VERSION);
        payload.put("q", fingerprint);
        ArrayNode shards = payload.putArray("s");
        for (ShardPosition position : positions) {
            if (position.done()) {
                shards.add(false);
            } else if (position.after() == null) {
                shards.addNull();
            } else {
                ArrayNode values = shards.addArray();
                for (String name : index.positionAttributes()) {
                    AttributeValue value = position.after().get(name);
                    String raw = value == null ? null : index.keyAttributes().get(name) == ScalarAttributeType.N ? value.n() : value.s();
                    if (raw == null) {
                        throw new IllegalArgumentException("position on " + index + " lacks " + name);
                    }
                    values.add(raw);
                }
            }
        }
        return sign(payload);
    }

    private String sign(ObjectNode payload) {
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
        JsonNode payload = verified(cursor, fingerprint, VERSION, "k");
        return startKey(payload.get("k"), expectedKey);
    }

    /**
     * The position of every shard a sharded cursor carries, checked against the query it is used with: one entry per
     * partition, each with exactly the index's position attributes and types; the partition key of each position is
     * the shard's own.
     *
     * @param partitions the partition values of the query's shards, shard 0 first
     * @throws ApiException VALIDATION_ERROR when the cursor is not one of ours, was altered, or is another query's
     */
    public List<ShardPosition> decode(String cursor, String fingerprint, ViewIndex index, List<String> partitions) {
        JsonNode shards = verified(cursor, fingerprint, SHARDED_VERSION, "s").get("s");
        if (!shards.isArray() || shards.size() != partitions.size()) {
            throw invalid();
        }
        List<ShardPosition> positions = new ArrayList<>(partitions.size());
        for (int i = 0; i < shards.size(); i++) {
            JsonNode entry = shards.get(i);
            if (entry.isNull()) {
                positions.add(ShardPosition.TOP);
            } else if (entry.isBoolean() && !entry.booleanValue()) {
                positions.add(ShardPosition.DONE);
            } else if (entry.isArray() && entry.size() == index.positionAttributes().size()) {
                Map<String, AttributeValue> key = new LinkedHashMap<>();
                key.put(index.partitionKey(), AttributeValue.fromS(partitions.get(i)));
                for (int a = 0; a < entry.size(); a++) {
                    String name = index.positionAttributes().get(a);
                    key.put(name, value(entry.get(a), index.keyAttributes().get(name)));
                }
                positions.add(ShardPosition.after(key));
            } else {
                throw invalid();
            }
        }
        return positions;
    }

    /** The payload of a cursor of ours, of this version, for this query: {v, q, and the one field it carries}. */
    private JsonNode verified(String cursor, String fingerprint, int version, String field) {
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
        if (payload == null || !payload.isObject() || payload.size() != 3 || !payload.path("v").isInt()
                || !payload.path("q").isTextual()) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(payload.get("q").textValue().getBytes(StandardCharsets.UTF_8),
                fingerprint.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "cursor belongs to another query",
                    List.of(new FieldError("cursor", "belongs to another query")));
        }
        // this query's, but of another layout: a cursor of this query from before its index was sharded
        if (payload.path("v").intValue() != version || !payload.has(field)) {
            throw invalid();
        }
        return payload;
    }

    private static Map<String, AttributeValue> startKey(JsonNode k, Map<String, ScalarAttributeType> expectedKey) {
        if (!k.isObject() || k.size() != expectedKey.size()) {
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
            if (value == null) {
                throw invalid();
            }
            key.put(field.getKey(), value(value, type));
        }
        return key;
    }

    /** A key value of the given type: a non-empty string; for N an integer of at most 38 digits. */
    private static AttributeValue value(JsonNode value, ScalarAttributeType type) {
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw invalid();
        }
        if (type == ScalarAttributeType.N) {
            if (!INTEGER.matcher(value.textValue()).matches()) {
                throw invalid();
            }
            return AttributeValue.fromN(value.textValue());
        }
        return AttributeValue.fromS(value.textValue());
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
