package io.pushcqrs.ops.insert;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.validation.NotificationValidator;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.MotoTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class InsertDirectMotoTest {
    @TempDir
    Path root;

    @Test
    void putsValidVersionlessItemsStraightIntoCommandRecords() throws Exception {
        MotoTables t = new MotoTables("insert-direct");
        Path ids = root.resolve("ids.txt");
        Cli.Result r = Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()), t.args("insert", "--mode", "direct",
                "--count", "25", "--seed", "5", "--fail-ratio", "0.4", "--users", "3", "--ids-out", ids.toString()));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("target     PutItem " + t.commandTable).contains("created    25     (201)");
        List<Map<String, AttributeValue>> items = t.scan(t.commandTable);
        assertThat(items).hasSize(25);
        for (Map<String, AttributeValue> item : items) {
            assertThat(item).doesNotContainKey(Attr.VERSION);
            Notification n = NotificationMapper.fromCommandItem(item);
            assertThatCode(() -> NotificationValidator.validateNew(n)).doesNotThrowAnyException();
        }
        assertThat(Files.readAllLines(ids)).hasSize(25)
                .containsExactlyInAnyOrderElementsOf(items.stream().map(i -> i.get(Attr.TRANSACTION_ID).s()).toList());
        // and the read side can be rebuilt from them
        assertThat(Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()), t.args("rebuild")).out()).contains("new 25");
    }

    @Test
    void invalidCommandsFromAFileAreRejectedAndNotWritten() throws Exception {
        MotoTables t = new MotoTables("insert-direct-file");
        Path file = root.resolve("c.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"user_id\":\"u-1\",\"platform\":\"IOS\",\"device_token\":\"d\",\"status\":\"SENT\"}",
                "{\"user_id\":\"u-2\",\"platform\":\"PAGER\",\"device_token\":\"d\",\"status\":\"SENT\"}",
                "{\"user_id\":\"u-3\",\"device_token\":\"d\",\"status\":\"SENT\",\"version\":3,\"platform\":\"IOS\"}"));
        Cli.Result r = Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()),
                t.args("insert", "--mode", "direct", "--file", file.toString()));
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("created    1      (201)").contains("rejected   2      (other 4xx)").contains("platform: must be one of IOS")
                .contains("version: is set by the service");
        assertThat(t.scan(t.commandTable)).hasSize(1);
        assertThat(t.scan(t.commandTable).get(0).get(Attr.TRANSACTION_ID).s()).startsWith("tx-");
    }

    @Test
    void aMissingTableIsAUsageError() {
        MotoTables t = new MotoTables("insert-direct-none");
        Cli.Result r = Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()), "insert", "--mode", "direct",
                "--endpoint", t.endpoint, "--command-table", "nope");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("table not found");
    }
}
