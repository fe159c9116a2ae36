package io.pushcqrs.queryresult.app;

/** Port to the read model: runs one DynamoDB Query (never a Scan) on notification-records or a GSI. */
public interface ViewQueries {
    /**
     * Runs the query.
     *
     * @throws ViewStoreUnavailableException when the store throttles, fails on its side or cannot be reached
     */
    RawPage query(ViewQuery query);
}
