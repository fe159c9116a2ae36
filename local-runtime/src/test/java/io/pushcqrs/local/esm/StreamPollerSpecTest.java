package io.pushcqrs.local.esm;

import io.pushcqrs.local.esm.EsmTestSupport.FakeInvoker;
import io.pushcqrs.local.esm.EsmTestSupport.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mapping the poller cannot honour is refused with a message that names the setting. */
class StreamPollerSpecTest {
    static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000";
    static final String FN = "arn:aws:lambda:us-east-1:1:function:fn";

    @TempDir
    Path dir;

    final Log log = new Log();

    static EsmSpec spec(String uuid, String stream, String start, int batch, int window, int retries, int age, String onFailure) {
        return new EsmSpec(uuid, "fn", FN, stream, start, batch, window, false, retries, age, false, onFailure, true);
    }

    StreamPoller poller(EsmSpec spec, SqsClient sqs) {
        return new StreamPoller(spec, new FakeStreams(), sqs, new FakeInvoker(), new CheckpointStore(dir),
                EsmTestSupport.fastOptions(log, Clock.systemUTC()));
    }

    void refused(EsmSpec spec, String message) {
        assertThatThrownBy(() -> poller(spec, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void refusesSettingsItCannotHonour() {
        refused(spec(" ", STREAM, "LATEST", 1, 0, 0, -1, null), "a uuid is needed");
        refused(spec("m", "arn:aws:kinesis:us-east-1:1:stream/s", "LATEST", 1, 0, 0, -1, null),
                "is not a DynamoDB stream ARN (only DynamoDB stream event sources are supported)");
        refused(spec("m", STREAM, "AT_TIMESTAMP", 1, 0, 0, -1, null), "StartingPosition AT_TIMESTAMP is not supported");
        refused(spec("m", STREAM, "LATEST", 0, 0, 0, -1, null), "BatchSize 0 is out of range (1..10000)");
        refused(spec("m", STREAM, "LATEST", 10_001, 0, 0, -1, null), "BatchSize 10001");
        refused(spec("m", STREAM, "LATEST", 1, 301, 0, -1, null), "MaximumBatchingWindowInSeconds 301");
        refused(spec("m", STREAM, "LATEST", 1, -1, 0, -1, null), "MaximumBatchingWindowInSeconds -1");
        refused(spec("m", STREAM, "LATEST", 1, 0, -2, -1, null), "MaximumRetryAttempts -2");
        refused(spec("m", STREAM, "LATEST", 1, 0, 10_001, -1, null), "MaximumRetryAttempts 10001 is out of range (-1 or 0..10000)");
        refused(spec("m", STREAM, "LATEST", 1, 0, 0, -2, null), "MaximumRecordAgeInSeconds -2");
        refused(spec("m", STREAM, "LATEST", 1, 0, 0, 0, null), "MaximumRecordAgeInSeconds 0 is out of range (-1, or 60..604800)");
        refused(spec("m", STREAM, "LATEST", 1, 0, 0, 59, null), "MaximumRecordAgeInSeconds 59");
        refused(spec("m", STREAM, "LATEST", 1, 0, 0, 604_801, null), "MaximumRecordAgeInSeconds 604801");
        // what the template sets (docs/reliability.md): no count, 22 h
        poller(spec("m", STREAM, "LATEST", 1, 0, -1, 79_200, null), null).close();
        poller(spec("m", STREAM, "LATEST", 1, 0, 10_000, 604_800, null), null).close();
        refused(new EsmSpec("m", null, " ", STREAM, "LATEST", 1, 0, false, 0, -1, false, null, true), "no target function");
        refused(spec("m", STREAM, "LATEST", 1, 0, 0, -1, "arn:aws:sqs:us-east-1:1:dlq"),
                "needs an SqsClient (the mapping has an on-failure queue)");
        try (SqsClient sqs = SqsClient.builder().region(io.pushcqrs.moto.LocalAws.REGION)
                .credentialsProvider(io.pushcqrs.moto.LocalAws.CREDENTIALS)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            assertThatThrownBy(() -> poller(spec("m", STREAM, "LATEST", 1, 0, 0, -1, "arn:aws:sns:us-east-1:1:topic"), sqs))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("arn:aws:sns:us-east-1:1:topic is not an SQS queue ARN")
                    .hasMessageContaining("only SQS on-failure destinations are supported locally");
        }
        assertThatThrownBy(() -> new StreamPoller(null, new FakeStreams(), null, new FakeInvoker(), new CheckpointStore(dir)))
                .hasMessageContaining("needs an EsmSpec");
        assertThatThrownBy(() -> new StreamPoller(spec("m", STREAM, "LATEST", 1, 0, 0, -1, null), null, null, new FakeInvoker(),
                new CheckpointStore(dir))).hasMessageContaining("needs a DynamoDbStreamsClient");
    }

    @Test
    void aDisabledMappingDoesNotPoll() {
        EsmSpec off = new EsmSpec("off", "fn", FN, STREAM, "TRIM_HORIZON", 1, 0, false, 0, -1, false, null, false);
        StreamPoller p = poller(off, null);
        p.start();
        assertThat(p.isRunning()).isFalse();
        assertThat(log.contains("[esm off] disabled (Enabled: false)")).isTrue();
        p.close();
    }

    @Test
    void startsOnceAndNotAfterClose() {
        StreamPoller p = poller(spec("once", STREAM, "TRIM_HORIZON", 1, 0, 0, -1, null), null);
        p.start();
        assertThat(p.isRunning()).isTrue();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        p.close();
        p.close();
        assertThat(p.isRunning()).isFalse();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }
}
