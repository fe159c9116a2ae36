package io.pushcqrs.moto;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("moto") // the test tier (CONTRIBUTING.md): needs python3 with moto[server]
class MotoServerTest {

    @Test
    void startsAnswersCreatesTablesAndStops() {
        MotoServer moto = MotoServer.start();
        try (DynamoDbClient ddb = LocalAws.dynamoDb(moto.endpoint())) {
            assertThat(moto.answers()).isTrue();
            String streamArn = Tables.createCommandTable(ddb, "cmd");
            Tables.createNotificationTable(ddb, "view");
            assertThat(streamArn).contains("table/cmd/stream/");
            assertThat(ddb.describeTable(b -> b.tableName("view")).table().globalSecondaryIndexes())
                    .extracting(g -> g.indexName())
                    .containsExactlyInAnyOrder("marketing-index", "transaction-index", "sns-index", "failures-index");
            moto.reset();
            assertThat(ddb.listTables().tableNames()).isEmpty();
        } finally {
            moto.close();
        }
        assertThat(moto.isAlive()).isFalse();
        assertThat(moto.answers()).isFalse();
    }

    @Test
    void theSharedServerAppliesEachDynamoDbRequestAtomically() throws Exception {
        try (DynamoDbClient ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint())) {
            Tables.createCommandTable(ddb, "atomic-command-records");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 20; round++) {
                    String tx = "tx-" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> writers = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        String user = "u" + i;
                        writers.add(pool.submit(() -> {
                            go.await();
                            try {
                                ddb.putItem(b -> b.tableName("atomic-command-records")
                                        .item(Map.of("transaction_id", AttributeValue.fromS(tx),
                                                "created_at", AttributeValue.fromN("1"), "user_id", AttributeValue.fromS(user)))
                                        .conditionExpression("attribute_not_exists(transaction_id)"));
                                return true;
                            } catch (ConditionalCheckFailedException e) {
                                return false;
                            }
                        }));
                    }
                    go.countDown();
                    int winners = 0;
                    for (Future<Boolean> w : writers) {
                        winners += w.get(30, TimeUnit.SECONDS) ? 1 : 0;
                    }
                    assertThat(winners).as("round %d", round).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
                ddb.deleteTable(b -> b.tableName("atomic-command-records"));
            }
        }
    }

    @Test
    void missingPythonSaysHowToInstall() {
        assertThatThrownBy(() -> MotoServer.checkInstalled("/nonexistent/python3"))
                .isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("pip install \"moto[server]\"");
    }

    @Test
    void pythonWithoutMotoSaysHowToInstall() {
        // /bin/false stands for a python whose "import moto.server" fails.
        assertThatThrownBy(() -> MotoServer.checkInstalled("/bin/false"))
                .isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("not installed")
                .hasMessageContaining("pip install");
    }
}
