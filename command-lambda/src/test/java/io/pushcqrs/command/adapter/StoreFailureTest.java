package io.pushcqrs.command.adapter;

import io.pushcqrs.model.aws.DynamoDbClients;

import io.pushcqrs.command.app.CommandStoreUnavailableException;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the adapter classifies DynamoDB failures: retryable ones are "unavailable" (503), others are not. */
class StoreFailureTest {

    /** A client whose every call throws what the supplier makes. */
    static DynamoDbCommandRepository failingWith(Supplier<RuntimeException> failure) {
        DynamoDbClient client = new DynamoDbClient() {
            @Override
            public GetItemResponse getItem(GetItemRequest r) {
                throw failure.get();
            }

            @Override
            public PutItemResponse putItem(PutItemRequest r) {
                throw failure.get();
            }

            @Override
            public QueryResponse query(QueryRequest r) {
                throw failure.get();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
        return new DynamoDbCommandRepository(client, "t");
    }

    static Notification n() {
        return Notification.builder().transactionId("t").createdAt(1L).userId("u").platform(Platform.IOS)
                .deviceToken("d").status(Status.SENT).version(1L).build();
    }

    static DynamoDbException error(int status, String code) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void throttlingIsUnavailable() {
        DynamoDbCommandRepository repo = failingWith(() -> ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build());
        assertThatThrownBy(() -> repo.insert(n())).isInstanceOf(CommandStoreUnavailableException.class)
                .hasMessageContaining("ProvisionedThroughputExceededException");
        DynamoDbCommandRepository limited = failingWith(() -> error(400, "ThrottlingException"));
        assertThatThrownBy(() -> limited.findAll("t")).isInstanceOf(CommandStoreUnavailableException.class);
    }

    @Test
    void serverErrorsAreUnavailable() {
        DynamoDbCommandRepository repo = failingWith(() -> InternalServerErrorException.builder().statusCode(500).build());
        assertThatThrownBy(() -> repo.find("t", 1L)).isInstanceOf(CommandStoreUnavailableException.class);
        DynamoDbCommandRepository down = failingWith(() -> error(503, "ServiceUnavailable"));
        assertThatThrownBy(() -> down.find("t", 1L)).isInstanceOf(CommandStoreUnavailableException.class);
    }

    @Test
    void timeoutsAreUnavailable() {
        DynamoDbCommandRepository repo = failingWith(() -> ApiCallTimeoutException.create(8000));
        assertThatThrownBy(() -> repo.find("t", 1L)).isInstanceOf(CommandStoreUnavailableException.class);
    }

    @Test
    void rejectedRequestsAreNotUnavailable() {
        DynamoDbException validation = error(400, "ValidationException");
        DynamoDbCommandRepository repo = failingWith(() -> validation);
        assertThatThrownBy(() -> repo.insert(n())).isSameAs(validation);
    }

    @Test
    void unreachableEndpointIsUnavailable() {
        // the function's own client configuration; nothing listens on port 1: connection refused after its retries
        SdkSettings.withEndpoint("http://127.0.0.1:1", () -> {
            try (DynamoDbClient client = DynamoDbClients.fromEnvironment(name -> null)) {
                DynamoDbCommandRepository repo = new DynamoDbCommandRepository(client, "t");
                assertThatThrownBy(() -> repo.find("t", 1L)).isInstanceOf(CommandStoreUnavailableException.class)
                        .hasMessageContaining("could not be reached");
            }
        });
    }
}
