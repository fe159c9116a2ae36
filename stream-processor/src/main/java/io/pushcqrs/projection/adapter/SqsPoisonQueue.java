package io.pushcqrs.projection.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.PoisonQueue;
import io.pushcqrs.projection.app.PoisonRecord;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * The stream's on-failure queue (ON_FAILURE_QUEUE_URL, the queue the event source mapping sends its own messages to),
 * as the projection sends poison records to it. The message has the shape of the mapping's on-failure message, so
 * one reader handles both (docs/reliability.md, "Poison records"):
 * <pre>{"requestContext":{"requestId":..,"functionArn":..,"condition":"PoisonRecord","approximateInvokeCount":1},
 *  "version":"1.0","timestamp":"..",
 *  "DDBStreamBatchInfo":{"shardId":null,"startSequenceNumber":S,"endSequenceNumber":S,
 *    "approximateArrivalOfFirstRecord":"..","approximateArrivalOfLastRecord":"..","batchSize":1,"streamArn":..},
 *  "poisonRecord":{"eventID":..,"eventName":..,"sequenceNumber":S,"keys":{"transaction_id":{"S":..},"created_at":{"N":..}},
 *    "reason":".."}}</pre>
 * A Lambda stream event carries no shard id ({@code shardId} is null: the sequence number finds the shard, see
 * DescribeStream), and no image goes into the message: the keys find the item. A failed send is thrown classified
 * ({@link AwsFailure}): the projection retries it when transient, else reports the record failed.
 */
public final class SqsPoisonQueue implements PoisonQueue {
    /** The condition of a handler's poison message (the mapping's are RetryAttemptsExhausted, RecordAgeExceeded). */
    public static final String CONDITION = "PoisonRecord";
    private static final int MAX_REASON = 2_000;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    public SqsPoisonQueue(SqsClient sqs, String queueUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    /** The queue of the function: ON_FAILURE_QUEUE_URL (required). */
    public static SqsPoisonQueue fromEnvironment(Env env) {
        String url = env.required("ON_FAILURE_QUEUE_URL", "the stream's on-failure SQS queue, for poison records");
        return new SqsPoisonQueue(AwsClients.build(SqsClient.builder(), env, AwsClients.Settings.DEFAULT), url,
                Clock.systemUTC());
    }

    @Override
    public void send(PoisonRecord poison) {
        String body = message(poison, clock.instant());
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        } catch (SdkException e) {
            throw AwsFailure.classify(e, "sqs:SendMessage", "queue/" + queueName(queueUrl)).exception(e);
        }
    }

    /** The message of a poison record. */
    public static String message(PoisonRecord poison, Instant now) {
        ChangeRecord r = poison.record();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", poison.invocation().requestId() != null ? poison.invocation().requestId()
                : UUID.randomUUID().toString());
        request.put("functionArn", poison.invocation().functionArn());
        request.put("condition", CONDITION);
        request.put("approximateInvokeCount", 1);
        root.put("version", "1.0");
        root.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS)));
        ObjectNode info = root.putObject("DDBStreamBatchInfo");
        info.putNull("shardId");
        info.put("startSequenceNumber", r.sequenceNumber());
        info.put("endSequenceNumber", r.sequenceNumber());
        String arrival = r.changedAt() == null ? null
                : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(r.changedAt()).truncatedTo(ChronoUnit.SECONDS));
        info.put("approximateArrivalOfFirstRecord", arrival);
        info.put("approximateArrivalOfLastRecord", arrival);
        info.put("batchSize", 1);
        info.put("streamArn", r.sourceArn());
        ObjectNode record = root.putObject("poisonRecord");
        record.put("eventID", r.eventId());
        record.put("eventName", r.eventName());
        record.put("sequenceNumber", r.sequenceNumber());
        ObjectNode keys = record.putObject("keys");
        keysOf(r).forEach((name, value) -> keys.set(name, DynamoJson.of(value)));
        String reason = poison.reason() == null ? "" : poison.reason();
        record.put("reason", reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason);
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The item's key: the record's Keys, else the key attributes of its images. */
    private static Map<String, AttributeValue> keysOf(ChangeRecord r) {
        if (!r.keys().isEmpty()) {
            return r.keys();
        }
        Map<String, AttributeValue> image = r.newImage().isEmpty() ? r.oldImage() : r.newImage();
        Map<String, AttributeValue> keys = new java.util.LinkedHashMap<>();
        for (String name : new String[]{"transaction_id", "created_at"}) {
            if (image.containsKey(name)) {
                keys.put(name, image.get(name));
            }
        }
        return keys;
    }

    /** The queue's name: the last part of its URL. */
    static String queueName(String url) {
        int slash = url.lastIndexOf('/');
        return slash < 0 ? url : url.substring(slash + 1);
    }
}
