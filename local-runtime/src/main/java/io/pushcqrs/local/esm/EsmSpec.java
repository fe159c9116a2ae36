package io.pushcqrs.local.esm;

/**
 * An AWS::Lambda::EventSourceMapping on a DynamoDB stream, with the settings AWS honours.
 *
 * @param uuid                      a stable id (the template's logical id) used for the checkpoint file
 * @param functionName              the target function's name
 * @param functionArn               the target function's ARN (for the on-failure message)
 * @param streamArn                 the DynamoDB stream ARN
 * @param startingPosition          TRIM_HORIZON or LATEST
 * @param batchSize                 max records per invoke (default 100)
 * @param maxBatchingWindowSeconds  how long to gather records before invoking (0 = at once)
 * @param bisectOnError             split a failed batch in two and retry the halves
 * @param maxRetryAttempts          -1 = unbounded (until the record expires)
 * @param maxRecordAgeSeconds       -1 = unbounded; older records are sent to onFailure and skipped
 * @param reportBatchItemFailures   FunctionResponseTypes contains ReportBatchItemFailures
 * @param onFailureArn              the SQS queue ARN of DestinationConfig.OnFailure, or null
 * @param enabled                   Enabled (default true)
 * @param parallelizationFactor     ParallelizationFactor (1-10): concurrent batches per shard, the records of a partition
 *                                  key in order
 */
public record EsmSpec(String uuid, String functionName, String functionArn, String streamArn, String startingPosition,
                      int batchSize, int maxBatchingWindowSeconds, boolean bisectOnError, int maxRetryAttempts,
                      int maxRecordAgeSeconds, boolean reportBatchItemFailures, String onFailureArn, boolean enabled,
                      int parallelizationFactor) {

    /** A mapping with ParallelizationFactor 1. */
    public EsmSpec(String uuid, String functionName, String functionArn, String streamArn, String startingPosition,
                   int batchSize, int maxBatchingWindowSeconds, boolean bisectOnError, int maxRetryAttempts,
                   int maxRecordAgeSeconds, boolean reportBatchItemFailures, String onFailureArn, boolean enabled) {
        this(uuid, functionName, functionArn, streamArn, startingPosition, batchSize, maxBatchingWindowSeconds, bisectOnError,
                maxRetryAttempts, maxRecordAgeSeconds, reportBatchItemFailures, onFailureArn, enabled, 1);
    }
}
