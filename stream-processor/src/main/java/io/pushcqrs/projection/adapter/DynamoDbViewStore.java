package io.pushcqrs.projection.adapter;

import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.mapping.GuardCondition;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.projection.app.ViewStore;
import io.pushcqrs.projection.app.WriteGuard;
import io.pushcqrs.projection.app.WriteOutcome;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.Map;

/**
 * notification-records through conditional PutItem only (a delete is a tombstone put at the view's key, see
 * {@link Tombstones}). The condition is the {@link WriteGuard} rule as a DynamoDB condition expression:
 * <pre>
 * attribute_not_exists(user_id) OR source_seq &lt; :seq
 *   OR (attribute_not_exists(source_seq) AND (attribute_not_exists(source_version) OR source_version &lt; :version))
 * </pre>
 * and, for a change without a version, {@code attribute_not_exists(user_id) OR source_seq < :seq OR
 * attribute_not_exists(source_seq)}. A failed condition is {@link WriteOutcome#STALE}, a delete that found no item
 * {@link WriteOutcome#ABSENT}; every other error is
 * thrown, classified ({@link AwsFailure}: the projection retries the UNAVAILABLE ones, sends a record whose write is
 * REJECTED to the on-failure queue), after the SDK has already retried throttling and 5xx errors.
 */
public final class DynamoDbViewStore implements ViewStore {
    static final String VERSIONED_CONDITION = GuardCondition.VERSIONED;
    static final String VERSIONLESS_CONDITION = GuardCondition.VERSIONLESS;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbViewStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** The store of the function: NOTIFICATION_TABLE (required), the client with the shared settings. */
    public static DynamoDbViewStore fromEnvironment(Env env) {
        String table = env.required(Schema.ENV_NOTIFICATION_TABLE, "the notification-records table");
        return new DynamoDbViewStore(AwsClients.build(DynamoDbClient.builder(), env, AwsClients.Settings.DEFAULT), table);
    }

    @Override
    public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
        Condition c = Condition.of(guard);
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(viewItem)
                    .conditionExpression(c.expression)
                    .expressionAttributeNames(c.names)
                    .expressionAttributeValues(c.values)
                    .build());
            return WriteOutcome.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return WriteOutcome.STALE;
        } catch (SdkException e) {
            throw AwsFailure.classify(e, "dynamodb:PutItem", "table/" + tableName).exception(e);
        }
    }

    @Override
    public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
        Condition c = Condition.of(guard);
        try {
            PutItemResponse response = dynamoDb.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(tombstone)
                    .conditionExpression(c.expression)
                    .expressionAttributeNames(c.names)
                    .expressionAttributeValues(c.values)
                    .returnValues(ReturnValue.ALL_OLD)
                    .build());
            boolean replacedAView = response.hasAttributes() && !response.attributes().isEmpty()
                    && !Tombstones.isTombstone(response.attributes());
            return replacedAView ? WriteOutcome.APPLIED : WriteOutcome.ABSENT;
        } catch (ConditionalCheckFailedException e) {
            return WriteOutcome.STALE;
        } catch (SdkException e) {
            throw AwsFailure.classify(e, "dynamodb:PutItem", "table/" + tableName).exception(e);
        }
    }

    /** The condition expression of a guard with its names and values (shared-model's {@link GuardCondition}). */
    private record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        static Condition of(WriteGuard guard) {
            GuardCondition c = GuardCondition.of(guard.sourceSeq(), guard.sourceVersion());
            return new Condition(c.expression(), c.names(), c.values());
        }
    }
}
