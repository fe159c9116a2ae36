package io.pushcqrs.local.iam;

/** How an AWS API answers errors, so that a denial looks like the service's own. */
public enum Protocol {
    /** awsJson 1.0 / 1.1 (DynamoDB, DynamoDB Streams, Secrets Manager, CloudWatch Logs): HTTP 400, {@code __type}. */
    JSON,
    /** SQS's JSON protocol, compatible with its query errors: HTTP 403 and {@code x-amzn-query-error}. */
    SQS_JSON,
    /** The query protocol (SQS, CloudWatch, STS with form bodies): HTTP 403, an XML ErrorResponse. */
    QUERY,
    /** Lambda's REST API: HTTP 403, {@code x-amzn-ErrorType}. */
    REST_JSON
}
