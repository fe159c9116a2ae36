package io.pushcqrs.command.adapter;

import io.pushcqrs.command.app.CommandRepository;
import io.pushcqrs.command.app.StatusChange;
import io.pushcqrs.command.app.StoredItem;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Schema;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.mapping.ClaimItem;
import io.pushcqrs.model.mapping.ItemSchemas;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * command-records through the DynamoDB API: conditional PutItem / UpdateItem / DeleteItem, one
 * TransactWriteItems (create claim + item), strongly consistent GetItem / Query. Items are read into
 * {@link StoredItem}s: an item the mapper cannot read comes back with its problem instead of failing
 * the call, and is deleted by its key without being mapped. Every SDK failure is classified once by
 * {@link AwsFailure} and thrown as its {@link io.pushcqrs.lambda.aws.AwsCallException} (400, 500 or 503).
 */
public class DynamoDbCommandRepository implements CommandRepository {
    private static final String TX = "#tx";
    private static final String VERSION = "#version";
    private static final String CLAIMED = "#claimed";
    /** Cancellation reasons of a transaction that a later attempt may not meet. */
    private static final Set<String> TRANSIENT_REASONS = Set.of("ThrottlingError", "ProvisionedThroughputExceeded",
            "RequestLimitExceeded", "TransactionConflict");

    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbCommandRepository(DynamoDbClient ddb, String table) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The repository of the function: COMMAND_TABLE (required), the client with the shared settings. */
    public static DynamoDbCommandRepository fromEnvironment(Env env) {
        String table = env.required(Schema.ENV_COMMAND_TABLE, "the command-records table");
        return new DynamoDbCommandRepository(AwsClients.build(DynamoDbClient.builder(), env, AwsClients.Settings.DEFAULT),
                table);
    }

    public String table() {
        return table;
    }

    DynamoDbClient client() {
        return ddb;
    }

    @Override
    public Optional<StoredItem> find(String transactionId, long createdAt) {
        GetItemResponse r = call("GetItem", () -> ddb.getItem(b -> b.tableName(table)
                .key(NotificationMapper.commandKey(transactionId, createdAt))
                .consistentRead(true)));
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(stored(r.item())) : Optional.empty();
    }

    @Override
    public List<StoredItem> findAll(String transactionId) {
        List<StoredItem> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                    .keyConditionExpression(TX + " = :tx")
                    .expressionAttributeNames(Map.of(TX, Attr.TRANSACTION_ID))
                    .expressionAttributeValues(Map.of(":tx", AttributeValue.fromS(transactionId)))
                    .consistentRead(true)
                    .scanIndexForward(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryRequest request = q.build();
            QueryResponse r = call("Query", () -> ddb.query(request));
            for (Map<String, AttributeValue> item : r.items()) {
                if (!CreateClaim.isClaim(item)) {
                    items.add(stored(item));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    @Override
    public boolean insert(Notification notification) {
        try {
            call("PutItem", () -> ddb.putItem(b -> b.tableName(table)
                    .item(NotificationMapper.toCommandItem(notification))
                    .conditionExpression("attribute_not_exists(" + TX + ")")
                    .expressionAttributeNames(Map.of(TX, Attr.TRANSACTION_ID))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public ClaimOutcome insertClaimed(Notification notification) {
        Map<String, AttributeValue> claim = ItemSchemas.CLAIM.itemToMap(
                new ClaimItem(notification.transactionId(), CreateClaim.CREATED_AT, notification.createdAt()), true);
        Put putClaim = Put.builder().tableName(table).item(claim)
                .conditionExpression("attribute_not_exists(" + TX + ")")
                .expressionAttributeNames(Map.of(TX, Attr.TRANSACTION_ID))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        Put putItem = Put.builder().tableName(table).item(NotificationMapper.toCommandItem(notification))
                .conditionExpression("attribute_not_exists(" + TX + ")")
                .expressionAttributeNames(Map.of(TX, Attr.TRANSACTION_ID))
                .build();
        try {
            call("PutItem (TransactWriteItems)", () -> ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(putClaim).build(),
                    TransactWriteItem.builder().put(putItem).build())));
            return new Claimed();
        } catch (TransactionCanceledException e) {
            return cancelled(e, notification.transactionId());
        }
    }

    /** What a cancelled claim transaction means: the claim or the key taken, contention, or a failure. */
    private ClaimOutcome cancelled(TransactionCanceledException e, String transactionId) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        String claimReason = reasons.size() > 0 ? reasons.get(0).code() : null;
        String itemReason = reasons.size() > 1 ? reasons.get(1).code() : null;
        if ("ConditionalCheckFailed".equals(claimReason)) {
            Map<String, AttributeValue> held = reasons.get(0).hasItem() ? reasons.get(0).item() : null;
            if (held == null || held.isEmpty()) {
                GetItemResponse r = call("GetItem", () -> ddb.getItem(b -> b.tableName(table)
                        .key(NotificationMapper.commandKey(transactionId, CreateClaim.CREATED_AT)).consistentRead(true)));
                held = r.hasItem() ? r.item() : null;
            }
            if (held == null || held.isEmpty()) {
                return new Contended(); // released meanwhile
            }
            Long claimed = claimPointer(held);
            if (claimed == null) {
                throw new ApiException(ErrorCode.CONFLICT, "transaction_id '" + transactionId + "' has an item at the"
                        + " reserved created_at " + CreateClaim.CREATED_AT + " that is not a create claim; remove it");
            }
            return new ClaimTaken(claimed);
        }
        if ("ConditionalCheckFailed".equals(itemReason)) {
            return new KeyTaken();
        }
        for (CancellationReason r : reasons) {
            if ("TransactionConflict".equals(r.code())) {
                return new Contended();
            }
        }
        for (CancellationReason r : reasons) {
            if (r.code() != null && TRANSIENT_REASONS.contains(r.code())) {
                throw AwsFailure.of(AwsFailure.Kind.UNAVAILABLE, action("PutItem (TransactWriteItems)"), resource(),
                        "TransactionCanceledException/" + r.code(), e.statusCode(), r.message()).exception(e);
            }
            if ("ValidationError".equals(r.code())) {
                throw AwsFailure.of(AwsFailure.Kind.REJECTED, action("PutItem (TransactWriteItems)"), resource(),
                        "TransactionCanceledException/" + r.code(), e.statusCode(), r.message()).exception(e);
            }
        }
        throw AwsFailure.classify(e, action("PutItem (TransactWriteItems)"), resource()).exception(e);
    }

    private static Long claimPointer(Map<String, AttributeValue> claim) {
        try {
            return NotificationMapper.longValue(claim, CreateClaim.CLAIMED_CREATED_AT);
        } catch (MappingException e) {
            return null;
        }
    }

    @Override
    public void releaseClaim(String transactionId, long createdAt) {
        try {
            call("DeleteItem", () -> ddb.deleteItem(b -> b.tableName(table)
                    .key(NotificationMapper.commandKey(transactionId, CreateClaim.CREATED_AT))
                    .conditionExpression(CLAIMED + " = :claimed")
                    .expressionAttributeNames(Map.of(CLAIMED, CreateClaim.CLAIMED_CREATED_AT))
                    .expressionAttributeValues(Map.of(":claimed", AttributeValue.fromN(Long.toString(createdAt))))));
        } catch (ConditionalCheckFailedException e) {
            // no claim, or one that points at another item: nothing to release
        }
    }

    @Override
    public UpdateOutcome update(String transactionId, long createdAt, StatusChange change) {
        long expected = Objects.requireNonNull(change.version(), "change.version");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        set(sets, names, values, Attr.STATUS, change.status() == null ? null : AttributeValue.fromS(change.status().name()));
        set(sets, names, values, Attr.RETRY_CNT, number(change.retryCnt()));
        set(sets, names, values, Attr.ERROR_MSG, string(change.errorMsg()));
        set(sets, names, values, Attr.SEND_TS, number(change.sendTs()));
        set(sets, names, values, Attr.DELIVERED_TS, number(change.deliveredTs()));
        set(sets, names, values, Attr.FAILED_TS, number(change.failedTs()));
        set(sets, names, values, Attr.AP_ID, string(change.apId()));
        set(sets, names, values, Attr.SNS_ID, string(change.snsId()));
        set(sets, names, values, Attr.VERSION, AttributeValue.fromN(Long.toString(expected + 1)));
        names.put(TX, Attr.TRANSACTION_ID);
        String condition = "attribute_exists(" + TX + ") AND " + versionCondition(expected, values);
        try {
            UpdateItemResponse r = call("UpdateItem", () -> ddb.updateItem(b -> b.tableName(table)
                    .key(NotificationMapper.commandKey(transactionId, createdAt))
                    .updateExpression("SET " + String.join(", ", sets))
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
            return new Updated(NotificationMapper.fromCommandItem(r.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return current(e, transactionId, createdAt).<UpdateOutcome>map(Stale::new).orElseGet(Missing::new);
        }
    }

    @Override
    public DeleteOutcome delete(String transactionId, long createdAt, Long expectedVersion) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put(TX, Attr.TRANSACTION_ID);
        String condition = "attribute_exists(" + TX + ")";
        if (expectedVersion != null) {
            names.put(VERSION, Attr.VERSION);
            condition += " AND " + versionCondition(expectedVersion, values);
        }
        // By key, returning nothing: an item the mapper cannot read is deleted all the same.
        DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(table)
                .key(NotificationMapper.commandKey(transactionId, createdAt))
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        try {
            call("DeleteItem", () -> ddb.deleteItem(request.build()));
            return new Deleted();
        } catch (ConditionalCheckFailedException e) {
            if (expectedVersion == null) {
                return new Missing();
            }
            return current(e, transactionId, createdAt).<DeleteOutcome>map(Stale::new).orElseGet(Missing::new);
        }
    }

    /**
     * A stored item, read without failing: the version first (every comparison needs it), then the whole item.
     * A created_at key that is not an integer cannot be addressed by the API at all: a 409 that says so.
     */
    static StoredItem stored(Map<String, AttributeValue> item) {
        String transactionId = NotificationMapper.string(item, Attr.TRANSACTION_ID);
        long createdAt;
        try {
            createdAt = Objects.requireNonNull(NotificationMapper.longValue(item, Attr.CREATED_AT));
        } catch (MappingException | NullPointerException e) {
            throw new ApiException(ErrorCode.CONFLICT, "a stored item of transaction_id '" + transactionId
                    + "' has a created_at that is not epoch milliseconds (" + item.get(Attr.CREATED_AT)
                    + "): the API cannot address it; remove it with the AWS CLI");
        }
        Long version;
        try {
            version = NotificationMapper.longValue(item, Attr.VERSION);
        } catch (MappingException e) {
            return StoredItem.unreadable(transactionId, createdAt, null, e);
        }
        try {
            return StoredItem.of(NotificationMapper.fromCommandItem(item));
        } catch (MappingException e) {
            return StoredItem.unreadable(transactionId, createdAt, version, e);
        }
    }

    /** {@code version = :expected}, or {@code attribute_not_exists(version)} when 0 is expected (unversioned items). */
    private static String versionCondition(long expected, Map<String, AttributeValue> values) {
        if (expected == 0) {
            return "attribute_not_exists(" + VERSION + ")";
        }
        values.put(":expected", AttributeValue.fromN(Long.toString(expected)));
        return VERSION + " = :expected";
    }

    /** The item as stored after a failed condition: from the exception when DynamoDB returned it, else read. */
    private Optional<StoredItem> current(ConditionalCheckFailedException e, String transactionId, long createdAt) {
        if (e.hasItem() && !e.item().isEmpty()) {
            return Optional.of(stored(e.item()));
        }
        return find(transactionId, createdAt);
    }

    private static void set(List<String> sets, Map<String, String> names, Map<String, AttributeValue> values,
                            String attribute, AttributeValue value) {
        if (value == null) {
            return;
        }
        String name = "#" + attribute;
        names.put(name, attribute);
        values.put(":" + attribute, value);
        sets.add(name + " = :" + attribute);
    }

    private static AttributeValue number(Number n) {
        return n == null ? null : AttributeValue.fromN(n.toString());
    }

    private static AttributeValue string(String s) {
        return s == null || s.isEmpty() ? null : AttributeValue.fromS(s);
    }

    private static String action(String operation) {
        return "dynamodb:" + operation;
    }

    private String resource() {
        return "table/" + table;
    }

    /**
     * Runs a DynamoDB call. A failed condition is the caller's to handle (and a cancelled transaction's
     * reasons); every other SDK failure is classified by {@link AwsFailure} and thrown as its exception.
     */
    private <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException e) {
            throw e;
        } catch (SdkException e) {
            throw AwsFailure.classify(e, action(operation), resource()).exception(e);
        }
    }
}
