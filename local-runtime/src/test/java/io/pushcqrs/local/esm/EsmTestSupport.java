package io.pushcqrs.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A fake Lambda, a clock that can be moved, and a log that tests can read. */
final class EsmTestSupport {
    private EsmTestSupport() {
    }

    /** One invocation as the fake function saw it ({@code atNanos}: System.nanoTime() when it arrived). */
    record Call(int n, String function, List<String> ids, List<String> seqs, JsonNode event, long atNanos) {
    }

    /** Records every event it gets and answers what the script says (default: success). */
    static final class FakeInvoker implements LambdaInvoker {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final AtomicInteger numbers = new AtomicInteger();
        volatile Function<Call, InvokeResult> script = c -> ok();

        @Override
        public InvokeResult invoke(String functionNameOrArn, byte[] payload) {
            JsonNode event;
            try {
                event = StreamEventFactory.JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> ids = new ArrayList<>();
            List<String> seqs = new ArrayList<>();
            for (JsonNode r : event.get("Records")) {
                ids.add(r.at("/dynamodb/Keys/id/S").asText());
                seqs.add(r.at("/dynamodb/SequenceNumber").asText());
            }
            Call call = new Call(numbers.incrementAndGet(), functionNameOrArn, ids, seqs, event, System.nanoTime());
            try {
                return script.apply(call);
            } finally {
                // visible only once the script has answered (and recorded what it wanted to): a test that waits for
                // the n-th call then sees everything the script did for it
                calls.add(call);
            }
        }

        /** Every id delivered, in delivery order, with repeats. */
        List<String> deliveredIds() {
            List<String> all = new ArrayList<>();
            calls.forEach(c -> all.addAll(c.ids()));
            return all;
        }

        List<List<String>> batches() {
            List<List<String>> all = new ArrayList<>();
            calls.forEach(c -> all.add(c.ids()));
            return all;
        }
    }

    static InvokeResult ok() {
        return new InvokeResult(200, "null".getBytes(StandardCharsets.UTF_8), null, UUID.randomUUID().toString(), 1);
    }

    static InvokeResult fail() {
        return new InvokeResult(200, ("{\"errorMessage\":\"poison record\",\"errorType\":\"java.lang.IllegalStateException\","
                + "\"stackTrace\":[]}").getBytes(StandardCharsets.UTF_8), "Unhandled", UUID.randomUUID().toString(), 1);
    }

    static InvokeResult partial(String... sequenceNumbers) {
        StringBuilder b = new StringBuilder("{\"batchItemFailures\":[");
        for (int i = 0; i < sequenceNumbers.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(sequenceNumbers[i]).append("\"}");
        }
        return new InvokeResult(200, b.append("]}").toString().getBytes(StandardCharsets.UTF_8), null,
                UUID.randomUUID().toString(), 1);
    }

    /** System time plus an offset the test moves. */
    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    /** Log lines, also echoed to stdout. */
    static final class Log {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        void add(String line) {
            lines.add(line);
            System.out.println(line);
        }

        boolean contains(String text) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.contains(text));
            }
        }

        long count(String text) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.contains(text)).count();
            }
        }
    }

    static StreamPoller.Options fastOptions(Log log, Clock clock) {
        return StreamPoller.Options.defaults()
                .withIdleSleep(Duration.ofMillis(50))
                .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .withShardRefresh(Duration.ofMillis(300))
                .withLog(log::add)
                .withClock(clock);
    }
}
