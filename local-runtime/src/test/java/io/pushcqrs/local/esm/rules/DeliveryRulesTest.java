package io.pushcqrs.local.esm.rules;

import io.pushcqrs.local.esm.rules.BatchOutcome.Kind;
import io.pushcqrs.local.esm.rules.DeliveryRules.AfterInvoke;
import io.pushcqrs.local.esm.rules.DeliveryRules.Discard;
import io.pushcqrs.local.esm.rules.DeliveryRules.Done;
import io.pushcqrs.local.esm.rules.DeliveryRules.Invoke;
import io.pushcqrs.local.esm.rules.DeliveryRules.Settings;
import io.pushcqrs.local.esm.rules.DeliveryRules.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delivery rules of a DynamoDB stream mapping, from tables of cases: a batch, the mapping's settings and what the
 * function answers go in; the steps come out, one per invocation or discard:
 * <ul>
 * <li>{@code [a-b] OK cpN}: records a..b sent, the function succeeded, the checkpoint moves to record N;</li>
 * <li>{@code [a-b] FAILED}: a function error (or an invalid partial batch response);</li>
 * <li>{@code [a-b] PARTIAL@k cpN}: a partial batch response whose lowest failed record is k;</li>
 * <li>{@code [a-b] THROTTLED}: the invocation never reached the function (429, runtime failure);</li>
 * <li>{@code DISCARD [a-b] Condition n=I cpN}: the records go to the on-failure destination, having been in I
 *     invocations, and the checkpoint moves past them.</li>
 * </ul>
 * Record numbers are positions in the batch. No threads and no clock: the simulated time moves 25 s per invocation.
 */
class DeliveryRulesTest {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final Duration TICK = Duration.ofSeconds(25);
    static final Duration FIRST = Duration.ofMillis(10);
    static final Duration MAX = Duration.ofMillis(50);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                                   | n | bisect | retries | age | ages         | function           | steps
            a batch that succeeds is done at once                    | 4 | false  | -1      | -1  |              | ok                 | [0-3] OK cp3
            a failing batch is retried MaximumRetryAttempts times    | 4 | false  | 2       | -1  |              | fail:1             | [0-3] FAILED, [0-3] FAILED, [0-3] FAILED, DISCARD [0-3] RetryAttemptsExhausted n=3 cp3
            with 0 retries the first failure discards                | 4 | false  | 0       | -1  |              | fail:1             | [0-3] FAILED, DISCARD [0-3] RetryAttemptsExhausted n=1 cp3
            a retry that succeeds is done                            | 3 | false  | 2       | -1  |              | fail-once          | [0-2] FAILED, [0-2] OK cp2
            bisect halves until the poison record is alone           | 4 | true   | 1       | -1  |              | fail:2             | [0-3] FAILED, [0-1] OK cp1, [2-3] FAILED, [2] FAILED, [2] FAILED, DISCARD [2] RetryAttemptsExhausted n=4 cp2, [3] OK cp3
            splitting does not count as a retry                      | 8 | true   | 0       | -1  |              | fail:5             | [0-7] FAILED, [0-3] OK cp3, [4-7] FAILED, [4-5] FAILED, [4] OK cp4, [5] FAILED, DISCARD [5] RetryAttemptsExhausted n=4 cp5, [6-7] OK cp7
            one record is not split                                  | 1 | true   | 1       | -1  |              | fail:0             | [0] FAILED, [0] FAILED, DISCARD [0] RetryAttemptsExhausted n=2 cp0
            an odd batch gives the smaller half first                | 3 | true   | 0       | -1  |              | fail:0             | [0-2] FAILED, [0] FAILED, DISCARD [0] RetryAttemptsExhausted n=2 cp0, [1-2] OK cp2
            two poison records are each given up alone               | 4 | true   | 0       | -1  |              | fail:0,3           | [0-3] FAILED, [0-1] FAILED, [0] FAILED, DISCARD [0] RetryAttemptsExhausted n=3 cp0, [1] OK cp1, [2-3] FAILED, [2] OK cp2, [3] FAILED, DISCARD [3] RetryAttemptsExhausted n=3 cp3
            a partial response checkpoints before its lowest record  | 5 | true   | 3       | -1  |              | partial-once:4,2   | [0-4] PARTIAL@2 cp1, [2-4] OK cp4
            a partial response that keeps failing is given up on    | 3 | false  | 1       | -1  |              | partial:1          | [0-2] PARTIAL@1 cp0, [1-2] PARTIAL@1, DISCARD [1-2] RetryAttemptsExhausted n=2 cp2
            a partial response naming the first record is a failure  | 3 | false  | 0       | -1  |              | partial:0          | [0-2] PARTIAL@0, DISCARD [0-2] RetryAttemptsExhausted n=1 cp2
            with bisect a partial response is cut at its record      | 4 | true   | 1       | -1  |              | partial:2          | [0-3] PARTIAL@2 cp1, [2-3] PARTIAL@2, DISCARD [2-3] RetryAttemptsExhausted n=2 cp3
            the retry count starts again when the head moves         | 4 | false  | 1       | -1  |              | partial-next       | [0-3] PARTIAL@1 cp0, [1-3] PARTIAL@2 cp1, [2-3] PARTIAL@3 cp2, [3] PARTIAL@3, DISCARD [3] RetryAttemptsExhausted n=4 cp3
            an invocation that never reached the function is free    | 1 | false  | 0       | -1  |              | throttle:2         | [0] THROTTLED, [0] THROTTLED, [0] OK cp0
            throttles do not use up retries between failures         | 2 | false  | 1       | -1  |              | throttle:1+fail:1  | [0-1] THROTTLED, [0-1] FAILED, [0-1] FAILED, DISCARD [0-1] RetryAttemptsExhausted n=2 cp1
            records older than the maximum age are not sent          | 3 | false  | 3       | 60  | 120,120,0    | ok                 | DISCARD [0-1] RecordAgeExceeded n=0 cp1, [2] OK cp2
            a record exactly at the maximum age is still sent        | 1 | false  | 3       | 60  | 60           | ok                 | [0] OK cp0
            only the leading old records are given up               | 2 | false  | 3       | 60  | 0,120        | ok                 | [0-1] OK cp1
            without a maximum age nothing is too old                 | 1 | false  | 3       | -1  | 999999       | ok                 | [0] OK cp0
            unbounded retries go on until the records are too old    | 1 | false  | -1      | 60  | 0            | fail:0             | [0] FAILED, [0] FAILED, [0] FAILED, DISCARD [0] RecordAgeExceeded n=3 cp0
            a record that ages out mid-retry leaves the rest         | 2 | false  | -1      | 60  | 40,0         | fail:1             | [0-1] FAILED, DISCARD [0] RecordAgeExceeded n=1 cp0, [1] FAILED, [1] FAILED, DISCARD [1] RecordAgeExceeded n=3 cp1
            bisected halves keep their invocation count              | 2 | true   | -1      | 60  | 0,0          | fail:1             | [0-1] FAILED, [0] OK cp0, [1] FAILED, DISCARD [1] RecordAgeExceeded n=2 cp1
            """)
    void deliversABatchByTheMappingsRules(String name, int records, boolean bisect, int retries, int maxAge, String ages,
                                          String function, String expected) {
        Settings settings = new Settings(bisect, retries, maxAge, FIRST, MAX);
        assertThat(String.join(", ", run(records, settings, ages, function).steps)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                                  | bisect | retries | function          | attempts    | pauses (ms)
            a retry waits the first backoff, then twice as long     | false  | 5       | fail-all          | 1,2,3,4,5,6 | 10,20,40,50,50,0
            a success does not wait                                 | false  | 5       | ok                | 1           | 0
            halves wait the first backoff and count from 1          | true   | 1       | fail:0            | 1,1,2,1     | 10,10,0,0
            throttles back off on their own count                   | false  | 1       | throttle:3+fail:0 | 1,2,3,1,2   | 10,20,40,10,0
            """)
    void retriesBackOffAndCountAttemptsForTheLog(String name, boolean bisect, int retries, String function,
                                                 String attempts, String pauses) {
        Run run = run(2, new Settings(bisect, retries, -1, FIRST, MAX), "", function);
        assertThat(run.attempts).isEqualTo(ints(attempts));
        assertThat(run.pauses).isEqualTo(ints(pauses));
    }

    @ParameterizedTest(name = "attempt {0} waits {1} ms")
    @CsvSource({"0, 10", "1, 10", "2, 20", "3, 40", "4, 50", "17, 50", "1000, 50"})
    void theBackoffDoublesUpToItsMaximum(int attempt, long ms) {
        assertThat(DeliveryRules.backoff(attempt, FIRST, MAX)).isEqualTo(Duration.ofMillis(ms));
    }

    @Test
    void aDiscardCarriesTheLastOutcomeForTheOnFailureMessage() {
        DeliveryRules rules = new DeliveryRules(new Settings(false, 0, -1, FIRST, MAX), List.of(T0, T0));
        assertThat(rules.next(T0)).isEqualTo(new Invoke(0, 2));
        BatchOutcome failed = outcome(Kind.FUNCTION_ERROR, -1);
        rules.after(failed);
        assertThat(rules.next(T0)).isEqualTo(new Discard(0, 2, DeliveryRules.RETRY_ATTEMPTS_EXHAUSTED, 1, failed));
        assertThat(rules.next(T0)).isInstanceOf(Done.class);

        DeliveryRules old = new DeliveryRules(new Settings(false, 0, 60, FIRST, MAX), List.of(T0.minusSeconds(61)));
        assertThat(old.next(T0)).isEqualTo(new Discard(0, 1, DeliveryRules.RECORD_AGE_EXCEEDED, 0, null));
    }

    @Test
    void aRecordWithoutACreationTimeIsNeverTooOld() {
        DeliveryRules rules = new DeliveryRules(new Settings(false, 0, 60, FIRST, MAX), Arrays.asList(null, T0));
        assertThat(rules.next(T0.plus(Duration.ofDays(2)))).isEqualTo(new Invoke(0, 2));
    }

    @Test
    void stepsComeInOrder() {
        assertThatThrownBy(() -> new DeliveryRules(new Settings(false, 0, -1, FIRST, MAX), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        DeliveryRules rules = new DeliveryRules(new Settings(false, 0, -1, FIRST, MAX), List.of(T0));
        assertThatThrownBy(() -> rules.after(outcome(Kind.SUCCESS, -1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no invocation");
        rules.next(T0);
        assertThatThrownBy(() -> rules.next(T0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not reported yet");
        AfterInvoke after = rules.after(outcome(Kind.SUCCESS, -1));
        assertThat(after.done()).isEqualTo(1);
        assertThat(rules.next(T0)).isInstanceOf(Done.class);
    }

    // ------------------------------------------------------------------ the simulation

    static final class Run {
        final List<String> steps = new ArrayList<>();
        final List<Integer> attempts = new ArrayList<>();
        final List<Integer> pauses = new ArrayList<>();
    }

    /** Delivers a batch of n records created {@code ages} seconds before the start, the function answering by script. */
    static Run run(int n, Settings settings, String ages, String function) {
        List<Instant> created = new ArrayList<>();
        List<Integer> age = ages == null || ages.isBlank() ? List.of() : ints(ages);
        for (int i = 0; i < n; i++) {
            created.add(T0.minusSeconds(i < age.size() ? age.get(i) : 0));
        }
        DeliveryRules rules = new DeliveryRules(settings, created);
        Script script = new Script(function);
        Run run = new Run();
        Instant now = T0;
        for (int guard = 0; guard < 100; guard++) {
            Step step = rules.next(now);
            if (step instanceof Done) {
                return run;
            }
            if (step instanceof Discard d) {
                run.steps.add("DISCARD " + range(d.from(), d.to()) + " " + d.condition() + " n=" + d.invokeCount()
                        + " cp" + (d.to() - 1));
                continue;
            }
            Invoke invoke = (Invoke) step;
            BatchOutcome outcome = script.answer(invoke.from(), invoke.to());
            AfterInvoke after = rules.after(outcome);
            run.steps.add(range(invoke.from(), invoke.to()) + " " + label(outcome, invoke.from())
                    + (after.done() > 0 ? " cp" + (after.doneTo() - 1) : ""));
            run.attempts.add(after.attempt());
            run.pauses.add((int) after.pause().toMillis());
            now = now.plus(TICK);
        }
        throw new AssertionError("the batch never finished: " + run.steps);
    }

    /** What the function answers: "ok", "fail-all", "fail-once", "fail:i,j", "partial:i,j", "partial-once:i,j", "partial-next", "throttle:n", joined by "+". */
    static final class Script {
        final String[] rules;
        int calls;

        Script(String text) {
            rules = text.split("\\+");
        }

        BatchOutcome answer(int from, int to) {
            calls++;
            for (String rule : rules) {
                String[] p = rule.trim().split(":", 2);
                List<Integer> arg = p.length > 1 ? ints(p[1]) : List.of();
                switch (p[0]) {
                    case "ok":
                        return outcome(Kind.SUCCESS, -1);
                    case "fail-all":
                        return outcome(Kind.FUNCTION_ERROR, -1);
                    case "fail-once":
                        if (calls == 1) {
                            return outcome(Kind.FUNCTION_ERROR, -1);
                        }
                        break;
                    case "throttle":
                        if (calls <= arg.get(0)) {
                            return outcome(Kind.INVOKE_ERROR, -1);
                        }
                        break;
                    case "fail":
                        if (arg.stream().anyMatch(i -> i >= from && i < to)) {
                            return outcome(Kind.FUNCTION_ERROR, -1);
                        }
                        break;
                    case "partial-next":
                        // the record after the head failed: the checkpoint moves one record per invocation
                        return outcome(Kind.PARTIAL_FAILURE, Math.min(1, to - from - 1));
                    case "partial":
                    case "partial-once":
                        if (p[0].equals("partial-once") && calls > 1) {
                            break;
                        }
                        int lowest = arg.stream().filter(i -> i >= from && i < to).min(Integer::compare).orElse(-1);
                        if (lowest >= 0) {
                            return outcome(Kind.PARTIAL_FAILURE, lowest - from);
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown script rule " + rule);
                }
            }
            return outcome(Kind.SUCCESS, -1);
        }
    }

    static BatchOutcome outcome(Kind kind, int failedIndex) {
        return switch (kind) {
            case SUCCESS -> new BatchOutcome(kind, -1, "", null, 200);
            case PARTIAL_FAILURE -> new BatchOutcome(kind, failedIndex, "partial", null, 200);
            case FUNCTION_ERROR -> new BatchOutcome(kind, -1, "function error Unhandled", "Unhandled", 200);
            case INVOKE_ERROR -> new BatchOutcome(kind, -1, "invoke answered 429", null, 429);
        };
    }

    static String label(BatchOutcome o, int from) {
        return switch (o.kind()) {
            case SUCCESS -> "OK";
            case PARTIAL_FAILURE -> "PARTIAL@" + (from + o.failedIndex());
            case FUNCTION_ERROR -> "FAILED";
            case INVOKE_ERROR -> "THROTTLED";
        };
    }

    static String range(int from, int to) {
        return to - from == 1 ? "[" + from + "]" : "[" + from + "-" + (to - 1) + "]";
    }

    static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(Integer.parseInt(s.trim()));
            }
        }
        return out;
    }
}
