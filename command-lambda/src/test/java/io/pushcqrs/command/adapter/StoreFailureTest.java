package io.pushcqrs.command.adapter;

import io.pushcqrs.awstest.FakeAwsEndpoint;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.model.error.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How the adapter classifies DynamoDB failures, with real SDK exceptions: the function's own client
 * (DynamoDbClients: standard retries, timeouts) against an endpoint that answers DynamoDB-shaped errors.
 * Request rejections are 400, configuration faults 500, throttling and 5xx (after the SDK's retries),
 * timeouts and unreachable endpoints 503. (Before: every 4xx but throttling escaped as a bare 500.)
 */
class StoreFailureTest {
    static final String TABLE = "fake-command-records";
    final FakeAwsEndpoint endpoint = new FakeAwsEndpoint();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    static Notification n() {
        return Notification.builder().transactionId("t").createdAt(1L).userId("u").platform(Platform.IOS)
                .deviceToken("d").status(Status.SENT).version(1L).build();
    }

    /** Runs body with the function's client pointed at the fake endpoint. */
    void withRepository(Consumer<DynamoDbCommandRepository> body) {
        SdkSettings.withEndpoint(endpoint.endpoint().toString(), () -> {
            try (DynamoDbClient client = AwsClients.build(DynamoDbClient.builder(), Env.of(Map.of()), AwsClients.Settings.DEFAULT)) {
                body.accept(new DynamoDbCommandRepository(client, TABLE));
            }
        });
    }

    @Test
    void aValidationExceptionIsA400NamingTheField() {
        endpoint.jsonError(400, "ValidationException",
                "One or more parameter values were invalid: An AttributeValue may not contain an empty string. Key: transaction_id");
        withRepository(repo -> {
            AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.insert(n()));
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("transaction_id"));
            assertThat(e.getMessage()).startsWith("dynamodb:PutItem on table/" + TABLE + " failed: ValidationException");
        });
        assertThat(endpoint.requests()).isEqualTo(1); // not retried
    }

    @Test
    void anItemTooLargeIsA400() {
        endpoint.jsonError(400, "ValidationException", "Item size has exceeded the maximum allowed size");
        withRepository(repo -> {
            AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.insert(n()));
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.toBody().message()).startsWith("body: was refused by the store: Item size has exceeded");
        });
    }

    @Test
    void accessDeniedAndUnknownCredentialsAre500NamingActionAndTable() {
        for (String code : new String[]{"AccessDeniedException", "UnrecognizedClientException"}) {
            endpoint.jsonError(400, code, "User: arn:aws:sts::123456789012:assumed-role/r/f is not authorized to perform: "
                    + "dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:123456789012:table/" + TABLE);
            withRepository(repo -> {
                AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.findAll("t"));
                assertThat(e.code()).as(code).isEqualTo(ErrorCode.INTERNAL_ERROR);
                assertThat(e.failure().kind()).isEqualTo(AwsFailure.Kind.MISCONFIGURED);
                assertThat(e.getMessage()).startsWith("dynamodb:Query on table/" + TABLE + " failed: " + code);
                assertThat(e.toBody().message()).isEqualTo("internal error");
            });
        }
    }

    @Test
    void throttlingIsUnavailableAfterTheSdksRetries() {
        endpoint.jsonError(400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput"
                + " for the table was exceeded");
        withRepository(repo -> {
            AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.insert(n()));
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getCause()).isInstanceOf(ProvisionedThroughputExceededException.class);
        });
        assertThat(endpoint.requests()).isEqualTo(3); // the standard retry mode's three attempts
    }

    @Test
    void serverErrorsAreUnavailable() {
        endpoint.jsonError(500, "InternalServerError", "Internal server error");
        withRepository(repo -> {
            AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.find("t", 1L));
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getCause()).isInstanceOf(InternalServerErrorException.class);
        });
    }

    @Test
    void unreachableEndpointIsUnavailable() {
        // the function's own client configuration; nothing listens on port 1: connection refused after its retries
        SdkSettings.withEndpoint("http://127.0.0.1:1", () -> {
            try (DynamoDbClient client = AwsClients.build(DynamoDbClient.builder(), Env.of(Map.of()), AwsClients.Settings.DEFAULT)) {
                DynamoDbCommandRepository repo = new DynamoDbCommandRepository(client, TABLE);
                AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.find("t", 1L));
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.getMessage()).contains("dynamodb:GetItem on table/" + TABLE);
            }
        });
    }
}
