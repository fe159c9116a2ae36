package io.pushcqrs.local.esm.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ParallelizationFactor's rules from tables: lanes by partition key, the checkpoint over records done out of order. */
class ParallelizationTest {

    @Test
    void aPartitionKeyAlwaysHasTheSameLaneAndKeysSpreadOverTheLanes() {
        for (int factor = 1; factor <= 10; factor++) {
            Set<Integer> used = new HashSet<>();
            for (int k = 0; k < 200; k++) {
                int lane = Parallelization.lane("user-" + k, factor);
                assertThat(lane).isBetween(0, factor - 1).isEqualTo(Parallelization.lane("user-" + k, factor));
                used.add(lane);
            }
            assertThat(used).as("factor %d uses every lane", factor).hasSize(factor);
        }
        assertThatThrownBy(() -> Parallelization.lane("k", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parallelization.lane("k", 11)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Records 1..n read in order; "done" lists the order they finish in; after each, the checkpoint (or - when it
     * does not move).
     */
    @ParameterizedTest(name = "{0}: done {1} -> checkpoints {2}")
    @CsvSource(delimiter = '|', textBlock = """
            in order                         | 1,2,3,4     | 1,2,3,4
            the second lane first            | 2,4,1,3     | -,-,2,4
            one slow record holds it back    | 2,3,4,5,1   | -,-,-,-,5
            pairs                            | 2,1,4,3     | -,2,-,4
            """)
    void theCheckpointIsTheLastRecordOfTheDonePrefix(String what, String doneOrder, String checkpoints) {
        Parallelization.Progress p = new Parallelization.Progress();
        String[] done = doneOrder.split(",");
        for (int i = 1; i <= done.length; i++) {
            p.read(Integer.toString(i));
        }
        List<String> got = new ArrayList<>();
        for (String d : done) {
            p.done(d);
            got.add(p.advance().orElse("-"));
        }
        assertThat(String.join(",", got)).as(what).isEqualTo(checkpoints);
        assertThat(p.inFlight()).isZero();
    }

    @Test
    void aRecordNotReadCannotBeDone() {
        Parallelization.Progress p = new Parallelization.Progress();
        p.read("1");
        assertThatThrownBy(() -> p.done("7")).isInstanceOf(IllegalArgumentException.class);
        p.done("1");
        assertThat(p.advance()).contains("1");
        assertThat(p.advance()).isEmpty();
        assertThatThrownBy(() -> p.done("1")).as("behind the checkpoint").isInstanceOf(IllegalArgumentException.class);
    }
}
