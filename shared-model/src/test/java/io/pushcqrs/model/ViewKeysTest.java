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

    /** DynamoDB orders string keys by their UTF-8 bytes, not by Java's UTF-16 compareTo. */
    static int dynamoOrder(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theUpperBoundIsExactInDynamoDbsByteOrderForAnyTransactionId() {
        long to = 1_700_000_000_000L;
        // ids that a foreign tool may have written: the highest BMP character, a supplementary character
        // (UTF-8 F0..: above U+FFFF's EF BF BF), the highest code point, and the plain ones
        for (String tx : new String[] {"a", "~~~", "\uffff", "\uffff\uffff", "\ud83d\ude00", "\udbff\udfff", "\u00ff"}) {
            String key = ViewKeys.viewSk(to, tx);
            assertThat(dynamoOrder(ViewKeys.viewSkUpperBound(to), key)).as("bound above %s", tx).isPositive();
            assertThat(dynamoOrder(ViewKeys.viewSkLowerBound(to), key)).as("lower bound below %s", tx).isNegative();
            String next = ViewKeys.viewSk(to + 1, tx);
            assertThat(dynamoOrder(ViewKeys.viewSkUpperBound(to), next)).as("bound below the next ms, %s", tx).isNegative();
        }
        assertThat(dynamoOrder(ViewKeys.viewSkUpperBound(ViewKeys.MAX_TIME), ViewKeys.viewSk(ViewKeys.MAX_TIME, "\ud83d\ude00")))
                .isPositive();
    }

    @Test
    void theOldUffffBoundWasBelowSupplementaryCharacters() {
        // what the bound used to be: it left out a transaction_id starting with an emoji at the bound's millisecond
        assertThat(dynamoOrder(ViewKeys.padTime(1000) + "#\uffff", ViewKeys.viewSk(1000, "\ud83d\ude00"))).isNegative();
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
