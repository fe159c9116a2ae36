package io.pushcqrs.ops.rebuild;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.ops.MotoTables;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.pushcqrs.ops.Fixtures.command;
import static io.pushcqrs.ops.Fixtures.rebuildView;
import static io.pushcqrs.ops.Fixtures.streamView;
import static org.assertj.core.api.Assertions.assertThat;

/** The condition expressions DynamoDB evaluates agree with the rule in Java, for every kind of existing view. */
class RebuildPolicyMotoTest {
    private final MotoTables t = new MotoTables("policy");

    private static List<Map<String, AttributeValue>> existingStates(Notification base) {
        Notification other = base.toBuilder().status(Status.FAILED).failedTs(base.createdAt() + 3).build();
        List<Map<String, AttributeValue>> states = new ArrayList<>();
        states.add(null);
        for (Long v : new Long[] {null, 2L, 3L, 4L}) {
            states.add(rebuildView(other.toBuilder().version(v).build()));
            states.add(streamView(other.toBuilder().version(v).build(), 50));
        }
        states.add(Tombstones.item("u-p", base.createdAt(), base.transactionId(), ViewKeys.padSequence("60"),
                1_700_000_000_000L));
        // (a source_version of another type is covered by RebuildPolicyTest only: moto 5.2.1 answers 500 when a
        // condition compares a string with a number, where DynamoDB evaluates it to false)
        return states;
    }

    @Test
    void everyWriteConditionAdmitsExactlyTheStateThatWasRead() {
        Notification cmd = command("tx-p", 1000, "u-p", 3L);
        for (Map<String, AttributeValue> existing : existingStates(cmd)) {
            for (RebuildPolicy.Action action : new RebuildPolicy.Action[] {RebuildPolicy.Action.CREATE,
                    RebuildPolicy.Action.REPLACE_OLDER, RebuildPolicy.Action.FORCE, RebuildPolicy.Action.REPLACE_TOMBSTONE}) {
                RebuildPolicy.Condition c = RebuildPolicy.condition(action, 3L, existing);
                reset(existing);
                assertThat(put(rebuildView(cmd), c)).as("%s over the state read %s", action, existing).isTrue();
                // the stream wrote after the read: a newer projection, or the tombstone of a delete
                for (Map<String, AttributeValue> streamWrite : List.of(streamView(cmd, 900),
                        Tombstones.item("u-p", 1000, "tx-p", ViewKeys.padSequence("901"), 1_700_000_000_000L))) {
                    reset(existing);
                    t.putView(streamWrite);
                    assertThat(put(rebuildView(cmd), c)).as("%s after the stream wrote %s", action, streamWrite).isFalse();
                    assertThat(t.scan(t.notificationTable)).containsExactly(streamWrite);
                }
            }
        }
    }

    @Test
    void forceAndOrphanDeletesApplyOnlyToTheViewAsRead() {
        Notification cmd = command("tx-p", 1000, "u-p", 3L);
        for (Map<String, AttributeValue> existing : existingStates(cmd)) {
            if (existing == null) {
                continue;
            }
            reset(existing);
            assertThat(put(rebuildView(cmd), RebuildPolicy.condition(RebuildPolicy.Action.FORCE, 3L, existing)))
                    .as("unchanged %s", existing).isTrue();
            // now the view is another one than was read: a second forced write with the old reading is refused,
            // unless the new one happens to carry the same bookkeeping
            boolean sameBookkeeping = !existing.containsKey(Attr.SOURCE_SEQ)
                    && AttributeValue.fromN("3").equals(existing.get(Attr.SOURCE_VERSION));
            assertThat(put(rebuildView(cmd), RebuildPolicy.condition(RebuildPolicy.Action.FORCE, 3L, existing)))
                    .as("changed %s", existing).isEqualTo(sameBookkeeping);
            reset(existing);
            assertThat(delete(existing, RebuildPolicy.unchangedSince(existing))).isTrue();
            assertThat(delete(existing, RebuildPolicy.unchangedSince(existing))).as("gone").isFalse();
        }
    }

    private void reset(Map<String, AttributeValue> existing) {
        Map<String, AttributeValue> key = Map.of(Attr.USER_ID, AttributeValue.fromS("u-p"),
                Attr.VIEW_SK, AttributeValue.fromS("000000000001000#tx-p"));
        t.ddb.deleteItem(DeleteItemRequest.builder().tableName(t.notificationTable).key(key).build());
        if (existing != null) {
            t.putView(existing);
        }
    }

    private boolean put(Map<String, AttributeValue> item, RebuildPolicy.Condition c) {
        try {
            PutItemRequest.Builder b = PutItemRequest.builder().tableName(t.notificationTable).item(item)
                    .conditionExpression(c.expression()).expressionAttributeNames(c.names());
            if (!c.values().isEmpty()) {
                b.expressionAttributeValues(c.values());
            }
            t.ddb.putItem(b.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private boolean delete(Map<String, AttributeValue> view, RebuildPolicy.Condition c) {
        try {
            DeleteItemRequest.Builder b = DeleteItemRequest.builder().tableName(t.notificationTable)
                    .key(Map.of(Attr.USER_ID, view.get(Attr.USER_ID), Attr.VIEW_SK, view.get(Attr.VIEW_SK)))
                    .conditionExpression(c.expression()).expressionAttributeNames(c.names());
            if (!c.values().isEmpty()) {
                b.expressionAttributeValues(c.values());
            }
            t.ddb.deleteItem(b.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
