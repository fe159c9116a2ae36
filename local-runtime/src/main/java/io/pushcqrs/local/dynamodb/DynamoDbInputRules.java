package io.pushcqrs.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * DynamoDB's input rules for the item operations, applied to a request body (the JSON the SDKs send) before moto sees
 * it, where moto is looser than DynamoDB. Pure: the table schemas come from the caller. {@link #check} answers null
 * when DynamoDB would accept the request (as far as these rules go), else the message of DynamoDB's
 * ValidationException.
 * <p>
 * What is checked, per operation (the rest, such as expression syntax, stays moto's):
 * <ul>
 * <li>every attribute value anywhere in the request ({@link AttributeRules#checkValue}): one type, numbers (38 digits,
 *     range), sets (not empty, no duplicates), NULL true, map keys (attribute names) not empty and at most 64 KB at any
 *     depth, at most 32 levels of nesting; values in ExpressionAttributeValues are named by their key as DynamoDB
 *     does;</li>
 * <li>items (PutItem, BatchWriteItem PutRequest, TransactWriteItems Put): top-level names, the table's key attributes
 *     present with their type, not empty, within the key size limits (2048 / 1024 bytes); index key attributes of the
 *     right type and not empty; the item at most 400 KB;</li>
 * <li>keys (GetItem, DeleteItem, UpdateItem, BatchGetItem, the Key of transaction items): exactly the table's key
 *     attributes, of their type, not empty;</li>
 * <li>ExpressionAttributeNames / ExpressionAttributeValues: not empty maps, no empty name (SET #n = :v with #n
 *     naming "" would make an empty attribute name);</li>
 * <li>batch and transaction sizes (25 writes, 100 gets or transaction items), no item twice in one call; Query/Scan
 *     Limit at least 1.</li>
 * </ul>
 */
public final class DynamoDbInputRules {
    static final String KEY_MISMATCH = "The provided key element does not match the schema";
    static final int MAX_HASH_KEY_BYTES = 2048;
    static final int MAX_RANGE_KEY_BYTES = 1024;

    private DynamoDbInputRules() {
    }

    /**
     * @param operation the operation (the part of X-Amz-Target after the dot: PutItem, Query...)
     * @param body      the request
     * @param schemas   table name -> its schema, or null when the table is unknown (then only table-free rules apply)
     */
    public static String check(String operation, JsonNode body, Function<String, TableSchema> schemas) {
        if (body == null || !body.isObject()) {
            return null; // moto answers what DynamoDB does for a body that is not an object
        }
        return switch (operation) {
            case "PutItem" -> firstOf(expressionParameters(body), item(body.get("Item"), schema(body, schemas)),
                    conditionValues(body));
            case "GetItem", "DeleteItem" -> firstOf(expressionParameters(body), key(body.get("Key"), schema(body, schemas)),
                    conditionValues(body));
            case "UpdateItem" -> firstOf(expressionParameters(body), key(body.get("Key"), schema(body, schemas)),
                    attributeUpdates(body.get("AttributeUpdates")), conditionValues(body));
            case "Query", "Scan" -> firstOf(expressionParameters(body), limit(body),
                    startKey(body.get("ExclusiveStartKey")), conditionValues(body));
            case "BatchWriteItem" -> batchWrite(body.get("RequestItems"), schemas);
            case "BatchGetItem" -> batchGet(body.get("RequestItems"), schemas);
            case "TransactWriteItems" -> transactWrite(body.get("TransactItems"), schemas);
            case "TransactGetItems" -> transactGet(body.get("TransactItems"), schemas);
            default -> null;
        };
    }

    /** The schema of the request's TableName (a name or a table ARN), or null. */
    private static TableSchema schema(JsonNode body, Function<String, TableSchema> schemas) {
        JsonNode name = body.get("TableName");
        return name == null || !name.isTextual() ? null : schemas.apply(tableName(name.asText()));
    }

    /** arn:aws:dynamodb:region:account:table/NAME -> NAME; a name as is. */
    public static String tableName(String nameOrArn) {
        int i = nameOrArn.indexOf(":table/");
        if (nameOrArn.startsWith("arn:") && i > 0) {
            String rest = nameOrArn.substring(i + ":table/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return nameOrArn;
    }

    private static String firstOf(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    // ---- expressions ----

    private static String expressionParameters(JsonNode body) {
        JsonNode names = body.get("ExpressionAttributeNames");
        if (names != null && names.isObject()) {
            if (names.isEmpty()) {
                return "ExpressionAttributeNames must not be empty";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = names.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().asText().isEmpty()) {
                    return "ExpressionAttributeNames contains invalid value: Empty attribute name for key " + e.getKey();
                }
            }
        }
        JsonNode values = body.get("ExpressionAttributeValues");
        if (values != null && values.isObject()) {
            if (values.isEmpty()) {
                return "ExpressionAttributeValues must not be empty";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String problem = AttributeRules.checkValue(e.getValue());
                if (problem != null) {
                    return "ExpressionAttributeValues contains invalid value: " + problem + " for key " + e.getKey();
                }
            }
        }
        return null;
    }

    /** The values of the legacy parameters (Expected, KeyConditions, QueryFilter, ScanFilter). */
    private static String conditionValues(JsonNode body) {
        for (String field : List.of("Expected", "KeyConditions", "QueryFilter", "ScanFilter")) {
            JsonNode conditions = body.get(field);
            if (conditions == null || !conditions.isObject()) {
                continue;
            }
            for (JsonNode c : conditions) {
                List<JsonNode> values = new ArrayList<>();
                if (c.has("Value")) {
                    values.add(c.get("Value"));
                }
                c.path("AttributeValueList").forEach(values::add);
                for (JsonNode v : values) {
                    String problem = AttributeRules.checkValue(v);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
        }
        return null;
    }

    private static String attributeUpdates(JsonNode updates) {
        if (updates == null || !updates.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = updates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String problem = AttributeRules.checkName(e.getKey());
            if (problem == null && e.getValue().has("Value")) {
                problem = AttributeRules.checkValue(e.getValue().get("Value"));
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String limit(JsonNode body) {
        JsonNode limit = body.get("Limit");
        if (limit != null && limit.isNumber() && limit.asLong() < 1) {
            return "1 validation error detected: Value '" + limit.asText()
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1";
        }
        return null;
    }

    private static String startKey(JsonNode key) {
        return key == null || !key.isObject() ? null : values(key);
    }

    // ---- items and keys ----

    /** Every name and value of an attribute map. */
    private static String values(JsonNode attributes) {
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String problem = AttributeRules.checkName(e.getKey());
            if (problem == null) {
                problem = AttributeRules.checkValue(e.getValue());
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** An item to write: its values, then (when the table is known) its key and index attributes, then its size. */
    static String item(JsonNode item, TableSchema table) {
        if (item == null || !item.isObject()) {
            return null;
        }
        String problem = values(item);
        if (problem != null) {
            return problem;
        }
        if (table != null) {
            for (String key : table.keys()) {
                JsonNode v = item.get(key);
                if (v == null) {
                    return "One or more parameter values were invalid: Missing the key " + key + " in the item";
                }
                String expected = table.types().get(key);
                String actual = AttributeRules.type(v);
                if (expected != null && !expected.equals(actual)) {
                    return "One or more parameter values were invalid: Type mismatch for key " + key + " expected: "
                            + expected + " actual: " + actual;
                }
                if (isEmptyScalar(v)) {
                    return "One or more parameter values are not valid. The AttributeValue for a key attribute cannot"
                            + " contain an empty " + ("B".equals(actual) ? "binary" : "string") + " value. Key: " + key;
                }
            }
            problem = keySizes(item, table);
            if (problem != null) {
                return problem;
            }
            for (TableSchema.Index index : table.indexes()) {
                for (String key : indexKeys(index)) {
                    JsonNode v = item.get(key);
                    if (v == null || table.keys().contains(key)) {
                        continue;
                    }
                    String expected = table.types().get(key);
                    String actual = AttributeRules.type(v);
                    if (expected != null && !expected.equals(actual)) {
                        return "One or more parameter values were invalid: Type mismatch for Index Key " + key
                                + " Expected: " + expected + " Actual: " + actual + " IndexName: " + index.name();
                    }
                    if (isEmptyScalar(v)) {
                        return "One or more parameter values are not valid. A value specified for a secondary index key"
                                + " is not supported. The AttributeValue for a key attribute cannot contain an empty string"
                                + " value. IndexName: " + index.name() + ", IndexKey: " + key;
                    }
                }
            }
        }
        if (AttributeRules.itemSize(item) > AttributeRules.MAX_ITEM_BYTES) {
            return "Item size has exceeded the maximum allowed size";
        }
        return null;
    }

    /** A primary key: exactly the table's key attributes (when the table is known), of their types, not empty. */
    static String key(JsonNode key, TableSchema table) {
        if (key == null || !key.isObject()) {
            return null;
        }
        String problem = values(key);
        if (problem != null || table == null) {
            return problem;
        }
        if (key.size() != table.keys().size()) {
            return KEY_MISMATCH;
        }
        for (String name : table.keys()) {
            JsonNode v = key.get(name);
            String expected = table.types().get(name);
            if (v == null || expected != null && !expected.equals(AttributeRules.type(v))) {
                return KEY_MISMATCH;
            }
            if (isEmptyScalar(v)) {
                return "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain"
                        + " an empty " + ("B".equals(expected) ? "binary" : "string") + " value. Key: " + name;
            }
        }
        return keySizes(key, table);
    }

    private static String keySizes(JsonNode item, TableSchema table) {
        if (AttributeRules.valueSize(item.get(table.hashKey())) > MAX_HASH_KEY_BYTES) {
            return "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of"
                    + MAX_HASH_KEY_BYTES + " bytes";
        }
        if (table.rangeKey() != null && AttributeRules.valueSize(item.get(table.rangeKey())) > MAX_RANGE_KEY_BYTES) {
            return "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit"
                    + " of " + MAX_RANGE_KEY_BYTES + " bytes";
        }
        return null;
    }

    private static List<String> indexKeys(TableSchema.Index index) {
        return index.rangeKey() == null ? List.of(index.hashKey()) : List.of(index.hashKey(), index.rangeKey());
    }

    private static boolean isEmptyScalar(JsonNode v) {
        String type = AttributeRules.type(v);
        return ("S".equals(type) || "B".equals(type)) && v.get(type).asText().isEmpty();
    }

    /** A key's identity, to find an item named twice in one call. */
    private static String identity(String table, JsonNode key, TableSchema schema) {
        StringBuilder s = new StringBuilder(table);
        List<String> names = schema != null ? schema.keys() : new ArrayList<>();
        if (schema == null) {
            key.fieldNames().forEachRemaining(names::add);
            names.sort(null);
        }
        for (String n : names) {
            s.append('\u0000').append(n).append('=').append(key.path(n).toString());
        }
        return s.toString();
    }

    private static JsonNode keyOf(JsonNode item, TableSchema schema) {
        if (schema == null) {
            return item;
        }
        com.fasterxml.jackson.databind.node.ObjectNode k = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String n : schema.keys()) {
            if (item.has(n)) {
                k.set(n, item.get(n));
            }
        }
        return k;
    }

    // ---- batches and transactions ----

    private static String batchWrite(JsonNode requestItems, Function<String, TableSchema> schemas) {
        if (requestItems == null || !requestItems.isObject()) {
            return null;
        }
        int count = 0;
        Set<String> seen = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TableSchema schema = schemas.apply(tableName(e.getKey()));
            for (JsonNode w : e.getValue()) {
                count++;
                JsonNode put = w.path("PutRequest").get("Item");
                JsonNode delete = w.path("DeleteRequest").get("Key");
                String problem = put != null ? item(put, schema) : key(delete, schema);
                if (problem != null) {
                    return problem;
                }
                JsonNode k = put != null ? keyOf(put, schema) : delete;
                if (k != null && !seen.add(identity(e.getKey(), k, schema))) {
                    return "Provided list of item keys contains duplicates";
                }
            }
        }
        if (count > 25) {
            return "Too many items requested for the BatchWriteItem call";
        }
        return null;
    }

    private static String batchGet(JsonNode requestItems, Function<String, TableSchema> schemas) {
        if (requestItems == null || !requestItems.isObject()) {
            return null;
        }
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TableSchema schema = schemas.apply(tableName(e.getKey()));
            Set<String> seen = new HashSet<>();
            String problem = expressionParameters(e.getValue());
            if (problem != null) {
                return problem;
            }
            for (JsonNode k : e.getValue().path("Keys")) {
                count++;
                problem = key(k, schema);
                if (problem != null) {
                    return problem;
                }
                if (!seen.add(identity(e.getKey(), k, schema))) {
                    return "Provided list of item keys contains duplicates";
                }
            }
        }
        if (count > 100) {
            return "Too many items requested for the BatchGetItem call";
        }
        return null;
    }

    private static String transactWrite(JsonNode items, Function<String, TableSchema> schemas) {
        if (items == null || !items.isArray()) {
            return null;
        }
        if (items.size() > 100) {
            return "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have"
                    + " length less than or equal to 100";
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode t : items) {
            for (String kind : List.of("Put", "Update", "Delete", "ConditionCheck")) {
                JsonNode op = t.get(kind);
                if (op == null || !op.isObject()) {
                    continue;
                }
                String table = op.path("TableName").asText("");
                TableSchema schema = schemas.apply(tableName(table));
                String problem = expressionParameters(op);
                if (problem == null) {
                    problem = kind.equals("Put") ? item(op.get("Item"), schema) : key(op.get("Key"), schema);
                }
                if (problem != null) {
                    return problem;
                }
                JsonNode k = kind.equals("Put") ? (op.get("Item") == null ? null : keyOf(op.get("Item"), schema)) : op.get("Key");
                if (k != null && !seen.add(identity(table, k, schema))) {
                    return "Transaction request cannot include multiple operations on one item";
                }
            }
        }
        return null;
    }

    private static String transactGet(JsonNode items, Function<String, TableSchema> schemas) {
        if (items == null || !items.isArray()) {
            return null;
        }
        if (items.size() > 100) {
            return "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have"
                    + " length less than or equal to 100";
        }
        for (JsonNode t : items) {
            JsonNode get = t.get("Get");
            if (get != null && get.isObject()) {
                String problem = firstOf(expressionParameters(get),
                        key(get.get("Key"), schemas.apply(tableName(get.path("TableName").asText("")))));
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** The UTF-8 size of a string (for tests and messages). */
    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
