package io.pushcqrs.model.sync;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Status;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.pushcqrs.model.sync.SyncFixtures.command;
import static io.pushcqrs.model.sync.SyncFixtures.commandItem;
import static io.pushcqrs.model.sync.SyncFixtures.streamView;
import static io.pushcqrs.model.sync.SyncFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncComparisonTest {
    private final Map<String, Map<String, AttributeValue>> commandTable = new HashMap<>();

    private SyncComparison comparison(int examples) {
        return new SyncComparison("cmd", "view", examples,
                (tx, created) -> commandTable.get(tx + "/" + created));
    }

    private Map<String, AttributeValue> stored(Notification n) {
        Map<String, AttributeValue> item = commandItem(n);
        commandTable.put(n.transactionId() + "/" + n.createdAt(), item);
        return item;
    }

    @Test
    void equalViewsAreInSyncWhateverTheirSourceSeq() {
        Notification a = command("tx-a", 1000, "u-1", 3L);
        Notification b = command("tx-b", 1001, "u-2", null);
        SyncComparison c = comparison(5);
        c.addCommand(stored(a));
        c.addCommand(stored(b));
        c.addView(streamView(a, 12));
        c.addView(SyncFixtures.rebuildView(b));
        SyncReport r = c.finish(Duration.ofMillis(5));
        assertThat(r.inSync()).isTrue();
        assertThat(r.commands()).isEqualTo(2);
        assertThat(r.views()).isEqualTo(2);
        assertThat(r.matched()).isEqualTo(2);
        assertThat(r.problems()).isZero();
        assertThat(r.render()).contains("IN SYNC").contains("in sync     2");
        assertThat(r.toJson().get("in_sync").asBoolean()).isTrue();
    }

    @Test
    void numbersCompareByValue() {
        Notification a = command("tx-a", 1000, "u-1", 3L);
        SyncComparison c = comparison(5);
        c.addCommand(stored(a));
        c.addView(with(streamView(a, 1), Attr.RETRY_CNT, AttributeValue.fromN("0.0")));
        assertThat(c.finish(Duration.ZERO).inSync()).isTrue();
    }

    @Test
    void aCommandWithoutViewIsMissing() {
        Notification a = command("tx-a", 1000, "u-1", 2L);
        SyncComparison c = comparison(5);
        c.addCommand(stored(a));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.inSync()).isFalse();
        assertThat(r.missing().count()).isEqualTo(1);
        Finding f = r.missing().examples().get(0);
        assertThat(f.transactionId()).isEqualTo("tx-a");
        assertThat(f.createdAt()).isEqualTo(1000L);
        assertThat(f.userId()).isEqualTo("u-1");
        assertThat(f.viewSk()).isEqualTo("000000000001000#tx-a");
        assertThat(f.commandVersion()).isEqualTo(2L);
        assertThat(f.detail()).contains("no view at user_id u-1").contains("version 2");
        assertThat(r.render()).contains("missing     1").contains("tx-a, created_at 1000, user u-1: no view")
                .contains("OUT OF SYNC (1 problem)");
    }

    @Test
    void aDifferingViewIsStaleWithItsFieldsAndVersions() {
        Notification now = command("tx-a", 1000, "u-1", 3L).toBuilder().status(Status.DELIVERED).deliveredTs(1500L)
                .build();
        Notification before = command("tx-a", 1000, "u-1", 2L);
        SyncComparison c = comparison(5);
        c.addCommand(stored(now));
        c.addView(streamView(before, 7));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.stale().count()).isEqualTo(1);
        Finding f = r.stale().examples().get(0);
        assertThat(f.fields()).containsExactly(Attr.DELIVERED_TS, Attr.SOURCE_VERSION, Attr.STATUS);
        assertThat(f.viewSourceVersion()).isEqualTo(2L);
        assertThat(f.commandVersion()).isEqualTo(3L);
        assertThat(f.detail()).contains("fields delivered_ts, source_version, status differ")
                .contains("source_version 2 vs version 3");
        assertThat(r.toJson().at("/stale/examples/0/fields/0").asText()).isEqualTo(Attr.DELIVERED_TS);
    }

    @Test
    void anExtraAttributeOnTheViewIsStale() {
        Notification a = command("tx-a", 1000, "u-1", null);
        SyncComparison c = comparison(5);
        c.addCommand(stored(a));
        c.addView(with(SyncFixtures.rebuildView(a), "unexpected", AttributeValue.fromS("x")));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.stale().examples().get(0).fields()).containsExactly("unexpected");
        assertThat(r.stale().examples().get(0).detail()).contains("source_version none vs version none");
    }

    @Test
    void staleWhenTheCommandIsGoneByTheTimeOfTheLookup() {
        Notification a = command("tx-a", 1000, "u-1", 3L);
        SyncComparison c = comparison(5);
        c.addCommand(commandItem(a)); // not in the lookup table
        c.addView(streamView(a.toBuilder().status(Status.FAILED).build(), 1));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.stale().count()).isEqualTo(1);
        assertThat(r.stale().examples().get(0).fields()).isNull();
        assertThat(r.stale().examples().get(0).detail()).contains("the command is gone now");
    }

    @Test
    void aViewWithoutCommandIsAnOrphan() {
        Notification gone = command("tx-gone", 1000, "u-1", 1L);
        SyncComparison c = comparison(5);
        c.addView(streamView(gone, 3));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.orphan().count()).isEqualTo(1);
        Finding f = r.orphan().examples().get(0);
        assertThat(f.transactionId()).isEqualTo("tx-gone");
        assertThat(f.createdAt()).isEqualTo(1000L);
        assertThat(f.viewSourceVersion()).isEqualTo(1L);
        assertThat(f.detail()).isEqualTo("no command item with this transaction_id and created_at");
    }

    @Test
    void aViewUnderTheCommandsFormerUserIsAnOrphanAndTheNewOneMissing() {
        Notification moved = command("tx-a", 1000, "u-new", 2L);
        SyncComparison c = comparison(5);
        c.addCommand(stored(moved));
        c.addView(streamView(moved.toBuilder().userId("u-old").version(1L).build(), 1));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.orphan().count()).isEqualTo(1);
        assertThat(r.orphan().examples().get(0).detail()).isEqualTo("the command now belongs to user u-new");
        assertThat(r.missing().count()).isEqualTo(1);
    }

    @Test
    void aViewWithAForeignSortKeyIsAnOrphan() {
        SyncComparison c = comparison(5);
        c.addView(Map.of(Attr.USER_ID, AttributeValue.fromS("u-1"), Attr.VIEW_SK, AttributeValue.fromS("garbage"),
                Attr.TRANSACTION_ID, AttributeValue.fromS("tx-z")));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.orphan().count()).isEqualTo(1);
        assertThat(r.orphan().examples().get(0).transactionId()).isEqualTo("tx-z");
        assertThat(r.orphan().examples().get(0).detail()).contains("view_sk 'garbage' is not");
    }

    @Test
    void aCommandTheMapperRefusesIsUnmappableAndItsViewIsNotAnOrphan() {
        Notification bad = command("tx-bad", 1000, "u-1", null);
        Map<String, AttributeValue> badItem = with(commandItem(bad), Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"));
        Map<String, AttributeValue> noUser = with(commandItem(command("tx-nouser", 1001, "u-1", null)), Attr.USER_ID, null);
        SyncComparison c = comparison(5);
        c.addCommand(badItem);
        c.addCommand(noUser);
        c.addView(streamView(bad, 1));
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.unmappable().count()).isEqualTo(2);
        assertThat(r.unmappable().examples()).extracting(Finding::transactionId).containsExactly("tx-bad", "tx-nouser");
        assertThat(r.unmappable().examples().get(0).detail()).contains("platform").contains("BLACKBERRY");
        assertThat(r.unmappable().examples().get(1).detail()).contains("user_id").contains("is required");
        assertThat(r.orphan().count()).isZero();
        assertThat(r.missing().count()).isZero();
        assertThat(r.viewsOfUnmappable()).isEqualTo(1);
        assertThat(r.inSync()).isFalse();
        assertThat(r.render()).contains("unmappable  2").contains("not compared");
    }

    @Test
    void examplesAreBoundedButCountsAreNot() {
        SyncComparison c = comparison(2);
        for (int i = 0; i < 7; i++) {
            c.addCommand(stored(command("tx-" + i, 1000 + i, "u-1", 1L)));
        }
        SyncReport r = c.finish(Duration.ZERO);
        assertThat(r.missing().count()).isEqualTo(7);
        assertThat(r.missing().examples()).hasSize(2);
        assertThat(r.render()).contains("... and 5 more");
    }

    @Test
    void commandsMustComeBeforeViews() {
        SyncComparison c = comparison(1);
        c.addView(streamView(command("tx-a", 1, "u", 1L), 1));
        assertThatThrownBy(() -> c.addCommand(commandItem(command("tx-b", 2, "u", 1L))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void viewDiffComparesAsDynamoDbDoes() {
        Map<String, AttributeValue> m1 = Map.of("p", AttributeValue.fromM(Map.of("a", AttributeValue.fromN("1"),
                "b", AttributeValue.fromSs(List.of("x", "y")))));
        Map<String, AttributeValue> m2 = Map.of("p", AttributeValue.fromM(Map.of("b", AttributeValue.fromSs(List.of("y", "x")),
                "a", AttributeValue.fromN("1.00"))), Attr.SOURCE_SEQ, AttributeValue.fromS("0001"));
        assertThat(ViewDiff.same(m1, m2)).isTrue();
        assertThat(ViewDiff.fingerprint(m1)).isEqualTo(ViewDiff.fingerprint(m2));
        Map<String, AttributeValue> m3 = Map.of("p", AttributeValue.fromL(List.of(AttributeValue.fromN("1"))));
        assertThat(ViewDiff.differingFields(m1, m3)).containsExactly("p");
        assertThat(ViewDiff.fingerprint(m1)).isNotEqualTo(ViewDiff.fingerprint(m3));
        assertThat(ViewDiff.canonical(AttributeValue.fromS("1"))).isNotEqualTo(ViewDiff.canonical(AttributeValue.fromN("1")));
    }
}
