package io.pushcqrs.model.mapping;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.ViewKeys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TombstonesTest {
    static final long DELETED_AT = 1_700_000_123_456L;
    static final String SEQ = ViewKeys.padSequence("4421584500000000017450439093");

    @Test
    void aTombstoneHoldsItsKeyTheSequenceTheTimeAndTheTtlAndNoGsiKey() {
        Map<String, AttributeValue> t = Tombstones.item("u1", 1_700_000_000_000L, "tx-1", SEQ, DELETED_AT);

        assertThat(t).containsOnlyKeys(Attr.USER_ID, Attr.VIEW_SK, Attr.SOURCE_SEQ, Attr.DELETED, Attr.DELETED_AT,
                Attr.EXPIRES_AT);
        assertThat(t.get(Attr.VIEW_SK).s()).isEqualTo(ViewKeys.viewSk(1_700_000_000_000L, "tx-1"));
        assertThat(t.get(Attr.SOURCE_SEQ).s()).isEqualTo(SEQ);
        assertThat(t.get(Attr.DELETED).bool()).isTrue();
        assertThat(t.get(Attr.DELETED_AT).n()).isEqualTo("1700000123456");
        // TTL: epoch seconds, 48 h after the delete (the stream keeps records 24 h)
        assertThat(t.get(Attr.EXPIRES_AT).n()).isEqualTo(Long.toString(1_700_000_123L + 48 * 3600));
        assertThat(Tombstones.isTombstone(t)).isTrue();
        assertThat(Tombstones.deletedAt(t)).isEqualTo(DELETED_AT);
    }

    @Test
    void aViewIsNoTombstone() {
        Map<String, AttributeValue> view = NotificationMapper.viewKey("u1", 1L, "tx");
        assertThat(Tombstones.isTombstone(view)).isFalse();
        assertThat(Tombstones.isTombstone(null)).isFalse();
        assertThat(Tombstones.deletedAt(view)).isNull();
    }

    @Test
    void aTombstoneIsSettledOnceTheStreamCannotHoldItsChangeAnyMore() {
        Map<String, AttributeValue> t = Tombstones.item("u1", 1L, "tx", SEQ, DELETED_AT);
        long day = 24 * 3600 * 1000L;
        assertThat(Tombstones.settled(t, DELETED_AT + day)).isFalse();
        assertThat(Tombstones.settled(t, DELETED_AT + day + 1)).isTrue();
        // without a readable time it never is
        Map<String, AttributeValue> noTime = new java.util.HashMap<>(t);
        noTime.put(Attr.DELETED_AT, AttributeValue.fromS("yesterday"));
        assertThat(Tombstones.settled(noTime, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void needsASequenceNumber() {
        assertThatThrownBy(() -> Tombstones.item("u1", 1L, "tx", null, DELETED_AT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
