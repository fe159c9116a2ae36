package io.pushcqrs.moto;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
