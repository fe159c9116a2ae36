package io.pushcqrs.ops.rebuild;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.ops.Fixtures;
import io.pushcqrs.ops.rebuild.RebuildPolicy.Action;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static io.pushcqrs.ops.Fixtures.command;
import static io.pushcqrs.ops.Fixtures.rebuildView;
import static io.pushcqrs.ops.Fixtures.streamView;
import static io.pushcqrs.ops.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RebuildPolicyTest {
    private final Notification v3 = command("tx-1", 1000, "u-1", 3L);
    private final Map<String, AttributeValue> desired = rebuildView(v3);

    private static Notification changed(Notification n, Long version) {
        return n.toBuilder().status(Status.DELIVERED).deliveredTs(n.createdAt() + 9).version(version).build();
    }

    @Test
    void writesWhereThereIsNoView() {
        assertThat(RebuildPolicy.decide(desired, 3L, null, false).action()).isEqualTo(Action.CREATE);
        assertThat(RebuildPolicy.decide(desired, null, Map.of(), false).action()).isEqualTo(Action.CREATE);
    }

    @Test
    void anEqualViewIsUnchangedWhateverItsSourceSeq() {
        assertThat(RebuildPolicy.decide(desired, 3L, streamView(v3, 77), false).action()).isEqualTo(Action.UNCHANGED);
        assertThat(RebuildPolicy.decide(desired, 3L, desired, true).action()).isEqualTo(Action.UNCHANGED);
    }

    @Test
    void replacesOlderViews() {
        // a stream view of version 2
        assertThat(RebuildPolicy.decide(desired, 3L, streamView(changed(v3, 2L), 5), false).action())
                .isEqualTo(Action.REPLACE_OLDER);
        // a rebuild view of version 2
        assertThat(RebuildPolicy.decide(desired, 3L, rebuildView(changed(v3, 2L)), false).action())
                .isEqualTo(Action.REPLACE_OLDER);
        // a rebuild or tool view without any version
        RebuildPolicy.Decision d = RebuildPolicy.decide(desired, 3L, rebuildView(changed(v3, null)), false);
        assertThat(d.action()).isEqualTo(Action.REPLACE_OLDER);
        assertThat(d.reason()).contains("fields delivered_ts, source_version, status differ");
    }

    @Test
    void aViewKeyedForTheUnshardedIndexesIsReKeyedWithoutForceAndKeepsItsStreamBookkeeping() {
        Notification failed = v3.toBuilder().status(Status.FAILED).failedTs(1_500L).build();
        Map<String, AttributeValue> current = rebuildView(failed);
        // what the stream processor wrote before the indexes were sharded: FAILED, no marketing_shard
        Map<String, AttributeValue> old = with(with(streamView(failed, 42), Attr.FAILURE_STATUS, AttributeValue.fromS("FAILED")),
                Attr.MARKETING_SHARD, null);

        RebuildPolicy.Decision d = RebuildPolicy.decide(current, 3L, old, false);

        assertThat(d.action()).isEqualTo(Action.REKEY);
        assertThat(d.reason()).contains("fields failure_status, marketing_shard differ").contains("index keys");
        Map<String, AttributeValue> written = RebuildPolicy.item(d.action(), current, old);
        assertThat(written).isEqualTo(streamView(failed, 42));
        assertThat(RebuildPolicy.condition(d.action(), 3L, old).expression()).contains("#seq = :seq");
        // a view whose data differs too is not re-keyed: the usual rules decide
        Map<String, AttributeValue> olderData = with(old, Attr.SOURCE_VERSION, AttributeValue.fromN("2"));
        assertThat(RebuildPolicy.decide(current, 3L, olderData, false).action()).isEqualTo(Action.REPLACE_OLDER);
        assertThat(RebuildPolicy.item(Action.REPLACE_OLDER, current, olderData)).isEqualTo(current);
    }

    @Test
    void keepsNewerViews() {
        RebuildPolicy.Decision d = RebuildPolicy.decide(desired, 3L, streamView(changed(v3, 4L), 9), true);
        assertThat(d.action()).isEqualTo(Action.SKIP_NEWER);
        assertThat(d.reason()).contains("source_version 4, newer than the command's version 3");
    }

    @Test
    void differingViewsThatAreNotProvablyOlderNeedForce() {
        Map<String, AttributeValue> sameVersion = streamView(changed(v3, 3L), 9);
        assertThat(RebuildPolicy.decide(desired, 3L, sameVersion, false).action()).isEqualTo(Action.SKIP_DIFFERS);
        assertThat(RebuildPolicy.decide(desired, 3L, sameVersion, true).action()).isEqualTo(Action.FORCE);

        Map<String, AttributeValue> streamWithoutVersion = streamView(changed(v3, null), 9);
        RebuildPolicy.Decision d = RebuildPolicy.decide(desired, 3L, streamWithoutVersion, false);
        assertThat(d.action()).isEqualTo(Action.SKIP_DIFFERS);
        assertThat(d.reason()).contains("projected from a change without version").contains("--force");

        Notification versionless = command("tx-2", 1000, "u-1", null);
        Map<String, AttributeValue> want = rebuildView(versionless);
        RebuildPolicy.Decision v = RebuildPolicy.decide(want, null, rebuildView(changed(versionless, null)), false);
        assertThat(v.action()).isEqualTo(Action.SKIP_DIFFERS);
        assertThat(v.reason()).contains("the command has no version");
        assertThat(RebuildPolicy.decide(want, null, streamView(changed(versionless, 7L), 1), true).action())
                .isEqualTo(Action.FORCE);
    }

    @Test
    void theVersionedRuleInJava() {
        assertThat(RebuildPolicy.admitsVersioned(3, null)).isTrue();
        assertThat(RebuildPolicy.admitsVersioned(3, Map.of())).isTrue();
        assertThat(RebuildPolicy.admitsVersioned(3, rebuildView(changed(v3, null)))).isTrue();
        assertThat(RebuildPolicy.admitsVersioned(3, rebuildView(changed(v3, 2L)))).isTrue();
        assertThat(RebuildPolicy.admitsVersioned(3, rebuildView(changed(v3, 3L)))).isFalse();
        assertThat(RebuildPolicy.admitsVersioned(3, streamView(changed(v3, 2L), 1))).isTrue();
        assertThat(RebuildPolicy.admitsVersioned(3, streamView(changed(v3, 3L), 1))).isFalse();
        assertThat(RebuildPolicy.admitsVersioned(3, streamView(changed(v3, null), 1))).isFalse();
        assertThat(RebuildPolicy.admitsVersioned(3, with(desired, Attr.SOURCE_VERSION, AttributeValue.fromS("1"))))
                .isFalse();
    }

    @Test
    void conditionsAreCompareAndSetOnTheStateRead() {
        // nothing was read: there must still be nothing, for a versioned and a versionless command alike
        assertThat(RebuildPolicy.condition(Action.CREATE, 3L, null).expression()).isEqualTo("attribute_not_exists(#user)");
        assertThat(RebuildPolicy.condition(Action.CREATE, null, Map.of()).expression())
                .isEqualTo("attribute_not_exists(#user)");
        // an item was read: it must still carry the same bookkeeping, whatever the action
        Map<String, AttributeValue> existing = streamView(changed(v3, 2L), 12);
        for (Action a : new Action[] {Action.REPLACE_OLDER, Action.FORCE}) {
            RebuildPolicy.Condition c = RebuildPolicy.condition(a, 3L, existing);
            assertThat(c.expression()).isEqualTo("attribute_exists(#user) AND #seq = :seq AND #sv = :sv");
            assertThat(c.values()).containsEntry(":seq", existing.get(Attr.SOURCE_SEQ))
                    .containsEntry(":sv", AttributeValue.fromN("2"));
        }
        Map<String, AttributeValue> tombstone = tombstone(1_000_000L);
        assertThat(RebuildPolicy.condition(Action.REPLACE_TOMBSTONE, 3L, tombstone).expression())
                .isEqualTo("attribute_exists(#user) AND #seq = :seq AND attribute_not_exists(#sv)");
        assertThat(RebuildPolicy.unchangedSince(rebuildView(Fixtures.command("tx", 1, "u", null))).expression())
                .isEqualTo("attribute_exists(#user) AND attribute_not_exists(#seq) AND attribute_not_exists(#sv)");
        assertThatThrownBy(() -> RebuildPolicy.condition(Action.UNCHANGED, 3L, existing))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RebuildPolicy.condition(Action.SKIP_NEWER, 3L, existing))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final long DAY = 24 * 3600 * 1000L;

    /** The tombstone the stream processor leaves at v3's key for a delete at {@code deletedAt}. */
    private Map<String, AttributeValue> tombstone(long deletedAt) {
        return Tombstones.item("u-1", v3.createdAt(), v3.transactionId(), ViewKeys.padSequence("4400"), deletedAt);
    }

    @Test
    void aRecentTombstoneIsKeptEvenWithForce() {
        long deletedAt = 5 * DAY;
        for (boolean force : new boolean[] {false, true}) {
            for (Long version : new Long[] {1L, 3L, null}) {
                RebuildPolicy.Decision d = RebuildPolicy.decide(desired, version, tombstone(deletedAt), force,
                        deletedAt + DAY - 60_000);
                assertThat(d.action()).isEqualTo(Action.SKIP_NEWER);
                assertThat(d.reason()).contains("deleted or moved 23 h ago").contains("24 h");
            }
        }
    }

    @Test
    void aTombstoneOlderThanTheStreamsRetentionIsReplaced() {
        long deletedAt = 5 * DAY;
        for (Long version : new Long[] {1L, 3L, null}) {
            RebuildPolicy.Decision d = RebuildPolicy.decide(desired, version, tombstone(deletedAt), false,
                    deletedAt + DAY + 3 * 3600 * 1000L);
            assertThat(d.action()).isEqualTo(Action.REPLACE_TOMBSTONE);
            assertThat(d.reason()).contains("27 h ago");
        }
        assertThat(Action.REPLACE_TOMBSTONE.writes()).isTrue();
    }
}
