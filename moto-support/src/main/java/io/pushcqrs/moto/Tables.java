package io.pushcqrs.moto;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Schema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Creates the two tables of docs/architecture.md, "Tables and keys" (the same keys, GSIs and stream infra/
 * declares) for adapter tests. The embedded stack does not use this: it provisions from the synthesized template.
 */
public final class Tables {
    private Tables() {
    }

    /** command-records: PK transaction_id (S), SK created_at (N), stream NEW_AND_OLD_IMAGES. Returns the stream ARN. */
    public static String createCommandTable(DynamoDbClient ddb, String name) {
        CreateTableResponse r = ddb.createTable(CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr(Attr.TRANSACTION_ID, ScalarAttributeType.S), attr(Attr.CREATED_AT, ScalarAttributeType.N))
                .keySchema(key(Attr.TRANSACTION_ID, KeyType.HASH), key(Attr.CREATED_AT, KeyType.RANGE))
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build());
        return r.tableDescription().latestStreamArn();
    }

    /** notification-records: PK user_id (S), SK view_sk (S), and the four GSIs of {@link Schema}. */
    public static void createNotificationTable(DynamoDbClient ddb, String name) {
        ddb.createTable(CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attr(Attr.USER_ID, ScalarAttributeType.S),
                        attr(Attr.VIEW_SK, ScalarAttributeType.S),
                        attr(Attr.MARKETING_SHARD, ScalarAttributeType.S),
                        attr(Attr.TRANSACTION_ID, ScalarAttributeType.S),
                        attr(Attr.CREATED_AT, ScalarAttributeType.N),
                        attr(Attr.SNS_ID, ScalarAttributeType.S),
                        attr(Attr.FAILURE_STATUS, ScalarAttributeType.S),
                        attr(Attr.FAILURE_SK, ScalarAttributeType.S))
                .keySchema(key(Attr.USER_ID, KeyType.HASH), key(Attr.VIEW_SK, KeyType.RANGE))
                .globalSecondaryIndexes(
                        gsi(Schema.MARKETING_INDEX, Attr.MARKETING_SHARD, Attr.VIEW_SK),
                        gsi(Schema.TRANSACTION_INDEX, Attr.TRANSACTION_ID, Attr.CREATED_AT),
                        gsi(Schema.SNS_INDEX, Attr.SNS_ID, Attr.CREATED_AT),
                        gsi(Schema.FAILURES_INDEX, Attr.FAILURE_STATUS, Attr.FAILURE_SK))
                .build());
    }

    private static GlobalSecondaryIndex gsi(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(pk, KeyType.HASH), key(sk, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
