package io.pushcqrs.projection;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import io.pushcqrs.projection.adapter.DynamoDbViewStore;
import io.pushcqrs.projection.app.BatchResult;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.Changes;
import io.pushcqrs.projection.app.ProjectionService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.pushcqrs.projection.app.Changes.CREATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's lifetimes through the real stream of moto and the real adapter: a command deleted and created again at
 * the same key (versions restart at 1), then patched, is projected, and a replay of both lifetimes in any order
 * leaves it so.
 */
class LifetimesEndToEndTest {
    static final String COMMANDS = "lifetimes-test-command-records";
    static final String VIEWS = "lifetimes-test-notification-records";

    static DynamoDbClient ddb;
    static DynamoDbStreamsClient streams;
    static String streamArn;

    @BeforeAll
    static void tables() {
        MotoServer moto = MotoServer.shared();
        ddb = LocalAws.dynamoDb(moto.endpoint());
        streams = DynamoDbStreamsClient.builder().endpointOverride(moto.endpoint()).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        streamArn = Tables.createCommandTable(ddb, COMMANDS);
        Tables.createNotificationTable(ddb, VIEWS);
    }

    @AfterAll
    static void close() {
        streams.close();
        ddb.close();
    }

    static void put(io.pushcqrs.model.Notification.Builder n) {
        ddb.putItem(PutItemRequest.builder().tableName(COMMANDS).item(NotificationMapper.toCommandItem(n.build())).build());
    }

    static Map<String, AttributeValue> view() {
        Map<String, AttributeValue> item = ddb.getItem(GetItemRequest.builder().tableName(VIEWS)
                .key(NotificationMapper.viewKey("u7", CREATED, "tx-life")).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Test
    void deleteThenCreateAgainThenPatchIsProjectedAndSurvivesAReplay() {
        // first lifetime: created, failed, deleted
        put(Changes.command("tx-life", "u7").version(1L));
        put(Changes.command("tx-life", "u7").status(Status.FAILED).failedTs(CREATED + 1).version(2L));
        ddb.deleteItem(DeleteItemRequest.builder().tableName(COMMANDS)
                .key(NotificationMapper.commandKey("tx-life", CREATED)).build());
        // second lifetime at the same key: versions restart at 1
        put(Changes.command("tx-life", "u7").marketingId("camp-2").version(1L));
        put(Changes.command("tx-life", "u7").marketingId("camp-2").status(Status.DELIVERED).deliveredTs(CREATED + 9)
                .version(2L));

        List<ChangeRecord> records = StreamEndToEndTest.readStream(streams, streamArn);
        assertThat(records).extracting(ChangeRecord::eventName)
                .containsExactly("INSERT", "MODIFY", "REMOVE", "INSERT", "MODIFY");
        ProjectionService service = new ProjectionService(new DynamoDbViewStore(ddb, VIEWS));

        // the first lifetime is projected, then the second (as two batches)
        assertThat(service.project(records.subList(0, 3)).failed()).isZero();
        assertThat(view()).containsKey(Attr.DELETED);
        BatchResult second = service.project(records.subList(3, 5));
        assertThat(second.upserted()).isEqualTo(2);
        Map<String, AttributeValue> view = view();
        assertThat(view.get(Attr.STATUS).s()).isEqualTo("DELIVERED");
        assertThat(view.get(Attr.MARKETING_ID).s()).isEqualTo("camp-2");
        assertThat(view.get(Attr.SOURCE_VERSION).n()).isEqualTo("2");
        assertThat(view).doesNotContainKeys(Attr.FAILURE_STATUS, Attr.DELETED);

        // the whole stream again, newest first: nothing of the first lifetime comes back
        List<ChangeRecord> reversed = new ArrayList<>(records);
        Collections.reverse(reversed);
        BatchResult replay = service.project(reversed);
        assertThat(replay.upserted()).isZero();
        assertThat(replay.skippedStale()).isEqualTo(5);
        assertThat(view()).isEqualTo(view);
    }
}
