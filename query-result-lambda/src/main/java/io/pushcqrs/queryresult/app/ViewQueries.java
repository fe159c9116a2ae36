package io.pushcqrs.queryresult.app;

import java.util.List;

/** Port to the read model: runs DynamoDB Queries (never a Scan) on notification-records or a GSI. */
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

    /**
     * Runs independent queries (the first read of every shard of a sharded page) and answers their pages in the
     * same order. This one runs them one after the other; an adapter may run them at the same time. When one fails,
     * the call fails with that query's exception.
     */
    default List<RawPage> queryAll(List<ViewQuery> queries) {
        return queries.stream().map(this::query).toList();
    }
}
