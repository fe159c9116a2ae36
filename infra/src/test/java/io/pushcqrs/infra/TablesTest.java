package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.pushcqrs.infra.Synth.json;
import static org.assertj.core.api.Assertions.assertThat;

class TablesTest {
    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void exactlyTheTwoTables() {
        dev.template().resourceCountIs("AWS::DynamoDB::Table", 2);
    }

    @Test
    void commandRecordsIsTheStreamedWriteModel() {
        JsonNode p = dev.properties(dev.tableId("command-records"));
        assertThat(p.get("TableName").asText()).isEqualTo("dev-command-records");
        assertThat(p.get("KeySchema")).isEqualTo(json("""
                [{"AttributeName":"transaction_id","KeyType":"HASH"},
                 {"AttributeName":"created_at","KeyType":"RANGE"}]"""));
        assertThat(attributeTypes(p)).isEqualTo(Map.of("transaction_id", "S", "created_at", "N"));
        assertThat(p.get("StreamSpecification")).isEqualTo(json("{\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}"));
        assertThat(p.get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(p.has("ProvisionedThroughput")).isFalse();
        assertThat(p.get("PointInTimeRecoverySpecification"))
                .isEqualTo(json("{\"PointInTimeRecoveryEnabled\":true}"));
        assertThat(p.has("GlobalSecondaryIndexes")).isFalse();
        assertThat(p.has("LocalSecondaryIndexes")).isFalse();
        assertThat(p.has("TimeToLiveSpecification")).as("commands never expire").isFalse();
    }

    @Test
    void notificationRecordsIsTheReadModelWithItsFourIndexes() {
        JsonNode p = dev.properties(dev.tableId("notification-records"));
        assertThat(p.get("TableName").asText()).isEqualTo("dev-notification-records");
        assertThat(p.get("KeySchema")).isEqualTo(json("""
                [{"AttributeName":"user_id","KeyType":"HASH"},
                 {"AttributeName":"view_sk","KeyType":"RANGE"}]"""));
        assertThat(attributeTypes(p)).isEqualTo(Map.of(
                "user_id", "S", "view_sk", "S", "marketing_shard", "S", "transaction_id", "S",
                "created_at", "N", "sns_id", "S", "failure_status", "S", "failure_sk", "S"));
        assertThat(p.get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(p.get("PointInTimeRecoverySpecification"))
                .isEqualTo(json("{\"PointInTimeRecoveryEnabled\":true}"));
        assertThat(p.has("StreamSpecification")).as("the read model needs no stream").isFalse();
        // tombstones of deleted views expire: expires_at is epoch seconds, 48 h after the delete
        assertThat(p.get("TimeToLiveSpecification"))
                .isEqualTo(json("{\"AttributeName\":\"expires_at\",\"Enabled\":true}"));
        assertThat(p.has("LocalSecondaryIndexes")).isFalse();

        Map<String, JsonNode> indexes = new HashMap<>();
        p.get("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.get("IndexName").asText(), i));
        assertThat(indexes).containsOnlyKeys("marketing-index", "transaction-index", "sns-index", "failures-index");
        // write-sharded: marketing_shard = marketing_id#k (failures-index shards the value of failure_status)
        assertIndex(indexes.get("marketing-index"), "marketing_shard", "view_sk");
        assertIndex(indexes.get("transaction-index"), "transaction_id", "created_at");
        assertIndex(indexes.get("sns-index"), "sns_id", "created_at");
        assertIndex(indexes.get("failures-index"), "failure_status", "failure_sk");
    }

    @Test
    void theFirstDeployOfTheMigrationHasNoMarketingIndex() {
        // CloudFormation cannot change a GSI's key schema: the migration removes the index, then adds it again
        JsonNode p = Synth.of(Map.of(DataTables.CTX_WITHOUT_MARKETING_INDEX, "true"))
                .properties(dev.tableId("notification-records"));
        List<String> names = new java.util.ArrayList<>();
        p.get("GlobalSecondaryIndexes").forEach(i -> names.add(i.get("IndexName").asText()));
        assertThat(names).containsExactly("transaction-index", "sns-index", "failures-index");
        assertThat(attributeTypes(p)).doesNotContainKey("marketing_shard");
    }

    @Test
    void indexNamesAreTheOnesTheFunctionsRead() {
        assertThat(List.of(NotificationStack.MARKETING_INDEX, NotificationStack.TRANSACTION_INDEX,
                NotificationStack.SNS_INDEX, NotificationStack.FAILURES_INDEX))
                .containsExactly("marketing-index", "transaction-index", "sns-index", "failures-index");
    }

    @Test
    void tablesAreRetainedUnlessTheStageIsEphemeral() {
        for (String table : List.of("command-records", "notification-records")) {
            JsonNode r = dev.resource(dev.tableId(table));
            assertThat(r.get("DeletionPolicy").asText()).isEqualTo("Retain");
            assertThat(r.get("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        }
    }

    private static void assertIndex(JsonNode index, String pk, String sk) {
        assertThat(index.get("KeySchema")).isEqualTo(json("[{\"AttributeName\":\"" + pk + "\",\"KeyType\":\"HASH\"},"
                + "{\"AttributeName\":\"" + sk + "\",\"KeyType\":\"RANGE\"}]"));
        assertThat(index.get("Projection")).isEqualTo(json("{\"ProjectionType\":\"ALL\"}"));
        assertThat(index.has("ProvisionedThroughput")).isFalse();
    }

    private static Map<String, String> attributeTypes(JsonNode tableProperties) {
        Map<String, String> types = new HashMap<>();
        for (JsonNode a : tableProperties.get("AttributeDefinitions")) {
            assertThat(types.put(a.get("AttributeName").asText(), a.get("AttributeType").asText()))
                    .as("attribute defined twice").isNull();
        }
        return types;
    }
}
