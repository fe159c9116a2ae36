package io.pushcqrs.local.esm;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.SequenceNumberRange;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory DynamoDB Streams API with several shards, lineage, paging and scripted GetRecords failures. */
final class FakeStreams implements DynamoDbStreamsClient {
    static final class FakeShard {
        final String id;
        final String parent;
        final List<Record> records = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        FakeShard(String id, String parent) {
            this.id = id;
            this.parent = parent;
        }
    }

    enum Failure { EXPIRED, SERVER_ERROR }

    final Map<String, FakeShard> shards = new LinkedHashMap<>();
    final Map<Integer, Failure> failOnGetRecordsCall = new ConcurrentHashMap<>();
    final AtomicInteger getRecordsCalls = new AtomicInteger();
    final AtomicInteger failDescribeStream = new AtomicInteger();
    final AtomicInteger describeStreamCalls = new AtomicInteger();
    /** DescribeStream answers ResourceNotFoundException, as for a stream that does not exist. */
    volatile boolean streamMissing;
    final AtomicInteger shardGoneOnGetShardIterator = new AtomicInteger();
    final List<String> iteratorRequests = new CopyOnWriteArrayList<>();
    volatile int pageSize = 1;
    private final AtomicInteger seq = new AtomicInteger(100);

    synchronized FakeShard shard(String id, String parent) {
        return shards.computeIfAbsent(id, k -> new FakeShard(id, parent));
    }

    /** Appends records with the given ids (key "id") to a shard; sequence numbers grow across the whole stream. */
    void add(String shardId, String... ids) {
        for (String id : ids) {
            shards.get(shardId).records.add(Record.builder().eventID(id).eventName(OperationType.INSERT).awsRegion("us-east-1")
                    .dynamodb(StreamRecord.builder().approximateCreationDateTime(Instant.now())
                            .keys(Map.of("id", AttributeValue.fromS(id))).newImage(Map.of("id", AttributeValue.fromS(id)))
                            .sequenceNumber(Integer.toString(seq.incrementAndGet())).sizeBytes(10L)
                            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                    .build());
        }
    }

    /** Appends one record whose new image holds {@code bytes} characters. */
    void addBig(String shardId, String id, int bytes) {
        shards.get(shardId).records.add(Record.builder().eventID(id).eventName(OperationType.INSERT).awsRegion("us-east-1")
                .dynamodb(StreamRecord.builder().approximateCreationDateTime(Instant.now())
                        .keys(Map.of("id", AttributeValue.fromS(id)))
                        .newImage(Map.of("id", AttributeValue.fromS(id), "blob", AttributeValue.fromS("x".repeat(bytes))))
                        .sequenceNumber(Integer.toString(seq.incrementAndGet())).sizeBytes((long) bytes)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build());
    }

    @Override
    public synchronized DescribeStreamResponse describeStream(DescribeStreamRequest request) {
        describeStreamCalls.incrementAndGet();
        if (streamMissing) {
            throw ResourceNotFoundException.builder().message("Requested resource not found: Stream: " + request.streamArn()
                    + " not found").awsErrorDetails(AwsErrorDetails.builder().errorMessage("Requested resource not found")
                    .build()).build();
        }
        if (failDescribeStream.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        }
        List<FakeShard> all = new ArrayList<>(shards.values());
        int from = 0;
        if (request.exclusiveStartShardId() != null) {
            from = indexOf(all, request.exclusiveStartShardId()) + 1;
        }
        int to = Math.min(all.size(), from + pageSize);
        List<Shard> page = new ArrayList<>();
        for (FakeShard s : all.subList(from, to)) {
            String first = s.records.isEmpty() ? null : s.records.get(0).dynamodb().sequenceNumber();
            String last = s.closed && !s.records.isEmpty() ? s.records.get(s.records.size() - 1).dynamodb().sequenceNumber() : null;
            page.add(Shard.builder().shardId(s.id).parentShardId(s.parent)
                    .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber(first)
                            .endingSequenceNumber(s.closed ? (last == null ? "0" : last) : null).build()).build());
        }
        return DescribeStreamResponse.builder().streamDescription(StreamDescription.builder()
                .streamArn(request.streamArn()).shards(page)
                .lastEvaluatedShardId(to < all.size() ? all.get(to - 1).id : null).build()).build();
    }

    @Override
    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest r) {
        FakeShard s = shards.get(r.shardId());
        if (shardGoneOnGetShardIterator.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw ResourceNotFoundException.builder().message("Requested resource not found: Shard not found")
                    .awsErrorDetails(AwsErrorDetails.builder().errorMessage("Requested resource not found: Shard not found").build())
                    .build();
        }
        iteratorRequests.add(r.shardId() + " " + r.shardIteratorTypeAsString() + (r.sequenceNumber() == null ? "" : " " + r.sequenceNumber()));
        int pos = switch (r.shardIteratorType()) {
            case TRIM_HORIZON -> 0;
            case LATEST -> s.records.size();
            case AFTER_SEQUENCE_NUMBER -> positionOf(s, r.sequenceNumber()) + 1;
            case AT_SEQUENCE_NUMBER -> positionOf(s, r.sequenceNumber());
            default -> throw new IllegalArgumentException(r.shardIteratorTypeAsString());
        };
        return GetShardIteratorResponse.builder().shardIterator(s.id + "|" + pos).build();
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest r) {
        int call = getRecordsCalls.incrementAndGet();
        Failure f = failOnGetRecordsCall.remove(call);
        if (f == Failure.EXPIRED) {
            throw ExpiredIteratorException.builder().message("Iterator expired").build();
        }
        if (f == Failure.SERVER_ERROR) {
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        }
        String[] parts = r.shardIterator().split("\\|");
        FakeShard s = shards.get(parts[0]);
        int pos = Integer.parseInt(parts[1]);
        List<Record> snapshot = new ArrayList<>(s.records);
        int to = Math.min(snapshot.size(), pos + (r.limit() == null ? 1000 : r.limit()));
        List<Record> out = pos >= snapshot.size() ? List.of() : snapshot.subList(pos, to);
        String next = s.closed && to >= snapshot.size() ? null : s.id + "|" + Math.max(pos, to);
        return GetRecordsResponse.builder().records(out).nextShardIterator(next).build();
    }

    private static int positionOf(FakeShard s, String sequenceNumber) {
        for (int i = 0; i < s.records.size(); i++) {
            if (s.records.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        throw TrimmedDataAccessException.builder().message("no record " + sequenceNumber + " in " + s.id
                + " (beyond the retention)").build();
    }

    private static int indexOf(List<FakeShard> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id.equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
