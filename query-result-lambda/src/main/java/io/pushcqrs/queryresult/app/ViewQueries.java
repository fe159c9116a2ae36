package io.pushcqrs.queryresult.app;

/** Port to the read model: runs one DynamoDB Query (never a Scan) on notification-records or a GSI. */
public interface ViewQueries {
    /**
     * Runs the query.
     *
     * @throws io.pushcqrs.lambda.aws.AwsCallException when the call fails: UNAVAILABLE when the store throttles,
     *         fails on its side or cannot be reached (503), INTERNAL_ERROR when the deployment is wrong (500),
     *         VALIDATION_ERROR when the store refuses the request (400)
     * @throws io.pushcqrs.model.error.UnavailableException when a store without the SDK cannot answer now
     */
    RawPage query(ViewQuery query);
}
