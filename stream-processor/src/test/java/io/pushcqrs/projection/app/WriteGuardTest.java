package io.pushcqrs.projection.app;

import io.pushcqrs.model.ViewKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteGuardTest {

    /** A view item holding the given source_seq / source_version ("-" = attribute absent). */
    static Map<String, AttributeValue> view(String seq, String version) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("user_id", AttributeValue.fromS("u1"));
        item.put("view_sk", AttributeValue.fromS("000001700000000000#tx"));
        if (!"-".equals(seq)) {
            item.put("source_seq", AttributeValue.fromS(ViewKeys.padSequence(seq)));
        }
        if (!"-".equals(version)) {
            item.put("source_version", AttributeValue.fromN(version));
        }
        return item;
    }

    @ParameterizedTest(name = "view seq={0} version={1}, change seq={2} version={3} -> {4}")
    @CsvSource({
            // the view has source_seq: the sequence number alone decides
            "5, 2, 7, 1, true",
            "5, 2, 5, 9, false",
            "5, 2, 3, 9, false",
            "5, -, 7, -, true",
            "5, -, 5, -, false",
            "5, -, 4, -, false",
            // string order of padded numbers is numeric order (9 < 10, 99 < 100)
            "9, -, 10, -, true",
            "100, -, 99, -, false",
            // no source_seq (a rebuild's view): the version decides
            "-, 3, 1, 4, true",
            "-, 3, 1, 3, false",
            "-, 3, 1, 2, false",
            "-, -, 1, 1, true",
            // no source_seq and a change without version: admitted (see WriteGuard)
            "-, 3, 1, -, true",
            "-, -, 1, -, true",
    })
    void admits(String viewSeq, String viewVersion, String seq, String version, boolean admitted) {
        WriteGuard guard = new WriteGuard(ViewKeys.padSequence(seq), "-".equals(version) ? null : Long.valueOf(version));
        assertThat(guard.admits(view(viewSeq, viewVersion))).isEqualTo(admitted);
    }

    @Test
    void admitsWhenThereIsNoItem() {
        WriteGuard guard = new WriteGuard(ViewKeys.padSequence("1"), 1L);
        assertThat(guard.admits(null)).isTrue();
        assertThat(guard.admits(Map.of())).isTrue();
    }

    @Test
    void refusesWhenStoredValuesHaveAnotherType() {
        WriteGuard guard = new WriteGuard(ViewKeys.padSequence("7"), 4L);
        Map<String, AttributeValue> numericSeq = new LinkedHashMap<>(view("-", "-"));
        numericSeq.put("source_seq", AttributeValue.fromN("5"));
        assertThat(guard.admits(numericSeq)).isFalse();
        Map<String, AttributeValue> stringVersion = new LinkedHashMap<>(view("-", "-"));
        stringVersion.put("source_version", AttributeValue.fromS("1"));
        assertThat(guard.admits(stringVersion)).isFalse();
    }

    @Test
    void needsASequenceNumber() {
        assertThatThrownBy(() -> new WriteGuard(null, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteGuard("", 1L)).isInstanceOf(IllegalArgumentException.class);
    }
}
