package io.pushcqrs.ops.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the on-failure queue holds for this run: the transaction_ids its messages name, either in their body (the
 * stream-processor's own message about a record it cannot map) or through the stream records a mapping's
 * on-failure message points at (DDBStreamBatchInfo: shard and sequence numbers, read back from the stream). Messages
 * are read, not deleted (they become visible again after the visibility timeout): the queue stays for replay.
 */
final class DlqAccounting {
    private final SqsClient sqs;
    private final DynamoDbStreamsClient streams;
    private final String queueUrl;
    private final Pattern ids;
    private final Set<String> seenMessages = new LinkedHashSet<>();
    final Set<String> named = new LinkedHashSet<>();
    int messages;
    /** Mapping messages whose stream records could not be read back. */
    int unresolved;

    /** @param runPrefix the run's transaction_id prefix: ids of this run are found in message bodies by it */
    DlqAccounting(SqsClient sqs, DynamoDbStreamsClient streams, String queueUrl, String runPrefix) {
        this.sqs = sqs;
        this.streams = streams;
        this.queueUrl = queueUrl;
        this.ids = Pattern.compile(Pattern.quote(runPrefix) + "[A-Za-z0-9-]*");
    }

    /** Reads what is new in the queue (until a receive brings nothing new); returns how many new messages. */
    int poll() {
        int fresh = 0;
        for (int round = 0; round < 1000; round++) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout(120)).messages();
            int before = fresh;
            for (Message m : got) {
                if (seenMessages.add(m.messageId())) {
                    fresh++;
                    messages++;
                    account(m.body());
                }
            }
            if (got.isEmpty() || fresh == before) {
                break;
            }
        }
        return fresh;
    }

    void account(String body) {
        Matcher m = ids.matcher(body);
        while (m.find()) {
            named.add(m.group());
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return;
        }
        JsonNode info = json == null ? null : json.get("DDBStreamBatchInfo");
        // the stream-processor's own message names its record's keys (poisonRecord); a mapping's message only points
        // at a range of the stream, read back here
        if (info != null && streams != null && !json.has("poisonRecord") && info.path("shardId").isTextual()) {
            try {
                readBack(info);
            } catch (RuntimeException e) {
                unresolved++;
            }
        }
    }

    private void readBack(JsonNode info) {
        String streamArn = info.path("streamArn").asText();
        String shard = info.path("shardId").asText();
        BigInteger end = new BigInteger(info.path("endSequenceNumber").asText("0"));
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .sequenceNumber(info.path("startSequenceNumber").asText())).shardIterator();
        for (int pages = 0; iterator != null && pages < 10_000; pages++) {
            String it = iterator;
            GetRecordsResponse r = streams.getRecords(b -> b.shardIterator(it).limit(1000));
            for (Record rec : r.records()) {
                if (new BigInteger(rec.dynamodb().sequenceNumber()).compareTo(end) > 0) {
                    return;
                }
                var key = rec.dynamodb().keys().get("transaction_id");
                if (key != null && key.s() != null) {
                    Matcher m = ids.matcher(key.s());
                    if (m.matches()) {
                        named.add(key.s());
                    }
                }
            }
            if (r.records().isEmpty()) {
                return;
            }
            iterator = r.nextShardIterator();
        }
    }
}
