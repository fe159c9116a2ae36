package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static io.pushcqrs.infra.Synth.getAtt;
import static io.pushcqrs.infra.Synth.json;
import static io.pushcqrs.infra.Synth.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamMappingTest {
    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void oneMappingFromCommandRecordsStreamToTheStreamProcessorWithSafeSettings() {
        dev.template().resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        JsonNode p = dev.ofType("AWS::Lambda::EventSourceMapping").values().iterator().next().get("Properties");
        String dlqId = dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq");

        Map<String, JsonNode> actual = new TreeMap<>();
        p.properties().forEach(e -> actual.put(e.getKey(), e.getValue()));
        actual.remove("Tags");
        Map<String, JsonNode> expected = new TreeMap<>(Map.of(
                "EventSourceArn", getAtt(dev.tableId("command-records"), "StreamArn"),
                "FunctionName", ref(dev.functionId(LambdaModule.STREAM_PROCESSOR)),
                "StartingPosition", json("\"TRIM_HORIZON\""),
                "BatchSize", json("100"),
                "MaximumBatchingWindowInSeconds", json("0"),
                "BisectBatchOnFunctionError", json("true"),
                // retried until 22 h old (no count), so an outage never sends good records to the on-failure queue
                "MaximumRetryAttempts", json("-1"),
                "MaximumRecordAgeInSeconds", json("79200"),
                "FunctionResponseTypes", json("[\"ReportBatchItemFailures\"]"),
                "ParallelizationFactor", json("1")));
        expected.put("DestinationConfig", json("{\"OnFailure\":{\"Destination\":" + getAtt(dlqId, "Arn") + "}}"));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void theBatchingWindowIsAStageSettingOfZeroToThreeHundredSeconds() {
        JsonNode p = Synth.of(Map.of(StreamProjection.CTX_BATCHING_WINDOW, "1"))
                .ofType("AWS::Lambda::EventSourceMapping").values().iterator().next().get("Properties");
        assertThat(p.get("MaximumBatchingWindowInSeconds").asInt()).isEqualTo(1);
        assertThat(StreamProjection.batchingWindowSeconds(null)).isZero();
        assertThat(StreamProjection.batchingWindowSeconds("300")).isEqualTo(300);
        for (String bad : new String[] {"-1", "301", "0.5", "1s"}) {
            assertThatThrownBy(() -> StreamProjection.batchingWindowSeconds(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("streamBatchingWindowSeconds='" + bad + "'")
                    .hasMessageContaining("0 to 300");
        }
    }

    @Test
    void theOnFailureQueueKeepsMessages14DaysEncrypted() {
        dev.template().resourceCountIs("AWS::SQS::Queue", 1);
        String dlqId = dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq");
        JsonNode p = dev.properties(dlqId);
        assertThat(p.get("MessageRetentionPeriod").asInt()).isEqualTo(14 * 24 * 3600);
        assertThat(p.get("SqsManagedSseEnabled").asBoolean()).isTrue();
        assertThat(p.has("KmsMasterKeyId")).isFalse();
        assertThat(dev.resource(dlqId).get("DeletionPolicy").asText()).isEqualTo("Retain");
    }

    @Test
    void theQueueRefusesUnencryptedTransport() {
        JsonNode policy = dev.ofType("AWS::SQS::QueuePolicy").values().iterator().next().get("Properties");
        JsonNode statement = policy.at("/PolicyDocument/Statement/0");
        assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
    }
}
