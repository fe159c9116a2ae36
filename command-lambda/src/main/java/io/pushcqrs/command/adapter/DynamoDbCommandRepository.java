package io.pushcqrs.command.adapter;

import io.pushcqrs.command.app.CommandRepository;
import io.pushcqrs.command.app.CommandStoreUnavailableException;
import io.pushcqrs.command.app.StatusChange;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * command-records through the DynamoDB API: conditional PutItem / UpdateItem / DeleteItem and
 * strongly consistent GetItem / Query, every item mapped by {@link NotificationMapper}.
 * Throttling, 5xx answers and client-side failures (timeouts, refused connections) become
 * {@link CommandStoreUnavailableException}; other errors (a missing table, a rejected request)
 * propagate as they are.
 */
public class DynamoDbCommandRepository implements CommandRepository {
    private static final String TX = "#tx";
    private static final String VERSION = "#version";

    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbCommandRepository(DynamoDbClient ddb, String table) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
    }

    public String table() {
        return table;
    }

    @Override
    public Optional<Notification> find(String transactionId, long createdAt) {
        GetItemResponse r = call(() -> ddb.getItem(b -> b.tableName(table)
                .key(NotificationMapper.commandKey(transactionId, createdAt))
                .consistentRead(true)));
        return r.hasItem() && !r.item().isEmpty()
                ? Optional.of(NotificationMapper.fromCommandItem(r.item()))
                : Optional.empty();
    }

    @Override
    public List<Notification> findAll(String transactionId) {
        List<Notification> items = new ArrayList<>();
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
            QueryResponse r = call(() -> ddb.query(request));
            r.items().forEach(item -> items.add(NotificationMapper.fromCommandItem(item)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    @Override
    public boolean insert(Notification notification) {
        try {
            call(() -> ddb.putItem(b -> b.tableName(table)
                    .item(NotificationMapper.toCommandItem(notification))
                    .conditionExpression("attribute_not_exists(" + TX + ")")
                    .expressionAttributeNames(Map.of(TX, Attr.TRANSACTION_ID))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
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
            UpdateItemResponse r = call(() -> ddb.updateItem(b -> b.tableName(table)
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
        DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(table)
                .key(NotificationMapper.commandKey(transactionId, createdAt))
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .returnValues(ReturnValue.ALL_OLD)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        try {
            DeleteItemResponse r = call(() -> ddb.deleteItem(request.build()));
            return new Deleted(NotificationMapper.fromCommandItem(r.attributes()));
        } catch (ConditionalCheckFailedException e) {
            if (expectedVersion == null) {
                return new Missing();
            }
            return current(e, transactionId, createdAt).<DeleteOutcome>map(Stale::new).orElseGet(Missing::new);
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
    private Optional<Notification> current(ConditionalCheckFailedException e, String transactionId, long createdAt) {
        if (e.hasItem() && !e.item().isEmpty()) {
            return Optional.of(NotificationMapper.fromCommandItem(e.item()));
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

    /** Runs a DynamoDB call, turning failures a retry may cure into {@link CommandStoreUnavailableException}. */
    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (DynamoDbException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new CommandStoreUnavailableException("DynamoDB answered " + e.statusCode() + " "
                        + errorCode(e) + " on table " + table, e);
            }
            throw e;
        } catch (SdkClientException e) {
            throw new CommandStoreUnavailableException("DynamoDB could not be reached: " + e.getMessage(), e);
        } catch (SdkException e) {
            if (e.retryable()) {
                throw new CommandStoreUnavailableException("DynamoDB failed: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static String errorCode(DynamoDbException e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }
}
