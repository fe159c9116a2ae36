package io.pushcqrs.local.moto;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Brings a table that exists in line with the template (a redeploy), in place, the way CloudFormation updates an
 * AWS::DynamoDB::Table without replacing it: the billing mode; global secondary indexes deleted, created (one
 * UpdateTable per index, as DynamoDB allows, waiting for each), or deleted and created again when their keys or
 * projection changed; the stream switched off and on again when its view type changed (the stream ARN then changes,
 * as on AWS). Key schema and local index changes need a new table: that is the deployment's decision, not this
 * class's. The items stay.
 */
final class TableUpdates {
    private TableUpdates() {
    }

    static TableDescription apply(DynamoDbClient ddb, CreateTableRequest want, TableDescription have,
                                  UnaryOperator<TableDescription> awaitActive) {
        String name = want.tableName();
        TableDescription table = have;
        BillingMode haveMode = table.billingModeSummary() == null ? BillingMode.PROVISIONED
                : table.billingModeSummary().billingMode();
        BillingMode wantMode = want.billingMode() == null ? BillingMode.PROVISIONED : want.billingMode();
        if (haveMode != wantMode) {
            UpdateTableRequest.Builder b = UpdateTableRequest.builder().tableName(name).billingMode(wantMode);
            if (wantMode == BillingMode.PROVISIONED) {
                b.provisionedThroughput(want.provisionedThroughput());
            }
            table = awaitActive.apply(ddb.updateTable(b.build()).tableDescription());
        }

        Map<String, GlobalSecondaryIndexDescription> haveIndexes = new LinkedHashMap<>();
        table.globalSecondaryIndexes().forEach(g -> haveIndexes.put(g.indexName(), g));
        Map<String, GlobalSecondaryIndex> wantIndexes = new LinkedHashMap<>();
        want.globalSecondaryIndexes().forEach(g -> wantIndexes.put(g.indexName(), g));
        for (GlobalSecondaryIndexDescription h : haveIndexes.values()) {
            GlobalSecondaryIndex w = wantIndexes.get(h.indexName());
            if (w == null || !sameIndex(h, w)) {
                table = awaitActive.apply(ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                        u -> u.delete(d -> d.indexName(h.indexName())))).tableDescription());
                if (w != null) {
                    haveIndexes.put(h.indexName(), null);
                }
            }
        }
        for (GlobalSecondaryIndex w : wantIndexes.values()) {
            GlobalSecondaryIndexDescription h = haveIndexes.get(w.indexName());
            if (h == null || !sameIndex(h, w)) {
                table = awaitActive.apply(ddb.updateTable(b -> b.tableName(name)
                        .attributeDefinitions(want.attributeDefinitions())
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(w.indexName()).keySchema(w.keySchema())
                                .projection(w.projection()).provisionedThroughput(w.provisionedThroughput()))))
                        .tableDescription());
            }
        }

        StreamSpecification haveStream = table.streamSpecification();
        StreamSpecification wantStream = want.streamSpecification();
        boolean haveOn = haveStream != null && Boolean.TRUE.equals(haveStream.streamEnabled());
        boolean wantOn = wantStream != null && Boolean.TRUE.equals(wantStream.streamEnabled());
        boolean sameType = haveOn && wantOn && haveStream.streamViewType() == wantStream.streamViewType();
        if (haveOn && !sameType) {
            table = awaitActive.apply(ddb.updateTable(b -> b.tableName(name)
                    .streamSpecification(s -> s.streamEnabled(false))).tableDescription());
        }
        if (wantOn && !sameType) {
            table = awaitActive.apply(ddb.updateTable(b -> b.tableName(name).streamSpecification(wantStream))
                    .tableDescription());
        }
        return awaitActive.apply(ddb.describeTable(b -> b.tableName(name)).table());
    }

    private static boolean sameIndex(GlobalSecondaryIndexDescription h, GlobalSecondaryIndex w) {
        return Objects.equals(h.keySchema(), w.keySchema())
                && Objects.equals(h.projection().projectionType(), w.projection().projectionType())
                && Objects.equals(new java.util.TreeSet<>(h.projection().nonKeyAttributes()),
                new java.util.TreeSet<>(w.projection().nonKeyAttributes()));
    }

    /** Every global secondary index of the table is ACTIVE (or the table has none). */
    static boolean indexesActive(TableDescription table) {
        return table.globalSecondaryIndexes().stream().allMatch(g -> g.indexStatus() == null
                || g.indexStatus() == IndexStatus.ACTIVE);
    }
}
