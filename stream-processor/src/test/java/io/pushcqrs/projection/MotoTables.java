package io.pushcqrs.projection;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import io.pushcqrs.projection.app.ChangeRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.List;

/**
 * command-records (streamed) and notification-records in moto's shared server, for the end-to-end tests: a JUnit
 * extension ({@code @RegisterExtension static final MotoTables moto = new MotoTables("prefix")}) that creates
 * {@code <prefix>-command-records} and {@code <prefix>-notification-records} before the class's tests and closes its
 * clients after them.
 */
final class MotoTables implements BeforeAllCallback, AfterAllCallback {
    final String commands;
    final String views;
    DynamoDbClient ddb;
    DynamoDbStreamsClient streams;
    String streamArn;

    MotoTables(String prefix) {
        commands = prefix + "-command-records";
        views = prefix + "-notification-records";
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        MotoServer moto = MotoServer.shared();
        ddb = LocalAws.dynamoDb(moto.endpoint());
        streams = LocalAws.dynamoDbStreams(moto.endpoint());
        streamArn = Tables.createCommandTable(ddb, commands);
        Tables.createNotificationTable(ddb, views);
    }

    /** Writes a command item straight into command-records. */
    void put(Notification.Builder n) {
        ddb.putItem(PutItemRequest.builder().tableName(commands).item(NotificationMapper.toCommandItem(n.build())).build());
    }

    /** Every record of the stream from its start, in shard order. */
    List<ChangeRecord> readStream() {
        List<ChangeRecord> out = new ArrayList<>();
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int page = 0; iterator != null && page < 100; page++) {
                String current = iterator;
                GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(current));
                response.records().forEach(r -> out.add(change(r)));
                if (response.records().isEmpty()) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return out;
    }

    static ChangeRecord change(Record r) {
        return new ChangeRecord(r.eventID(), r.eventNameAsString(), r.dynamodb().sequenceNumber(), r.dynamodb().keys(),
                r.dynamodb().oldImage(), r.dynamodb().newImage(), r.dynamodb().approximateCreationDateTime() == null
                ? null : r.dynamodb().approximateCreationDateTime().toEpochMilli());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        streams.close();
        ddb.close();
    }
}
