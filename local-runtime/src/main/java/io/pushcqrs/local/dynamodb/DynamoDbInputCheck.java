package io.pushcqrs.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.edge.RequestCheck;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The edge's check of DynamoDB calls ({@code X-Amz-Target: DynamoDB_20120810.<Operation>}): {@link DynamoDbInputRules}
 * with the tables' schemas (DescribeTable on the backend, kept until a CreateTable, UpdateTable or DeleteTable goes
 * through the edge). A refused call is answered as DynamoDB answers it: HTTP 400,
 * {@code {"__type":"com.amazon.coral.validate#ValidationException","message":"..."}}, with {@code x-amzn-RequestId}
 * and a correct {@code x-amz-crc32}; the log gets one line naming the operation, table and reason.
 */
public final class DynamoDbInputCheck implements RequestCheck {
    public static final String TARGET_PREFIX = "DynamoDB_20120810.";
    static final String VALIDATION = "com.amazon.coral.validate#ValidationException";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, Optional<TableSchema>> describe;
    private final Consumer<String> log;
    private final Map<String, Optional<TableSchema>> schemas = new ConcurrentHashMap<>();

    /** Schemas from the backend's DescribeTable. */
    public DynamoDbInputCheck(DynamoDbClient backend, Consumer<String> log) {
        this(name -> describe(backend, name), log);
    }

    /** @param describe table name -> its schema (empty: no such table) */
    public DynamoDbInputCheck(Function<String, Optional<TableSchema>> describe, Consumer<String> log) {
        this.describe = describe;
        this.log = log;
    }

    @Override
    public Refusal check(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String target = header(headers, "X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX) || !method.equals("POST")) {
            return null;
        }
        String operation = target.substring(TARGET_PREFIX.length());
        if (operation.equals("CreateTable") || operation.equals("UpdateTable") || operation.equals("DeleteTable")) {
            schemas.clear(); // the next call describes again
            return null;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return null; // not JSON: the backend answers the SerializationException
        }
        String problem = DynamoDbInputRules.check(operation, request, this::schema);
        if (problem == null) {
            return null;
        }
        String table = request == null ? "" : request.path("TableName").asText("");
        log.accept("DynamoDB " + operation + (table.isEmpty() ? "" : " on " + table) + " refused at the edge as DynamoDB"
                + " refuses it (ValidationException): " + problem);
        return validationException(problem);
    }

    /** DynamoDB's answer to a request it refuses. */
    public static Refusal validationException(String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("__type", VALIDATION);
        body.put("message", message);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("x-amzn-RequestId", UUID.randomUUID().toString().replace("-", "").toUpperCase());
        headers.put("x-amz-crc32", Long.toString(crc.getValue()));
        return new Refusal(400, headers, bytes);
    }

    private TableSchema schema(String table) {
        return schemas.computeIfAbsent(table, describe).orElse(null);
    }

    private static Optional<TableSchema> describe(DynamoDbClient backend, String table) {
        try {
            return Optional.of(schemaOf(backend.describeTable(b -> b.tableName(table)).table()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            return Optional.empty(); // the call goes on; the backend answers it
        }
    }

    /** The schema of a table as DescribeTable answers it. */
    public static TableSchema schemaOf(TableDescription t) {
        Map<String, String> types = new LinkedHashMap<>();
        for (AttributeDefinition d : t.attributeDefinitions()) {
            types.put(d.attributeName(), d.attributeTypeAsString());
        }
        List<TableSchema.Index> indexes = new ArrayList<>();
        for (GlobalSecondaryIndexDescription g : t.globalSecondaryIndexes()) {
            indexes.add(new TableSchema.Index(g.indexName(), key(g.keySchema(), KeyType.HASH), key(g.keySchema(), KeyType.RANGE)));
        }
        for (LocalSecondaryIndexDescription l : t.localSecondaryIndexes()) {
            indexes.add(new TableSchema.Index(l.indexName(), key(l.keySchema(), KeyType.HASH), key(l.keySchema(), KeyType.RANGE)));
        }
        return new TableSchema(t.tableName(), key(t.keySchema(), KeyType.HASH), key(t.keySchema(), KeyType.RANGE), types,
                indexes);
    }

    private static String key(List<KeySchemaElement> schema, KeyType type) {
        return schema.stream().filter(k -> k.keyType() == type).map(KeySchemaElement::attributeName).findFirst().orElse(null);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
