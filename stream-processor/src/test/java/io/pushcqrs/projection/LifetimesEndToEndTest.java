package io.pushcqrs.projection;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
@Tag(Tiers.MOTO)
class LifetimesEndToEndTest {
    @RegisterExtension
    static final MotoTables moto = new MotoTables("lifetimes-test");


    static Map<String, AttributeValue> view() {
        Map<String, AttributeValue> item = moto.ddb.getItem(GetItemRequest.builder().tableName(moto.views)
                .key(NotificationMapper.viewKey("u7", CREATED, "tx-life")).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Test
    void deleteThenCreateAgainThenPatchIsProjectedAndSurvivesAReplay() {
        // first lifetime: created, failed, deleted
        moto.put(Changes.command("tx-life", "u7").version(1L));
        moto.put(Changes.command("tx-life", "u7").status(Status.FAILED).failedTs(CREATED + 1).version(2L));
        moto.ddb.deleteItem(DeleteItemRequest.builder().tableName(moto.commands)
                .key(NotificationMapper.commandKey("tx-life", CREATED)).build());
        // second lifetime at the same key: versions restart at 1
        moto.put(Changes.command("tx-life", "u7").marketingId("camp-2").version(1L));
        moto.put(Changes.command("tx-life", "u7").marketingId("camp-2").status(Status.DELIVERED).deliveredTs(CREATED + 9)
                .version(2L));

        List<ChangeRecord> records = moto.readStream();
        assertThat(records).extracting(ChangeRecord::eventName)
                .containsExactly("INSERT", "MODIFY", "REMOVE", "INSERT", "MODIFY");
        ProjectionService service = new ProjectionService(new DynamoDbViewStore(moto.ddb, moto.views));

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
