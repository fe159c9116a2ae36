package io.pushcqrs.projection;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
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
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.pushcqrs.projection.app.Changes.CREATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * command-records in moto -> its stream read with the DynamoDB Streams API -> the projection -> notification-records
 * in moto.
 */
@Tag(Tiers.MOTO)
class StreamEndToEndTest {
    @RegisterExtension
    static final MotoTables moto = new MotoTables("e2e-test");



    /** The live views by transaction_id (tombstones left out). */
    static Map<String, Map<String, AttributeValue>> views() {
        return all().stream().filter(i -> !Tombstones.isTombstone(i))
                .collect(Collectors.toMap(i -> i.get(Attr.TRANSACTION_ID).s(), Function.identity()));
    }

    static List<Map<String, AttributeValue>> all() {
        return moto.ddb.scan(ScanRequest.builder().tableName(moto.views).consistentRead(true).build()).items();
    }


    @Test
    void projectsTheRealStreamOfCommandRecords() {
        // command-lambda style writes (versioned)
        moto.put(Changes.command("tx-1", "u1").version(1L));
        moto.put(Changes.command("tx-1", "u1").status(Status.FAILED).errorMsg("Unregistered").failedTs(CREATED + 50).version(2L));
        moto.put(Changes.command("tx-2", "u1").version(1L));
        moto.put(Changes.command("tx-2", "u2").version(2L)); // moved to another user
        moto.put(Changes.command("tx-3", "u3").version(1L));
        moto.ddb.deleteItem(DeleteItemRequest.builder().tableName(moto.commands)
                .key(NotificationMapper.commandKey("tx-3", CREATED)).build());
        // an operator's put with the AWS CLI: no version, an empty string and a payload with exact numbers
        moto.ddb.putItem(PutItemRequest.builder().tableName(moto.commands).item(Map.of(
                Attr.TRANSACTION_ID, AttributeValue.fromS("tx-cli"),
                Attr.CREATED_AT, AttributeValue.fromN(Long.toString(CREATED)),
                Attr.USER_ID, AttributeValue.fromS("u9"),
                Attr.STATUS, AttributeValue.fromS("DELIVERED"),
                Attr.NOTIFICATION_TITLE, AttributeValue.fromS(""),
                Attr.PAYLOAD, AttributeValue.fromM(Map.of("amount", AttributeValue.fromN("0.10000000000000000001"))))).build());

        List<ChangeRecord> records = moto.readStream();
        assertThat(records).extracting(ChangeRecord::eventName)
                .containsExactly("INSERT", "MODIFY", "INSERT", "MODIFY", "INSERT", "REMOVE", "INSERT");
        assertThat(records).allSatisfy(r -> assertThat(ViewKeys.padSequence(r.sequenceNumber())).hasSize(40));

        ProjectionService service = new ProjectionService(new DynamoDbViewStore(moto.ddb, moto.views));
        BatchResult result = service.project(records);

        assertThat(result.failed()).isZero();
        assertThat(result.upserted()).isEqualTo(6);
        assertThat(result.deleted()).isEqualTo(2);
        Map<String, Map<String, AttributeValue>> views = views();
        assertThat(views).containsOnlyKeys("tx-1", "tx-2", "tx-cli");
        Map<String, AttributeValue> tx1 = views.get("tx-1");
        assertThat(tx1.get(Attr.STATUS).s()).isEqualTo("FAILED");
        assertThat(tx1.get(Attr.SOURCE_VERSION).n()).isEqualTo("2");
        assertThat(tx1.get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence(records.get(1).sequenceNumber()));
        assertThat(tx1.get(Attr.FAILURE_SK).s()).isEqualTo(ViewKeys.padTime(CREATED + 50) + "#tx-1");
        assertThat(views.get("tx-2").get(Attr.USER_ID).s()).isEqualTo("u2");
        Map<String, AttributeValue> cli = views.get("tx-cli");
        assertThat(cli).doesNotContainKeys(Attr.SOURCE_VERSION, Attr.NOTIFICATION_TITLE);
        assertThat(cli.get(Attr.PAYLOAD).m().get("amount").n()).isEqualTo("0.10000000000000000001");
        // what the view holds is exactly the projection of the command item
        Map<String, AttributeValue> expected = NotificationMapper.toViewItem(NotificationView.of(NotificationMapper
                .fromCommandItem(records.get(1).newImage())), ViewKeys.padSequence(records.get(1).sequenceNumber()));
        assertThat(tx1).isEqualTo(expected);

        // the deleted tx-3 and tx-2's old key (u1) hold tombstones with the sequence number of their change
        List<Map<String, AttributeValue>> tombstones = all().stream().filter(Tombstones::isTombstone).toList();
        assertThat(tombstones).extracting(i -> i.get(Attr.USER_ID).s()).containsExactlyInAnyOrder("u1", "u3");
        Map<String, AttributeValue> tx3 = tombstones.stream().filter(i -> i.get(Attr.USER_ID).s().equals("u3"))
                .findFirst().orElseThrow();
        assertThat(tx3.get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence(records.get(5).sequenceNumber()));
        assertThat(tx3.get(Attr.DELETED_AT).n()).isEqualTo(Long.toString(records.get(5).changedAt()));

        // the event source mapping redelivers the same records in order: every key holds its last change already
        // (the deleted ones as tombstones), so every record is refused and the table ends exactly as before
        List<Map<String, AttributeValue>> before = all();
        BatchResult again = service.project(records);
        assertThat(again.failed()).isZero();
        assertThat(again.skippedStale()).isEqualTo(8);
        assertThat(again.upserted()).isZero();
        assertThat(again.deleted()).isZero();
        assertThat(views()).isEqualTo(views);
        assertThat(all()).containsExactlyInAnyOrderElementsOf(before);
    }
}
