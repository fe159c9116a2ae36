package io.pushcqrs.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewKeysTest {

    @Test
    void stringOrderIsTimeOrderAndSameMillisecondStaysUnique() {
        String a = ViewKeys.viewSk(999L, "b");
        String b = ViewKeys.viewSk(1000L, "a");
        String c = ViewKeys.viewSk(1000L, "b");
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c).isNotEqualTo(c);
    }

    @Test
    void boundsEncloseEveryKeyOfTheirMillisecond() {
        String key = ViewKeys.viewSk(1000L, "zzz~");
        assertThat(ViewKeys.viewSkLowerBound(1000L)).isLessThan(key);
        assertThat(ViewKeys.viewSkUpperBound(1000L)).isGreaterThan(key);
        assertThat(ViewKeys.viewSkUpperBound(999L)).isLessThan(ViewKeys.viewSk(1000L, "0"));
    }

    @Test
    void failureKeyPrefersFailedTs() {
        Notification n = Notification.builder().transactionId("t").createdAt(5L).build();
        assertThat(ViewKeys.failureSk(n)).isEqualTo("000000000000005#t");
        assertThat(ViewKeys.failureSk(n.toBuilder().failedTs(9L).build())).isEqualTo("000000000000009#t");
    }

    @Test
    void sequenceNumbersPadToNumericOrder() {
        assertThat(ViewKeys.padSequence("9")).hasSize(40).isLessThan(ViewKeys.padSequence("10"));
        assertThat(ViewKeys.padSequence("1100000000017454423009"))
                .isLessThan(ViewKeys.padSequence("1100000000017454423010"));
        assertThatThrownBy(() -> ViewKeys.padSequence("12a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ViewKeys.padSequence("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ViewKeys.padSequence("1".repeat(41))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ViewKeys.padTime(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
