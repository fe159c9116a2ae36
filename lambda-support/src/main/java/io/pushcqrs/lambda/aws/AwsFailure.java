package io.pushcqrs.lambda.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one classification of AWS SDK failures (DynamoDB, Lambda, Secrets Manager), used by every adapter
 * after the SDK's own retries have run out:
 * <ul>
 *   <li>{@link Kind#REJECTED}: the service refused what the request carried (DynamoDB's ValidationException
 *       on an attribute, an item over 400 KB, a Lambda payload too large): 400 VALIDATION_ERROR naming the
 *       field when the service's message names one;</li>
 *   <li>{@link Kind#MISCONFIGURED}: the deployment is wrong (AccessDenied, ResourceNotFound, an unknown or
 *       expired credential, a KMS key the role cannot use, and any 4xx this list does not know): 500
 *       INTERNAL_ERROR, logged once with the action and the resource;</li>
 *   <li>{@link Kind#UNAVAILABLE}: throttling, a 5xx, a transaction conflict, a timeout, an endpoint that
 *       cannot be reached: 503 UNAVAILABLE with Retry-After.</li>
 * </ul>
 * The class only touches the SDK's core types, so it loads in a function without the DynamoDB SDK.
 *
 * @param kind       the class of the failure
 * @param action     the IAM action of the call, e.g. {@code dynamodb:PutItem}
 * @param resource   what it addressed, e.g. {@code table/dev-command-records}
 * @param errorCode  the service's error code, or the SDK exception's simple name for client-side failures
 * @param httpStatus the service's HTTP status, 0 when no answer came
 * @param message    the service's (or SDK's) message, one line
 */
public record AwsFailure(Kind kind, String action, String resource, String errorCode, int httpStatus, String message) {

    /** The three answers a failed AWS call can lead to. */
    public enum Kind {
        REJECTED, MISCONFIGURED, UNAVAILABLE
    }

    /** Codes that mean the request's content was refused (the caller can fix it). */
    static final Set<String> REJECTIONS = Set.of(
            "ValidationException",                      // DynamoDB: attribute values, item size, nesting
            "ItemCollectionSizeLimitExceededException", // DynamoDB
            "RequestTooLargeException",                 // Lambda: payload over 6 MB
            "InvalidRequestContentException");          // Lambda: payload not JSON
    /** Codes that mean the deployment is wrong, even where the status says 5xx (Lambda's 502s). */
    static final Set<String> CONFIGURATION = Set.of(
            "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException",
            "MissingAuthenticationTokenException", "MissingAuthenticationToken", "IncompleteSignature",
            "IncompleteSignatureException", "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken",
            "ResourceNotFoundException", "TableNotFoundException", "UnknownOperationException",
            "SerializationException", "InvalidParameterException", "InvalidRequestException", "DecryptionFailure",
            "KMSAccessDeniedException", "KMSDisabledException", "KMSInvalidStateException", "KMSNotFoundException",
            "InvalidRuntimeException", "InvalidSubnetIDException", "InvalidSecurityGroupIDException",
            "InvalidZipFileException", "ENILimitReachedException", "SubnetIPAddressLimitReachedException",
            "EFSMountFailureException", "RecursiveInvocationException");
    /**
     * 4xx codes that a later attempt may not meet: throttling (also as the SDK's exception class names, which an
     * exception carries when it was built without error details) and conflicts with work in flight.
     */
    static final Set<String> TRANSIENT = Set.of(
            "ProvisionedThroughputExceededException", "RequestLimitExceeded", "RequestLimitExceededException",
            "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
            "TransactionConflictException", "TransactionInProgressException", "ResourceConflictException",
            "ResourceNotReadyException", "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
            "EC2ThrottledException", "EC2UnexpectedException", "SnapStartTimeoutException", "EFSMountTimeoutException",
            "EFSMountConnectivityException", "EFSIOException",
            // SQS (the stream processor's on-failure queue): its throttling and KMS throttling codes
            "RequestThrottled", "AWS.SimpleQueueService.RequestThrottled", "KmsThrottled", "KMS.ThrottlingException");

    private static final Pattern FIELD = Pattern.compile(
            "(?:IndexKey|Key|key|attribute name|AttributeName)\\s*:?\\s*:?([A-Za-z0-9_.-]+)");
    private static final int MAX_MESSAGE = 300;

    /** Classifies a failure of {@code action} on {@code resource}. */
    public static AwsFailure classify(SdkException e, String action, String resource) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null
                    ? s.getClass().getSimpleName() : s.awsErrorDetails().errorCode();
            String message = s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
                    ? s.getMessage() : s.awsErrorDetails().errorMessage();
            return new AwsFailure(kindOf(s, code), action, resource, code, s.statusCode(), oneLine(message));
        }
        return new AwsFailure(clientSideKind(e), action, resource, e.getClass().getSimpleName(), 0, oneLine(e.getMessage()));
    }

    /** A failure classified by its caller (a case the caller knows better, such as a transaction's reasons). */
    public static AwsFailure of(Kind kind, String action, String resource, String errorCode, int httpStatus,
                                String message) {
        return new AwsFailure(kind, action, resource, errorCode, httpStatus, oneLine(message));
    }

    private static Kind kindOf(AwsServiceException s, String code) {
        if (REJECTIONS.contains(code)) {
            return Kind.REJECTED;
        }
        if (CONFIGURATION.contains(code)) {
            return Kind.MISCONFIGURED;
        }
        if (s.isThrottlingException() || TRANSIENT.contains(code) || s.statusCode() >= 500) {
            return Kind.UNAVAILABLE;
        }
        if (s.statusCode() == 413) {
            return Kind.REJECTED;
        }
        // An unknown 4xx: our request or our setup is wrong, not the caller's input.
        return Kind.MISCONFIGURED;
    }

    private static Kind clientSideKind(SdkException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || e.retryable()) {
            return Kind.UNAVAILABLE;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return Kind.UNAVAILABLE; // refused, reset, unknown host, read timeout
            }
        }
        // No credentials, no region, a malformed endpoint: the function's setup.
        return Kind.MISCONFIGURED;
    }

    /** The attribute a rejection names (DynamoDB says "Key: x" or "IndexKey: x"), else "body". */
    public String field() {
        if (kind != Kind.REJECTED || message == null) {
            return "body";
        }
        Matcher m = FIELD.matcher(message);
        String found = null;
        while (m.find()) {
            found = m.group(1); // the last one: "IndexName: sns-index, IndexKey: sns_id" names sns_id
        }
        return found == null ? "body" : found;
    }

    /** The one log line of the failure: action, resource, code, status and the service's message. */
    public String describe() {
        return action + " on " + resource + " failed: " + errorCode
                + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + (message == null || message.isEmpty() ? "" : ": " + message)
                + " -> " + kind;
    }

    /** The exception an adapter throws for this failure (the API answer comes from its code). */
    public AwsCallException exception(Throwable cause) {
        return new AwsCallException(this, cause);
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }
}
