package io.pushcqrs.projection.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.awstest.FakeAwsEndpoint;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.Invocation;
import io.pushcqrs.projection.app.PoisonRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Poison records sent to a real SQS queue (moto), and what a failed send becomes. */
class SqsPoisonQueueTest {
    static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/dev-command-records/stream/2026-01-01T00:00:00.000";
    static final ChangeRecord RECORD = new ChangeRecord("ev-1", "INSERT", "4421584500000000017450439091",
            Map.of("transaction_id", AttributeValue.fromS("tx-1"), "created_at", AttributeValue.fromN("1764140399123")),
            Map.of(), Map.of("platform", AttributeValue.fromS("BLACKBERRY")), 1764140400_000L, STREAM);
    static final Invocation INVOCATION = new Invocation("req-7", "arn:aws:lambda:us-east-1:123456789012:function:dev-stream-processor",
            () -> 1000);

    @Test
    void theMessageHasTheMappingsShapeAndTheKeys() throws Exception {
        JsonNode m = Json.MAPPER.readTree(SqsPoisonQueue.message(new PoisonRecord(RECORD, "mapping error: platform: unknown value 'BLACKBERRY'",
                INVOCATION), Instant.parse("2026-12-02T10:00:00.123456Z")));

        assertThat(m.at("/requestContext/requestId").asText()).isEqualTo("req-7");
        assertThat(m.at("/requestContext/functionArn").asText()).endsWith(":function:dev-stream-processor");
        assertThat(m.at("/requestContext/condition").asText()).isEqualTo("PoisonRecord");
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(m.path("version").asText()).isEqualTo("1.0");
        assertThat(m.path("timestamp").asText()).isEqualTo("2026-12-02T10:00:00.123Z");
        JsonNode info = m.path("DDBStreamBatchInfo");
        assertThat(info.path("shardId").isNull()).isTrue();
        assertThat(info.path("startSequenceNumber").asText()).isEqualTo("4421584500000000017450439091");
        assertThat(info.path("endSequenceNumber").asText()).isEqualTo("4421584500000000017450439091");
        assertThat(info.path("approximateArrivalOfFirstRecord").asText()).isEqualTo("2025-11-26T07:00:00Z");
        assertThat(info.path("batchSize").asInt()).isEqualTo(1);
        assertThat(info.path("streamArn").asText()).isEqualTo(STREAM);
        JsonNode poison = m.path("poisonRecord");
        assertThat(poison.path("eventID").asText()).isEqualTo("ev-1");
        assertThat(poison.path("eventName").asText()).isEqualTo("INSERT");
        assertThat(poison.path("sequenceNumber").asText()).isEqualTo("4421584500000000017450439091");
        assertThat(poison.path("keys")).isEqualTo(Json.MAPPER.readTree(
                "{\"transaction_id\":{\"S\":\"tx-1\"},\"created_at\":{\"N\":\"1764140399123\"}}"));
        assertThat(poison.path("reason").asText()).contains("BLACKBERRY");
        assertThat(m.toString()).as("no image in the message").doesNotContain("\"platform\"");
    }

    @Test
    void withoutKeysTheImagesKeyAttributesAreUsedAndALongReasonIsCut() throws Exception {
        ChangeRecord noKeys = new ChangeRecord("ev-2", "REMOVE", "12", Map.of(),
                Map.of("transaction_id", AttributeValue.fromS("tx-2"), "created_at", AttributeValue.fromS("yesterday"),
                        "user_id", AttributeValue.fromS("u")), Map.of(), null, null);
        JsonNode m = Json.MAPPER.readTree(SqsPoisonQueue.message(new PoisonRecord(noKeys, "x".repeat(5000),
                Invocation.unbounded()), Instant.EPOCH));

        assertThat(m.at("/poisonRecord/keys")).isEqualTo(Json.MAPPER.readTree(
                "{\"transaction_id\":{\"S\":\"tx-2\"},\"created_at\":{\"S\":\"yesterday\"}}"));
        assertThat(m.at("/poisonRecord/reason").asText()).hasSize(2003);
        assertThat(m.at("/requestContext/requestId").asText()).isNotBlank();
        assertThat(m.at("/DDBStreamBatchInfo/approximateArrivalOfFirstRecord").isNull()).isTrue();
    }

    @Test
    @Tag(Tiers.MOTO)
    void sendsToTheQueue() throws Exception {
        try (SqsClient sqs = sqs(MotoServer.shared().endpoint().toString())) {
            String url = sqs.createQueue(b -> b.queueName("poison-test-stream-processor-dlq")).queueUrl();
            new SqsPoisonQueue(sqs, url, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                    .send(new PoisonRecord(RECORD, "mapping error", INVOCATION));

            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
            assertThat(messages).singleElement().satisfies(msg -> assertThat(
                    Json.MAPPER.readTree(msg.body()).at("/poisonRecord/keys/transaction_id/S").asText()).isEqualTo("tx-1"));
        }
    }

    @Test
    @Tag(Tiers.MOTO)
    void aQueueThatDoesNotExistIsAMisconfiguration() {
        try (SqsClient sqs = sqs(MotoServer.shared().endpoint().toString())) {
            String url = MotoServer.shared().endpoint() + "/123456789012/no-such-stream-processor-dlq";
            AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> new SqsPoisonQueue(sqs, url, Clock.systemUTC())
                    .send(new PoisonRecord(RECORD, "r", INVOCATION)));
            assertThat(e.failure().kind()).isEqualTo(AwsFailure.Kind.MISCONFIGURED);
            assertThat(e.getMessage()).startsWith("sqs:SendMessage on queue/no-such-stream-processor-dlq failed");
        }
    }

    @Test
    void throttlingAndServerErrorsAreTransientAfterTheSdksRetries() {
        try (FakeAwsEndpoint endpoint = new FakeAwsEndpoint()) {
            System.setProperty("aws.endpointUrl", endpoint.endpoint().toString());
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            try (SqsClient client = AwsClients.build(SqsClient.builder(), Env.of(Map.of("AWS_REGION", "us-east-1")),
                    AwsClients.Settings.DEFAULT)) {
                SqsPoisonQueue queue = new SqsPoisonQueue(client, endpoint.endpoint() + "/123456789012/dev-stream-processor-dlq",
                        Clock.systemUTC());

                endpoint.jsonError(400, "RequestThrottled", "Rate exceeded");
                AwsCallException throttled = catchThrowableOfType(AwsCallException.class,
                        () -> queue.send(new PoisonRecord(RECORD, "r", INVOCATION)));
                assertThat(throttled.failure().kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);

                endpoint.jsonError(500, "InternalError", "We encountered an internal error");
                AwsCallException internal = catchThrowableOfType(AwsCallException.class,
                        () -> queue.send(new PoisonRecord(RECORD, "r", INVOCATION)));
                assertThat(internal.failure().kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);

                endpoint.jsonError(400, "AccessDenied", "not authorized to perform: sqs:sendmessage");
                AwsCallException denied = catchThrowableOfType(AwsCallException.class,
                        () -> queue.send(new PoisonRecord(RECORD, "r", INVOCATION)));
                assertThat(denied.failure().kind()).isEqualTo(AwsFailure.Kind.MISCONFIGURED);
            } finally {
                System.clearProperty("aws.endpointUrl");
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }

    static SqsClient sqs(String endpoint) {
        return SqsClient.builder().endpointOverride(java.net.URI.create(endpoint)).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
