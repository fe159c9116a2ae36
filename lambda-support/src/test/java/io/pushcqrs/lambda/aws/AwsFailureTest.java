package io.pushcqrs.lambda.aws;

import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** The classification of SDK failures (the adapters' tests provoke the same ones through real HTTP answers). */
class AwsFailureTest {
    static final String ACTION = "dynamodb:PutItem";
    static final String RESOURCE = "table/dev-command-records";

    static SdkException service(int status, String code, String message) {
        return DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    static AwsFailure classify(SdkException e) {
        return AwsFailure.classify(e, ACTION, RESOURCE);
    }

    @Test
    void rejectionsOfTheRequestAre400NamingTheField() {
        AwsFailure f = classify(service(400, "ValidationException",
                "One or more parameter values were invalid: An AttributeValue may not contain an empty string. Key: transaction_id"));
        assertThat(f.kind()).isEqualTo(AwsFailure.Kind.REJECTED);
        assertThat(f.field()).isEqualTo("transaction_id");
        AwsCallException e = f.exception(null);
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        ErrorBody body = e.toBody();
        assertThat(body.message()).startsWith("transaction_id: was refused by the store: One or more parameter values");
        assertThat(body.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("transaction_id"));

        AwsFailure tooLarge = classify(service(400, "ValidationException", "Item size has exceeded the maximum allowed size"));
        assertThat(tooLarge.kind()).isEqualTo(AwsFailure.Kind.REJECTED);
        assertThat(tooLarge.field()).isEqualTo("body");
        AwsFailure index = classify(service(400, "ValidationException", "One or more parameter values are not valid. "
                + "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: sns-index, IndexKey: sns_id"));
        assertThat(index.field()).isEqualTo("sns_id");
        assertThat(classify(service(413, "RequestTooLargeException", "Request must be smaller than 6291456 bytes")).kind())
                .isEqualTo(AwsFailure.Kind.REJECTED);
    }

    @Test
    void configurationFaultsAre500AndTheLogLineNamesActionAndResource() {
        for (String code : new String[]{"AccessDeniedException", "UnrecognizedClientException", "ResourceNotFoundException",
                "KMSAccessDeniedException", "SomethingNewException"}) {
            AwsFailure f = classify(service(code.startsWith("KMS") ? 502 : 400, code, "User: arn:aws:sts::1:assumed-role/x is not authorized"));
            assertThat(f.kind()).as(code).isEqualTo(AwsFailure.Kind.MISCONFIGURED);
            AwsCallException e = f.exception(null);
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(e.getMessage()).startsWith("dynamodb:PutItem on table/dev-command-records failed: " + code);
            assertThat(e.toBody().message()).isEqualTo("internal error").doesNotContain("arn:");
        }
        assertThat(classify(ResourceNotFoundException.builder().statusCode(400).message("Requested resource not found").build())
                .kind()).isEqualTo(AwsFailure.Kind.MISCONFIGURED);
        // no credentials: a client-side failure without I/O behind it
        assertThat(classify(SdkClientException.create("Unable to load credentials from any of the providers")).kind())
                .isEqualTo(AwsFailure.Kind.MISCONFIGURED);
    }

    @Test
    void throttlingServerErrorsTimeoutsAndUnreachableEndpointsAre503() {
        assertThat(classify(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build())
                .kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);
        for (String code : new String[]{"ThrottlingException", "RequestLimitExceeded", "TransactionConflictException",
                "TooManyRequestsException", "ResourceConflictException", "RequestThrottled", "KmsThrottled"}) {
            assertThat(classify(service(code.equals("TooManyRequestsException") ? 429 : 400, code, "slow down")).kind())
                    .as(code).isEqualTo(AwsFailure.Kind.UNAVAILABLE);
        }
        assertThat(classify(service(500, "InternalServerError", "oops")).kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);
        assertThat(classify(service(503, "ServiceUnavailable", "later")).kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);
        assertThat(classify(ApiCallTimeoutException.create(8000)).kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);
        assertThat(classify(SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused")).build()).kind()).isEqualTo(AwsFailure.Kind.UNAVAILABLE);
        AwsCallException e = classify(service(500, "InternalServerError", "oops")).exception(null);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.toBody().message()).isEqualTo(AwsCallException.UNAVAILABLE_MESSAGE);
    }
}
