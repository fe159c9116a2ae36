package io.pushcqrs.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.esm.rules.BatchOutcome;
import io.pushcqrs.local.lambda.InvokeResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnFailureMessageTest {
    static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:fn";

    @Test
    void hasTheShapeAwsSendsForRetriesExhausted() throws Exception {
        var r1 = StreamEventFactoryTest.record("100", OperationType.INSERT, Map.of(), null, Instant.parse("2024-01-01T00:00:01.400Z"));
        var r2 = StreamEventFactoryTest.record("200", OperationType.INSERT, Map.of(), null, Instant.parse("2024-01-01T00:00:05.900Z"));
        BatchOutcome last = BatchOutcome.of(new InvokeResult(200, "{}".getBytes(), "Unhandled", "r", 1), List.of("100", "200"), true);
        String json = OnFailureMessage.json(FN, StreamEventFactoryTest.STREAM, "shardId-1", List.of(r1, r2),
                OnFailureMessage.RETRY_ATTEMPTS_EXHAUSTED, 4, last, Instant.parse("2024-01-01T00:01:00.123456Z"));

        JsonNode m = StreamEventFactory.JSON.readTree(json);
        assertThat(m.at("/requestContext/requestId").asText()).matches("[0-9a-f-]{36}");
        assertThat(m.at("/requestContext/functionArn").asText()).isEqualTo(FN);
        assertThat(m.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(4);
        assertThat(m.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(m.at("/responseContext/executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(m.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(m.get("version").asText()).isEqualTo("1.0");
        assertThat(m.get("timestamp").asText()).isEqualTo("2024-01-01T00:01:00.123Z");
        JsonNode info = m.get("DDBStreamBatchInfo");
        assertThat(info.get("shardId").asText()).isEqualTo("shardId-1");
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo("100");
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo("200");
        assertThat(info.get("approximateArrivalOfFirstRecord").asText()).isEqualTo("2024-01-01T00:00:01Z");
        assertThat(info.get("approximateArrivalOfLastRecord").asText()).isEqualTo("2024-01-01T00:00:05Z");
        assertThat(info.get("batchSize").asInt()).isEqualTo(2);
        assertThat(info.get("streamArn").asText()).isEqualTo(StreamEventFactoryTest.STREAM);
    }

    @Test
    void aPartialFailureHasANullFunctionErrorAndAnAgedBatchThatWasNeverSentHasNoResponse() throws Exception {
        var r = StreamEventFactoryTest.record("100", OperationType.INSERT, Map.of(), null, Instant.parse("2024-01-01T00:00:00Z"));
        BatchOutcome partial = BatchOutcome.of(new InvokeResult(200,
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"100\"}]}".getBytes(), null, "r", 1), List.of("100"), true);
        JsonNode m = StreamEventFactory.JSON.readTree(OnFailureMessage.json(FN, "s", "sh", List.of(r),
                OnFailureMessage.RETRY_ATTEMPTS_EXHAUSTED, 1, partial, Instant.now()));
        assertThat(m.at("/responseContext/functionError").isNull()).isTrue();

        JsonNode aged = StreamEventFactory.JSON.readTree(OnFailureMessage.json(FN, "s", "sh", List.of(r),
                OnFailureMessage.RECORD_AGE_EXCEEDED, 0, null, Instant.now()));
        assertThat(aged.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(aged.at("/requestContext/approximateInvokeCount").asInt()).isZero();
        assertThat(aged.has("responseContext")).isFalse();
    }

    @Test
    void needsARecord() {
        assertThatThrownBy(() -> OnFailureMessage.json(FN, "s", "sh", List.of(), "x", 0, null, Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
