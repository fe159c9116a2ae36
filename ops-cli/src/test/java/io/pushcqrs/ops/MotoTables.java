package io.pushcqrs.ops;

import io.pushcqrs.model.Notification;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh pair of tables in the JVM's shared moto server, and the CLI flags that name them. */
public final class MotoTables {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final DynamoDbClient ddb;
    public final String endpoint;
    public final String commandTable;
    public final String notificationTable;

    public MotoTables(String prefix) {
        MotoServer moto = MotoServer.shared();
        this.endpoint = moto.endpoint().toString();
        this.ddb = LocalAws.dynamoDb(moto.endpoint());
        int n = SEQ.incrementAndGet();
        this.commandTable = prefix + "-cmd-" + n + "-" + ProcessHandle.current().pid();
        this.notificationTable = prefix + "-view-" + n + "-" + ProcessHandle.current().pid();
        Tables.createCommandTable(ddb, commandTable);
        Tables.createNotificationTable(ddb, notificationTable);
    }

    /** --endpoint, --command-table, --notification-table, then the rest. */
    public String[] args(String subcommand, String... rest) {
        List<String> a = new ArrayList<>(List.of(subcommand, "--endpoint", endpoint, "--command-table", commandTable,
                "--notification-table", notificationTable));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    public void putCommand(Notification n) {
        putCommand(Fixtures.commandItem(n));
    }

    public void putCommand(Map<String, AttributeValue> item) {
        ddb.putItem(PutItemRequest.builder().tableName(commandTable).item(item).build());
    }

    public void putView(Map<String, AttributeValue> item) {
        ddb.putItem(PutItemRequest.builder().tableName(notificationTable).item(item).build());
    }

    public List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        ddb.scanPaginator(ScanRequest.builder().tableName(table).build()).items().forEach(all::add);
        return all;
    }
}
