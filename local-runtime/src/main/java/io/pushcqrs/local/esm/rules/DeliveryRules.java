package io.pushcqrs.local.esm.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How one batch of stream records is delivered, by the rules AWS documents for DynamoDB stream event source
 * mappings (Lambda developer guide: "Lambda parameters for Amazon DynamoDB event source mappings" and "Configuring
 * partial batch response with DynamoDB and Lambda"): which records go to the function next, when a batch is split,
 * when records are given up on and why, how far the checkpoint moves, how long to wait before trying again.
 * <p>
 * Pure: no threads, no clock read inside (the caller passes the time), no I/O. One instance follows one batch; the
 * caller carries out each step and reports what came of an invocation:
 * <pre>{@code
 * DeliveryRules rules = new DeliveryRules(settings, creationTimes);
 * for (Step step = rules.next(clock.instant()); !(step instanceof Done); step = rules.next(clock.instant())) {
 *     if (step instanceof Invoke i) {          // send records [i.from, i.to) to the function
 *         AfterInvoke a = rules.after(outcome);  // checkpoint at a.doneTo - 1 when a.done() > 0, then wait a.pause()
 *     } else if (step instanceof Discard d) {  // on-failure destination, then checkpoint at d.to - 1
 *     }
 * }
 * }</pre>
 * The rules:
 * <ul>
 * <li><b>Success</b>: the invoked records are done; the checkpoint moves to the last of them.</li>
 * <li><b>Partial batch response</b> (ReportBatchItemFailures, classified by {@link BatchOutcome}): the records
 *     before the lowest reported one are done (checkpoint), the rest is retried from it. With
 *     BisectBatchOnFunctionError too, AWS "bisects at the returned sequence number": the same thing, never a split
 *     in halves. A report naming the first record is a failure of the whole invocation.</li>
 * <li><b>Function error</b> (also an invalid partial batch response): with BisectBatchOnFunctionError and two or
 *     more records, the records are split in two halves that are delivered in order, each with its own retry
 *     count; splitting does not count as a retry. Otherwise the same records are retried.</li>
 * <li><b>MaximumRetryAttempts</b>: records whose head keeps failing are retried up to that many times after their
 *     first failure ({@code -1}: until they are too old), then given up on with condition
 *     {@value #RETRY_ATTEMPTS_EXHAUSTED}. A partial failure that moves the checkpoint starts the count again at 1
 *     (the head is a different record). Invocations that never reached the function (throttled, unknown function,
 *     runtime failure) are retried without counting.</li>
 * <li><b>MaximumRecordAgeInSeconds</b>: before each invocation, the leading records older than that (by
 *     ApproximateCreationDateTime; a record without one is never too old) are not sent but given up on with
 *     condition {@value #RECORD_AGE_EXCEEDED}; the others are sent.</li>
 * <li><b>On-failure destination</b>: each give-up is one {@link Discard} (one message to the destination), with how
 *     many invocations included those records and the last outcome; the checkpoint then moves past them and the
 *     records behind them are delivered.</li>
 * <li><b>Backoff</b>: the first retry waits {@code firstBackoff}, each further one twice as long, at most
 *     {@code maxBackoff}; after a split the halves wait {@code firstBackoff}.</li>
 * </ul>
 */
public final class DeliveryRules {
    /** The condition of records given up on after MaximumRetryAttempts failed retries. */
    public static final String RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted";
    /** The condition of records older than MaximumRecordAgeInSeconds. */
    public static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";

    /**
     * The mapping's settings that the rules use.
     *
     * @param bisectOnError       BisectBatchOnFunctionError
     * @param maxRetryAttempts    MaximumRetryAttempts, -1 for no bound
     * @param maxRecordAgeSeconds MaximumRecordAgeInSeconds, -1 for no bound
     * @param firstBackoff        the pause before the first retry
     * @param maxBackoff          the longest pause between retries
     */
    public record Settings(boolean bisectOnError, int maxRetryAttempts, int maxRecordAgeSeconds, Duration firstBackoff,
                           Duration maxBackoff) {
    }

    /** What to do next with the batch. */
    public sealed interface Step permits Invoke, Discard, Done {
    }

    /** Send the records [from, to) of the batch to the function, then report the outcome with {@link #after}. */
    public record Invoke(int from, int to) implements Step {
    }

    /**
     * Give up on the records [from, to): one message to the on-failure destination (or a log line without one),
     * then the checkpoint moves to record {@code to - 1}.
     *
     * @param invokeCount the invocations that included these records (approximateInvokeCount)
     * @param lastOutcome the last of them, or null when there was none
     */
    public record Discard(int from, int to, String condition, int invokeCount, BatchOutcome lastOutcome) implements Step {
    }

    /** Every record of the batch is done with. */
    public record Done() implements Step {
    }

    /**
     * What came of an invocation.
     *
     * @param attempt the attempt this was for the records at the head (1 = first try): failures that reached the
     *                function and invocations that did not are counted apart, as in the log line
     * @param doneFrom the first record that is now done with
     * @param doneTo   the end (exclusive) of the records now done with; the checkpoint moves to {@code doneTo - 1}
     *                 when {@link #done()} is not zero
     * @param pause    how long to wait before the next step
     */
    public record AfterInvoke(int attempt, int doneFrom, int doneTo, Duration pause) {
        public int done() {
            return doneTo - doneFrom;
        }
    }

    private static final Done DONE = new Done();

    private final Settings settings;
    private final List<Instant> createdAt;
    private final Deque<Segment> work = new ArrayDeque<>();
    private Segment invoked;

    /**
     * @param createdAt each record's ApproximateCreationDateTime, in batch order (null entries allowed); the batch
     *                  has {@code createdAt.size()} records, at least one
     */
    public DeliveryRules(Settings settings, List<Instant> createdAt) {
        if (createdAt.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one record");
        }
        this.settings = settings;
        this.createdAt = List.copyOf(createdAt.stream().map(t -> t == null ? Instant.MAX : t).toList());
        work.add(new Segment(0, createdAt.size(), 0, null));
    }

    /** The next step, at time {@code now}. After an {@link Invoke}, {@link #after} comes first. */
    public Step next(Instant now) {
        if (invoked != null) {
            throw new IllegalStateException("the outcome of the invocation of records " + invoked.from + ".."
                    + (invoked.to - 1) + " is not reported yet");
        }
        Segment seg = work.peekFirst();
        if (seg == null) {
            return DONE;
        }
        if (seg.exhausted) {
            work.removeFirst();
            return new Discard(seg.from, seg.to, RETRY_ATTEMPTS_EXHAUSTED, seg.invokes, seg.last);
        }
        int expired = expiredPrefix(seg, now);
        if (expired > 0) {
            Discard discard = new Discard(seg.from, seg.from + expired, RECORD_AGE_EXCEEDED, seg.invokes, seg.last);
            seg.from += expired;
            if (seg.from == seg.to) {
                work.removeFirst();
            }
            return discard;
        }
        invoked = seg;
        return new Invoke(seg.from, seg.to);
    }

    /** Takes the outcome of the last {@link Invoke}: what is done, and how long to wait. */
    public AfterInvoke after(BatchOutcome outcome) {
        Segment seg = invoked;
        if (seg == null) {
            throw new IllegalStateException("no invocation is waiting for its outcome");
        }
        invoked = null;
        boolean reached = outcome.kind() != BatchOutcome.Kind.INVOKE_ERROR;
        int attempt = reached ? seg.failures + 1 : seg.invokeErrors + 1;
        if (reached) {
            seg.invokes++;
            seg.last = outcome;
            seg.invokeErrors = 0;
        }
        switch (outcome.kind()) {
            case SUCCESS:
                work.removeFirst();
                return new AfterInvoke(attempt, seg.from, seg.to, Duration.ZERO);
            case INVOKE_ERROR:
                seg.invokeErrors++;
                return new AfterInvoke(attempt, seg.from, seg.from, backoff(seg.invokeErrors));
            case PARTIAL_FAILURE:
                if (outcome.failedIndex() > 0) {
                    int doneFrom = seg.from;
                    seg.from += outcome.failedIndex();
                    seg.failures = 1; // the head is another record now: its first failure
                    return failed(seg, attempt, doneFrom, seg.from);
                }
                seg.failures++;
                return failed(seg, attempt, seg.from, seg.from);
            case FUNCTION_ERROR:
                if (settings.bisectOnError() && seg.to - seg.from > 1) {
                    work.removeFirst();
                    int half = seg.from + (seg.to - seg.from) / 2;
                    work.addFirst(new Segment(half, seg.to, seg.invokes, outcome));
                    work.addFirst(new Segment(seg.from, half, seg.invokes, outcome));
                    return new AfterInvoke(attempt, seg.from, seg.from, settings.firstBackoff());
                }
                seg.failures++;
                return failed(seg, attempt, seg.from, seg.from);
            default:
                throw new IllegalArgumentException(outcome.kind().name());
        }
    }

    /** The pause before the given retry (1 = the first): the first backoff, doubled per retry, at most the maximum. */
    public static Duration backoff(int attempt, Duration first, Duration max) {
        long ms = first.toMillis() << Math.min(Math.max(attempt - 1, 0), 16);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    private Duration backoff(int attempt) {
        return backoff(attempt, settings.firstBackoff(), settings.maxBackoff());
    }

    private AfterInvoke failed(Segment seg, int attempt, int doneFrom, int doneTo) {
        if (settings.maxRetryAttempts() >= 0 && seg.failures > settings.maxRetryAttempts()) {
            seg.exhausted = true; // the next step gives the records up
            return new AfterInvoke(attempt, doneFrom, doneTo, Duration.ZERO);
        }
        return new AfterInvoke(attempt, doneFrom, doneTo, backoff(seg.failures));
    }

    private int expiredPrefix(Segment seg, Instant now) {
        if (settings.maxRecordAgeSeconds() < 0) {
            return 0;
        }
        long maxMillis = settings.maxRecordAgeSeconds() * 1000L;
        int n = 0;
        for (int i = seg.from; i < seg.to; i++) {
            Instant created = createdAt.get(i);
            if (!created.isBefore(now) || Duration.between(created, now).toMillis() <= maxMillis) {
                break;
            }
            n++;
        }
        return n;
    }

    /** A run of consecutive records of the batch that is being (re)tried. */
    private static final class Segment {
        int from;
        final int to;
        int failures;      // consecutive failed invocations with the current head record
        int invokes;       // invocations that included these records (approximateInvokeCount)
        int invokeErrors;  // consecutive invocations that never reached the function
        BatchOutcome last;
        boolean exhausted; // retries used up: given up on at the next step

        Segment(int from, int to, int invokes, BatchOutcome last) {
            this.from = from;
            this.to = to;
            this.invokes = invokes;
            this.last = last;
        }
    }
}
