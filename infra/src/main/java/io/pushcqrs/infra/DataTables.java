package io.pushcqrs.infra;

import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;

/**
 * The two tables: command-records (the write model, streamed with NEW_AND_OLD_IMAGES) and notification-records
 * (the read model, its four query GSIs, two of them write-sharded, and the tombstones' TTL). docs/architecture.md,
 * "Tables and keys".
 * Created in the stack's own scope, so their logical ids are those of the stack before it was split in constructs.
 */
final class DataTables {
    /**
     * Context {@code withoutMarketingIndex=true}: the stack without marketing-index, for the first of the two
     * deploys that move a deployed stack to the write-sharded key (CloudFormation changes no GSI key in place).
     */
    static final String CTX_WITHOUT_MARKETING_INDEX = "withoutMarketingIndex";

    private final StackParts stack;
    private final Table commandTable;
    private final Table notificationTable;

    DataTables(StackParts stack) {
        this.stack = stack;
        this.commandTable = commandRecordsTable();
        this.notificationTable = notificationRecordsTable();
    }

    Table commands() {
        return commandTable;
    }

    Table notifications() {
        return notificationTable;
    }

    /** The ARN of a GSI of notification-records. */
    String indexArn(String indexName) {
        return notificationTable.getTableArn() + "/index/" + indexName;
    }

    /** command-records, the write model: PK transaction_id, SK created_at (epoch ms), streamed. */
    private Table commandRecordsTable() {
        return Table.Builder.create(stack.scope(), "CommandRecords")
                .tableName(stack.config().name("command-records"))
                .partitionKey(attr("transaction_id", AttributeType.STRING))
                .sortKey(attr("created_at", AttributeType.NUMBER))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .stream(StreamViewType.NEW_AND_OLD_IMAGES)
                .pointInTimeRecoverySpecification(pitr())
                .removalPolicy(stack.removalPolicy())
                .build();
    }

    /** notification-records, the read model: PK user_id, SK view_sk, and the four query GSIs. */
    private Table notificationRecordsTable() {
        Table table = Table.Builder.create(stack.scope(), "NotificationRecords")
                .tableName(stack.config().name("notification-records"))
                .partitionKey(attr("user_id", AttributeType.STRING))
                // view_sk = zero-padded created_at + '#' + transaction_id: unique and time-ordered per user.
                .sortKey(attr("view_sk", AttributeType.STRING))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(pitr())
                // Tombstones of deleted views carry expires_at (epoch seconds, 48 h after the delete): DynamoDB
                // removes them once no stream record can contradict them any more (the stream keeps 24 h).
                .timeToLiveAttribute(NotificationStack.TTL_ATTRIBUTE)
                .removalPolicy(stack.removalPolicy())
                .build();
        // By campaign, newest first (ScanIndexForward=false on view_sk). Write-sharded: marketing_shard =
        // marketing_id#k, k = the view's shard of 16, so that a campaign send spreads its writes over 16 partition
        // keys; the query reads all 16 and merges them (docs/architecture.md, "Write sharding of the hot index keys").
        // Changing this key schema replaces the index on a deployed stack, and CloudFormation cannot do that in one
        // update: the first deploy of the migration runs with -c withoutMarketingIndex=true (docs/architecture.md,
        // "Migrating a deployed stack").
        if (!Boolean.parseBoolean(InfraConfig.setting(stack.scope().getNode(), CTX_WITHOUT_MARKETING_INDEX))) {
            table.addGlobalSecondaryIndex(gsi(NotificationStack.MARKETING_INDEX, "marketing_shard", AttributeType.STRING,
                    "view_sk", AttributeType.STRING));
        }
        // By transaction.
        table.addGlobalSecondaryIndex(gsi(NotificationStack.TRANSACTION_INDEX, "transaction_id", AttributeType.STRING,
                "created_at", AttributeType.NUMBER));
        // By SNS message id; sparse (only views with an sns_id).
        table.addGlobalSecondaryIndex(gsi(NotificationStack.SNS_INDEX, "sns_id", AttributeType.STRING,
                "created_at", AttributeType.NUMBER));
        // Failed records, recent first; sparse (only FAILED views carry failure_status / failure_sk). Write-sharded
        // by value: failure_status = FAILED#k, k = the view's shard of 8 (the key schema is the one before).
        table.addGlobalSecondaryIndex(gsi(NotificationStack.FAILURES_INDEX, "failure_status", AttributeType.STRING,
                "failure_sk", AttributeType.STRING));
        return table;
    }

    private static Attribute attr(String name, AttributeType type) {
        return Attribute.builder().name(name).type(type).build();
    }

    private static PointInTimeRecoverySpecification pitr() {
        return PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build();
    }

    /**
     * Every index projects ALL: each query answers the whole view (every field and source_version) from the index it
     * reads, so INCLUDE would have to list every attribute but source_seq and the other indexes' keys, and KEYS_ONLY
     * would need a second read per item (docs/scaling.md, "What the indexes project").
     */
    private static GlobalSecondaryIndexProps gsi(String name, String pk, AttributeType pkType, String sk,
                                                 AttributeType skType) {
        return GlobalSecondaryIndexProps.builder()
                .indexName(name)
                .partitionKey(attr(pk, pkType))
                .sortKey(attr(sk, skType))
                .projectionType(ProjectionType.ALL)
                .build();
    }
}
