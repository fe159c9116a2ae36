package io.pushcqrs.local.esm.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** When buffered stream records make a batch: BatchSize, MaximumBatchingWindowInSeconds, the 6 MB payload, the shard's end. */
class BatchingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                            | buffered | fit | batch | waited ms | window s | ended | invoke now
            a full batch goes at once                         | 3        | 3   | 3     | 0         | 300      | false | true
            more than a batch goes at once                    | 5        | 5   | 3     | 0         | 300      | false | true
            a window of 0 invokes whatever was read           | 1        | 1   | 100   | 0         | 0        | false | true
            a partial batch waits for the window              | 2        | 2   | 3     | 2999      | 3        | false | false
            the window elapsed                                | 2        | 2   | 3     | 3000      | 3        | false | true
            a closed shard read to its end does not wait      | 1        | 1   | 100   | 0         | 300      | true  | true
            the records that fit in 6 MB go without waiting   | 20       | 15  | 100   | 0         | 300      | false | true
            """)
    void aBatchIsInvokedWhenFullWindowedEndedOrAtThePayloadLimit(String name, int buffered, int fit, int batchSize,
                                                                  long waitedMs, int windowSeconds, boolean ended,
                                                                  boolean invokeNow) {
        assertThat(Batching.invokeNow(buffered, fit, batchSize, Duration.ofMillis(waitedMs),
                Duration.ofSeconds(windowSeconds), ended)).isEqualTo(invokeNow);
    }

    @ParameterizedTest(name = "idle {0} ms, waited {1} ms of a {2} s window: read again in {3} ms")
    @CsvSource({"250, 0, 3, 250", "250, 2900, 3, 100", "50, 0, 300, 50"})
    void aReaderWaitingForTheWindowReadsAgainInTime(long idleMs, long waitedMs, int windowSeconds, long expectedMs) {
        assertThat(Batching.waitBeforeNextRead(Duration.ofMillis(idleMs), Duration.ofMillis(waitedMs),
                Duration.ofSeconds(windowSeconds))).isEqualTo(Duration.ofMillis(expectedMs));
    }
}
