package io.pushcqrs.local.esm;

import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The poller of one DynamoDB-stream event source mapping: what AWS Lambda's event source mapping does, for the
 * embedded stack.
 * <p>
 * {@link #start()} starts a daemon thread that lists the stream's shards (DescribeStream, every page, again
 * every {@link Options#shardRefresh()}) and starts a daemon reader per shard; a child shard is read only once
 * its parent is read to its end. A reader takes its iterator from the checkpoint (AFTER_SEQUENCE_NUMBER) or, when
 * there is none, from the mapping's starting position (TRIM_HORIZON or LATEST; shards that appear later are read
 * from TRIM_HORIZON), reads with GetRecords, sleeps {@link Options#idleSleep()} when there is nothing new, and
 * re-acquires the iterator from where it got to when GetRecords fails (expired or invalid iterator).
 * <p>
 * The rules, as AWS documents them for DynamoDB streams (with-ddb, with-ddb-batchfailurereporting):
 * <ul>
 * <li>Batching: up to {@code batchSize} records per invocation; with {@code maxBatchingWindowSeconds > 0} records
 *     are gathered until the batch is full or the window has elapsed since the first of them.</li>
 * <li>Success: checkpoint at the batch's last sequence number.</li>
 * <li>ReportBatchItemFailures: the records before the lowest reported sequence number are done (checkpointed);
 *     the rest is retried from it. An invalid report fails the whole batch (see {@link BatchOutcome}).</li>
 * <li>BisectBatchOnFunctionError: a batch of two or more records that fails as a whole (function error, or an
 *     invalid report) is split in two and the halves are retried in order. Splitting does not count as a retry
 *     (AWS: "splitting a batch does not count towards the retry quota"); a partial-failure report is not split
 *     but retried from the failed record (AWS: "bisected at the returned sequence number").</li>
 * <li>MaximumRetryAttempts: a (part of a) batch whose first record keeps failing is retried, with a growing
 *     backoff, up to that many times after its first failure ({@code -1}: until the records expire). The count
 *     starts again when a partial failure moves the checkpoint forward, since the record at the head is then a
 *     different one. Invocations that never reached the function (throttled, unknown function, runtime failure)
 *     are retried without counting, as on AWS.</li>
 * <li>MaximumRecordAgeInSeconds: before each invocation, the leading records older than that (by
 *     ApproximateCreationDateTime) are not sent; they are discarded with condition RecordAgeExceeded.</li>
 * <li>Discarding: one {@link OnFailureMessage} per discarded (part of a) batch is sent to the on-failure SQS
 *     queue (none configured: the discard is logged), the checkpoint moves past the records and the records
 *     behind them are processed.</li>
 * <li>Checkpoints ({@link CheckpointStore}) are written after every success, partial success and discard, so a
 *     new poller on the same store resumes after the last record that was done with: nothing is lost and only
 *     the batch that was in flight when the poller stopped is sent again.</li>
 * </ul>
 * One log line per invocation and per discard: mapping, shard, record count, first..last sequence number,
 * attempt, outcome, duration.
 */
public final class StreamPoller implements AutoCloseable {

    /**
     * Timings, the log sink and the clock (record age is measured with it).
     *
     * @param idleSleep       pause after a GetRecords that returned nothing
     * @param retryBackoff    pause before the first retry of a failed batch; doubles per retry
     * @param maxRetryBackoff the longest pause between retries
     * @param shardRefresh    how often the shard list is read again (new shards, ended parents)
     * @param log             where the one-line log entries go
     * @param clock           the time used for record age and the on-failure message
     */
    public record Options(Duration idleSleep, Duration retryBackoff, Duration maxRetryBackoff, Duration shardRefresh,
                          Consumer<String> log, Clock clock) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(10),
                    System.out::println, Clock.systemUTC());
        }

        public Options withIdleSleep(Duration d) {
            return new Options(d, retryBackoff, maxRetryBackoff, shardRefresh, log, clock);
        }

        public Options withRetryBackoff(Duration first, Duration max) {
            return new Options(idleSleep, first, max, shardRefresh, log, clock);
        }

        public Options withShardRefresh(Duration d) {
            return new Options(idleSleep, retryBackoff, maxRetryBackoff, d, log, clock);
        }

        public Options withLog(Consumer<String> sink) {
            return new Options(idleSleep, retryBackoff, maxRetryBackoff, shardRefresh, sink, clock);
        }

        public Options withClock(Clock c) {
            return new Options(idleSleep, retryBackoff, maxRetryBackoff, shardRefresh, log, c);
        }
    }

    /**
     * Counters since start.
     *
     * @param invocations        invocations that reached the invoker
     * @param recordsSucceeded   records the function reported done
     * @param recordsDiscarded   records given up on (on-failure destination or skipped)
     * @param onFailureMessages  messages sent to the on-failure queue
     */
    public record Stats(long invocations, long recordsSucceeded, long recordsDiscarded, long onFailureMessages) {
    }

    private static final int MAX_GET_RECORDS = 1000;
    /** Lambda's payload limit for a synchronous invocation: a batch stops growing at it. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final int ON_FAILURE_SEND_ATTEMPTS = 3;

    private final EsmSpec spec;
    private final DynamoDbStreamsClient streams;
    private final OnFailureDestination onFailure;
    private final LambdaInvoker invoker;
    private final CheckpointStore checkpoints;
    private final Options options;
    private final String target;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final Semaphore wake = new Semaphore(0);
    private final Map<String, Thread> readers = new ConcurrentHashMap<>();
    private volatile Thread coordinator;
    private volatile boolean closed;

    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong recordsSucceeded = new AtomicLong();
    private final AtomicLong recordsDiscarded = new AtomicLong();
    private final AtomicLong onFailureMessages = new AtomicLong();

    public StreamPoller(EsmSpec spec, DynamoDbStreamsClient streams, SqsClient sqs, LambdaInvoker invoker,
                        CheckpointStore checkpoints) {
        this(spec, streams, sqs, invoker, checkpoints, Options.defaults());
    }

    public StreamPoller(EsmSpec spec, DynamoDbStreamsClient streams, SqsClient sqs, LambdaInvoker invoker,
                        CheckpointStore checkpoints, Options options) {
        this.spec = validate(spec);
        this.streams = require(streams, "a DynamoDbStreamsClient");
        this.invoker = require(invoker, "a LambdaInvoker");
        this.checkpoints = require(checkpoints, "a CheckpointStore");
        this.options = require(options, "options");
        this.onFailure = spec.onFailureArn() == null || spec.onFailureArn().isBlank() ? null
                : new OnFailureDestination(spec.onFailureArn(), require(sqs, "an SqsClient (the mapping has an on-failure queue)"));
        this.target = spec.functionName() != null && !spec.functionName().isBlank() ? spec.functionName() : spec.functionArn();
    }

    public EsmSpec spec() {
        return spec;
    }

    public Stats stats() {
        return new Stats(invocations.get(), recordsSucceeded.get(), recordsDiscarded.get(), onFailureMessages.get());
    }

    /** True between {@link #start()} and {@link #close()} (false for a disabled mapping). */
    public boolean isRunning() {
        Thread t = coordinator;
        return t != null && t.isAlive() && !closed;
    }

    /** Starts polling on a daemon thread; a disabled mapping ({@code Enabled: false}) only logs that it is off. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the poller of mapping " + spec.uuid() + " is closed");
        }
        if (coordinator != null) {
            throw new IllegalStateException("the poller of mapping " + spec.uuid() + " is already started");
        }
        if (!spec.enabled()) {
            log("disabled (Enabled: false): not polling " + spec.streamArn());
            return;
        }
        log("polling " + spec.streamArn() + " -> " + target + " (batch " + spec.batchSize() + ", window "
                + spec.maxBatchingWindowSeconds() + " s, start " + spec.startingPosition() + ", retries "
                + spec.maxRetryAttempts() + ", max age " + spec.maxRecordAgeSeconds() + " s, bisect " + spec.bisectOnError()
                + ", item failures " + spec.reportBatchItemFailures() + ", on-failure "
                + (onFailure == null ? "none" : spec.onFailureArn()) + ")");
        Thread t = new Thread(this::coordinate, "esm-" + spec.uuid());
        t.setDaemon(true);
        coordinator = t;
        t.start();
    }

    /**
     * Stops polling and waits (a few seconds) for the readers; checkpoints stay in the store. A batch that is being
     * retried is abandoned without a checkpoint, so a new poller sends it again.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stop.countDown();
        wake.release();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Thread> threads = new ArrayList<>();
        if (coordinator != null) {
            threads.add(coordinator);
            joinUntil(coordinator, deadline);
        }
        threads.addAll(readers.values());
        for (Thread t : threads) {
            joinUntil(t, deadline);
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
                joinUntil(t, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            }
        }
    }

    // ---------------------------------------------------------------- shards

    private void coordinate() {
        Map<String, Boolean> firstSeenOpen = null; // shards present when the poller started: id -> open
        String lastProblem = null;
        while (!closed) {
            try {
                List<Shard> shards = describeShards();
                if (firstSeenOpen == null) {
                    firstSeenOpen = new LinkedHashMap<>();
                    for (Shard s : shards) {
                        firstSeenOpen.put(s.shardId(), s.sequenceNumberRange() == null
                                || s.sequenceNumberRange().endingSequenceNumber() == null);
                    }
                    log("stream has " + shards.size() + " shard(s)");
                }
                Set<String> ids = new HashSet<>();
                shards.forEach(s -> ids.add(s.shardId()));
                for (Shard s : shards) {
                    String id = s.shardId();
                    if (readers.containsKey(id) || checkpoints.isEnded(spec.uuid(), id)) {
                        continue;
                    }
                    String parent = s.parentShardId();
                    if (parent != null && ids.contains(parent) && !checkpoints.isEnded(spec.uuid(), parent)) {
                        continue; // the parent's records come first
                    }
                    ShardIteratorType initial = ShardIteratorType.TRIM_HORIZON;
                    Boolean open = firstSeenOpen.get(id);
                    if (open != null && "LATEST".equals(spec.startingPosition())) {
                        if (!open && checkpoints.sequenceNumber(spec.uuid(), id).isEmpty()) {
                            checkpoints.markEnded(spec.uuid(), id); // LATEST: nothing of a closed shard is wanted
                            continue;
                        }
                        initial = ShardIteratorType.LATEST;
                    }
                    startReader(id, initial);
                }
                lastProblem = null;
            } catch (ResourceNotFoundException e) {
                lastProblem = logOnce(lastProblem, "stream not found (" + e.awsErrorDetails().errorMessage()
                        + "); trying again every " + options.shardRefresh().toSeconds() + " s");
            } catch (SdkException | IllegalStateException | java.io.UncheckedIOException e) {
                lastProblem = logOnce(lastProblem, "cannot list the shards: " + e.getMessage() + "; trying again");
            }
            try {
                wake.tryAcquire(options.shardRefresh().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private List<Shard> describeShards() {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            DescribeStreamResponse r = streams.describeStream(DescribeStreamRequest.builder()
                    .streamArn(spec.streamArn()).exclusiveStartShardId(start).build());
            shards.addAll(r.streamDescription().shards());
            start = r.streamDescription().lastEvaluatedShardId();
        } while (start != null && !closed);
        return shards;
    }

    private synchronized void startReader(String shardId, ShardIteratorType initial) {
        if (closed) {
            return;
        }
        ShardReader reader = new ShardReader(shardId, initial);
        Thread t = new Thread(reader, "esm-" + spec.uuid() + "-" + shardId);
        t.setDaemon(true);
        readers.put(shardId, t);
        t.start();
    }

    // ---------------------------------------------------------------- one shard

    /** Thrown inside a reader to unwind when the poller closes. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** A run of consecutive records of a batch that is being (re)tried. */
    private static final class Segment {
        List<Record> records;
        int failures;      // consecutive failed invocations with the current head record
        int invokes;       // invocations that included these records (approximateInvokeCount)
        int invokeErrors;  // consecutive invocations that never reached the function
        BatchOutcome last;

        Segment(List<Record> records, int invokes, BatchOutcome last) {
            this.records = records;
            this.invokes = invokes;
            this.last = last;
        }
    }

    private final class ShardReader implements Runnable {
        private final String shardId;
        private final ShardIteratorType initial;
        private final List<Record> buffer = new ArrayList<>();
        private String iterator;
        private String lastRead;      // the last sequence number taken into the buffer (or done with)
        private boolean ended;        // GetRecords answered no next iterator: the shard is closed and read
        private long windowStart;     // nanoTime when the first record of the buffer arrived
        private long bufferBytes;     // the size of the buffer's records in an event
        private int readFailures;     // consecutive failed GetRecords calls
        private String readProblem;   // the last GetRecords failure logged

        ShardReader(String shardId, ShardIteratorType initial) {
            this.shardId = shardId;
            this.initial = initial;
        }

        @Override
        public void run() {
            String lastProblem = null;
            try {
                while (!closed) {
                    try {
                        if (step()) {
                            return;
                        }
                        lastProblem = null;
                    } catch (Stopped e) {
                        return;
                    } catch (RuntimeException e) {
                        // unexpected (a checkpoint that cannot be written, a broken invoker, ...): start again from the checkpoint
                        lastProblem = logOnce(lastProblem, "shard " + shardId + ": " + e + "; resuming from the checkpoint");
                        buffer.clear();
                        bufferBytes = 0;
                        iterator = null;
                        lastRead = null;
                        ended = false;
                        pause(options.maxRetryBackoff());
                    }
                }
            } catch (Stopped e) {
                // closing
            } finally {
                readers.remove(shardId, Thread.currentThread());
                wake.release();
            }
        }

        /** One round: read, maybe invoke. Returns true when the shard is done for good. */
        private boolean step() {
            if (!ended && iterator == null) {
                iterator = acquire();
            }
            int returned = 0;
            if (!ended && buffer.size() < spec.batchSize()) {
                GetRecordsResponse r;
                try {
                    r = streams.getRecords(b -> b.shardIterator(iterator)
                            .limit(Math.min(MAX_GET_RECORDS, spec.batchSize() - buffer.size())));
                } catch (ExpiredIteratorException e) {
                    log("shard " + shardId + ": the iterator expired; taking a new one");
                    iterator = null;
                    pause(options.retryBackoff());
                    return false;
                } catch (SdkException e) {
                    if (closed) {
                        throw new Stopped();
                    }
                    // said once while it keeps failing the same way; the pause grows up to maxRetryBackoff
                    readProblem = logOnce(readProblem, "shard " + shardId + ": GetRecords failed (" + e.getMessage()
                            + "); taking a new iterator");
                    iterator = null;
                    pause(backoff(++readFailures));
                    return false;
                }
                readProblem = null;
                readFailures = 0;
                for (Record rec : r.records()) {
                    if (buffer.isEmpty()) {
                        windowStart = System.nanoTime();
                    }
                    buffer.add(rec);
                    bufferBytes += StreamEventFactory.size(rec, spec.streamArn()) + 1;
                    lastRead = rec.dynamodb().sequenceNumber();
                }
                returned = r.records().size();
                iterator = r.nextShardIterator();
                if (iterator == null) {
                    ended = true;
                }
            }
            if (!buffer.isEmpty()) {
                long waited = System.nanoTime() - windowStart;
                long window = TimeUnit.SECONDS.toNanos(spec.maxBatchingWindowSeconds());
                int fit = bufferBytes + 16 <= MAX_PAYLOAD_BYTES ? buffer.size()
                        : StreamEventFactory.recordsThatFit(buffer, spec.streamArn(), MAX_PAYLOAD_BYTES);
                if (buffer.size() >= spec.batchSize() || waited >= window || ended || fit < buffer.size()) {
                    List<Record> batch = new ArrayList<>(buffer.subList(0, fit));
                    buffer.subList(0, fit).clear();
                    bufferBytes = 0;
                    buffer.forEach(r -> bufferBytes += StreamEventFactory.size(r, spec.streamArn()) + 1);
                    process(batch);
                    return false;
                }
                if (returned == 0) {
                    pause(Duration.ofNanos(Math.min(options.idleSleep().toNanos(), window - waited)));
                }
                return false;
            }
            if (ended) {
                checkpoints.markEnded(spec.uuid(), shardId);
                log("shard " + shardId + " is closed and read to its end");
                return true;
            }
            if (returned == 0) {
                pause(options.idleSleep());
            }
            return false;
        }

        private String acquire() {
            String after = lastRead != null ? lastRead : checkpoints.sequenceNumber(spec.uuid(), shardId).orElse(null);
            GetShardIteratorRequest.Builder req = GetShardIteratorRequest.builder().streamArn(spec.streamArn()).shardId(shardId);
            if (after != null) {
                req.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            } else {
                req.shardIteratorType(initial);
            }
            try {
                return streams.getShardIterator(req.build()).shardIterator();
            } catch (TrimmedDataAccessException e) {
                log("shard " + shardId + ": the checkpoint " + after + " is past the stream's retention; reading from TRIM_HORIZON");
                return streams.getShardIterator(GetShardIteratorRequest.builder().streamArn(spec.streamArn()).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON).build()).shardIterator();
            } catch (ResourceNotFoundException e) {
                if (closed) {
                    throw new Stopped();
                }
                throw new IllegalStateException("the shard or stream is gone: " + e.awsErrorDetails().errorMessage(), e);
            }
        }

        /** Delivers one batch, with the retry, bisect, age and on-failure rules; returns when every record is done with. */
        private void process(List<Record> batch) {
            Deque<Segment> work = new ArrayDeque<>();
            work.add(new Segment(batch, 0, null));
            while (!work.isEmpty()) {
                if (closed) {
                    throw new Stopped();
                }
                Segment seg = work.peekFirst();
                if (spec.maxRecordAgeSeconds() >= 0) {
                    int expired = expiredPrefix(seg.records);
                    if (expired > 0) {
                        discard(seg.records.subList(0, expired), OnFailureMessage.RECORD_AGE_EXCEEDED, seg.invokes, seg.last);
                        seg.records = seg.records.subList(expired, seg.records.size());
                        if (seg.records.isEmpty()) {
                            work.removeFirst();
                            continue;
                        }
                    }
                }
                BatchOutcome outcome = invoke(seg);
                switch (outcome.kind()) {
                    case SUCCESS -> {
                        checkpoint(seg.records);
                        recordsSucceeded.addAndGet(seg.records.size());
                        work.removeFirst();
                        continue;
                    }
                    case PARTIAL_FAILURE -> {
                        seg.invokeErrors = 0;
                        if (outcome.failedIndex() > 0) {
                            List<Record> done = seg.records.subList(0, outcome.failedIndex());
                            checkpoint(done);
                            recordsSucceeded.addAndGet(done.size());
                            seg.records = seg.records.subList(outcome.failedIndex(), seg.records.size());
                            seg.failures = 1;
                        } else {
                            seg.failures++;
                        }
                    }
                    case FUNCTION_ERROR -> {
                        seg.invokeErrors = 0;
                        if (spec.bisectOnError() && seg.records.size() > 1) {
                            work.removeFirst();
                            int half = seg.records.size() / 2;
                            // in AWS, splitting does not count towards the retry quota
                            work.addFirst(new Segment(seg.records.subList(half, seg.records.size()), seg.invokes, outcome));
                            work.addFirst(new Segment(seg.records.subList(0, half), seg.invokes, outcome));
                            pause(options.retryBackoff());
                            continue;
                        }
                        seg.failures++;
                    }
                    case INVOKE_ERROR -> {
                        // never reached the function: retried, not counted (AWS: retry attempts do not apply to
                        // service errors or throttles); the record age still bounds it
                        seg.invokeErrors++;
                        pause(backoff(seg.invokeErrors));
                        continue;
                    }
                    default -> throw new IllegalStateException(outcome.kind().name());
                }
                if (spec.maxRetryAttempts() >= 0 && seg.failures > spec.maxRetryAttempts()) {
                    discard(seg.records, OnFailureMessage.RETRY_ATTEMPTS_EXHAUSTED, seg.invokes, seg.last);
                    work.removeFirst();
                    continue;
                }
                pause(backoff(seg.failures));
            }
        }

        private BatchOutcome invoke(Segment seg) {
            List<Record> records = seg.records;
            List<String> seqs = new ArrayList<>(records.size());
            records.forEach(r -> seqs.add(r.dynamodb().sequenceNumber()));
            byte[] event = StreamEventFactory.event(records, spec.streamArn());
            long t0 = System.nanoTime();
            BatchOutcome outcome;
            String requestId = null;
            invocations.incrementAndGet();
            try {
                InvokeResult result = invoker.invoke(target, event);
                if (result == null) {
                    throw new IllegalStateException("the invoker returned no result");
                }
                requestId = result.requestId();
                outcome = BatchOutcome.of(result, seqs, spec.reportBatchItemFailures());
            } catch (RuntimeException e) {
                if (closed) {
                    throw new Stopped();
                }
                outcome = BatchOutcome.invokerFailed(e);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (outcome.kind() != BatchOutcome.Kind.INVOKE_ERROR) {
                seg.invokes++;
                seg.last = outcome;
            }
            int attempt = outcome.kind() == BatchOutcome.Kind.INVOKE_ERROR ? seg.invokeErrors + 1 : seg.failures + 1;
            log("shard " + shardId + " records=" + records.size() + " seq=" + range(records)
                    + " attempt=" + attempt + " -> " + describe(outcome) + " (" + ms + " ms"
                    + (requestId == null ? "" : ", request " + requestId) + ")");
            return outcome;
        }

        private void discard(List<Record> records, String condition, int invokes, BatchOutcome last) {
            String what = records.size() + " record(s) seq=" + range(records) + " (" + condition + ", " + invokes + " invocation(s))";
            if (onFailure == null) {
                log("shard " + shardId + " DISCARDED " + what + ": no on-failure destination, skipped");
            } else {
                String message = OnFailureMessage.json(spec.functionArn(), spec.streamArn(), shardId, records, condition,
                        invokes, last, options.clock().instant());
                if (sendWithRetries(message)) {
                    onFailureMessages.incrementAndGet();
                    log("shard " + shardId + " DISCARDED " + what + ": sent to " + onFailure.arn);
                } else {
                    log("shard " + shardId + " DISCARDED " + what + ": the on-failure queue did not take it;"
                            + " the message was: " + message);
                }
            }
            recordsDiscarded.addAndGet(records.size());
            checkpoint(records);
        }

        private boolean sendWithRetries(String message) {
            for (int attempt = 1; ; attempt++) {
                try {
                    onFailure.send(message);
                    return true;
                } catch (SdkException e) {
                    if (closed) {
                        throw new Stopped();
                    }
                    log("shard " + shardId + ": sending to the on-failure queue " + onFailure.arn + " failed ("
                            + e.getMessage() + ")" + (attempt < ON_FAILURE_SEND_ATTEMPTS ? "; trying again" : ""));
                    if (attempt >= ON_FAILURE_SEND_ATTEMPTS) {
                        return false;
                    }
                    pause(backoff(attempt));
                }
            }
        }

        private void checkpoint(List<Record> done) {
            checkpoints.put(spec.uuid(), shardId, done.get(done.size() - 1).dynamodb().sequenceNumber());
        }

        private int expiredPrefix(List<Record> records) {
            Instant now = options.clock().instant();
            int n = 0;
            for (Record r : records) {
                Instant created = r.dynamodb().approximateCreationDateTime();
                if (created == null || Duration.between(created, now).toMillis() <= spec.maxRecordAgeSeconds() * 1000L) {
                    break;
                }
                n++;
            }
            return n;
        }
    }

    // ---------------------------------------------------------------- on-failure

    /** The on-failure SQS queue, its URL looked up (GetQueueUrl) on first use. */
    private static final class OnFailureDestination {
        final String arn;
        final String queueName;
        final String account;
        final SqsClient sqs;
        volatile String url;

        OnFailureDestination(String arn, SqsClient sqs) {
            String[] p = arn.split(":", -1);
            if (p.length != 6 || !"arn".equals(p[0]) || !"sqs".equals(p[2]) || p[5].isEmpty()) {
                throw new IllegalArgumentException("the on-failure destination " + arn + " is not an SQS queue ARN"
                        + " (arn:aws:sqs:REGION:ACCOUNT:NAME); only SQS on-failure destinations are supported locally");
            }
            this.arn = arn;
            this.account = p[4];
            this.queueName = p[5];
            this.sqs = sqs;
        }

        void send(String body) {
            if (url == null) {
                url = sqs.getQueueUrl(b -> {
                    b.queueName(queueName);
                    if (!account.isEmpty()) {
                        b.queueOwnerAWSAccountId(account);
                    }
                }).queueUrl();
            }
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
    }

    // ---------------------------------------------------------------- helpers

    private Duration backoff(int attempt) {
        long first = options.retryBackoff().toMillis();
        long ms = first << Math.min(Math.max(attempt - 1, 0), 16);
        return Duration.ofMillis(Math.min(ms, options.maxRetryBackoff().toMillis()));
    }

    /** Waits, or unwinds at once when the poller closes. */
    private void pause(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            if (stop.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Stopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    private void log(String message) {
        try {
            options.log().accept("[esm " + spec.uuid() + "] " + message);
        } catch (RuntimeException ignored) {
            // a broken log sink must not stop the stream
        }
    }

    private String logOnce(String last, String problem) {
        if (!problem.equals(last)) {
            log(problem);
        }
        return problem;
    }

    private static String describe(BatchOutcome o) {
        return switch (o.kind()) {
            case SUCCESS -> "OK";
            case PARTIAL_FAILURE -> "PARTIAL FAILURE: " + o.detail();
            case FUNCTION_ERROR -> "FAILED: " + o.detail();
            case INVOKE_ERROR -> "NOT DELIVERED: " + o.detail();
        };
    }

    private static String range(List<Record> records) {
        String first = records.get(0).dynamodb().sequenceNumber();
        String last = records.get(records.size() - 1).dynamodb().sequenceNumber();
        return first.equals(last) ? first : first + ".." + last;
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("a stream poller needs " + what);
        }
        return value;
    }

    private static EsmSpec validate(EsmSpec spec) {
        require(spec, "an EsmSpec");
        String id = spec.uuid() == null || spec.uuid().isBlank() ? "(no uuid)" : spec.uuid();
        if (spec.uuid() == null || spec.uuid().isBlank()) {
            throw new IllegalArgumentException("event source mapping " + id + ": a uuid is needed (it names the checkpoint file)");
        }
        if (spec.streamArn() == null || !spec.streamArn().contains(":dynamodb:") || !spec.streamArn().contains("/stream/")) {
            throw new IllegalArgumentException("event source mapping " + id + ": " + spec.streamArn()
                    + " is not a DynamoDB stream ARN (only DynamoDB stream event sources are supported)");
        }
        if ((spec.functionName() == null || spec.functionName().isBlank())
                && (spec.functionArn() == null || spec.functionArn().isBlank())) {
            throw new IllegalArgumentException("event source mapping " + id + ": no target function");
        }
        if (!"TRIM_HORIZON".equals(spec.startingPosition()) && !"LATEST".equals(spec.startingPosition())) {
            throw new IllegalArgumentException("event source mapping " + id + ": StartingPosition " + spec.startingPosition()
                    + " is not supported for a DynamoDB stream (TRIM_HORIZON or LATEST)");
        }
        if (spec.batchSize() < 1 || spec.batchSize() > 10_000) {
            throw new IllegalArgumentException("event source mapping " + id + ": BatchSize " + spec.batchSize()
                    + " is out of range (1..10000)");
        }
        if (spec.maxBatchingWindowSeconds() < 0 || spec.maxBatchingWindowSeconds() > 300) {
            throw new IllegalArgumentException("event source mapping " + id + ": MaximumBatchingWindowInSeconds "
                    + spec.maxBatchingWindowSeconds() + " is out of range (0..300)");
        }
        if (spec.maxRetryAttempts() < -1) {
            throw new IllegalArgumentException("event source mapping " + id + ": MaximumRetryAttempts "
                    + spec.maxRetryAttempts() + " is out of range (-1 or 0..10000)");
        }
        if (spec.maxRecordAgeSeconds() < -1) {
            throw new IllegalArgumentException("event source mapping " + id + ": MaximumRecordAgeInSeconds "
                    + spec.maxRecordAgeSeconds() + " is out of range (-1 or more)");
        }
        return spec;
    }
}
