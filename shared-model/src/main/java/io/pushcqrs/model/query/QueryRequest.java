package io.pushcqrs.model.query;

/**
 * The typed request query-lambda sends to query-result-lambda (Lambda Invoke payload).
 * from/to are epoch milliseconds (inclusive); limit 1..100 (null = 30); cursor as returned
 * in a previous page's next_cursor.
 */
public record QueryRequest(
        QueryType type,
        String userId,
        String marketingId,
        String transactionId,
        String snsId,
        Long from,
        Long to,
        Integer limit,
        String cursor) {

    public static QueryRequest user(String userId, Long from, Long to, Integer limit, String cursor) {
        return new QueryRequest(QueryType.USER, userId, null, null, null, from, to, limit, cursor);
    }

    public static QueryRequest marketing(String marketingId, Integer limit, String cursor) {
        return new QueryRequest(QueryType.MARKETING, null, marketingId, null, null, null, null, limit, cursor);
    }

    public static QueryRequest transaction(String transactionId, Integer limit, String cursor) {
        return new QueryRequest(QueryType.TRANSACTION, null, null, transactionId, null, null, null, limit, cursor);
    }

    public static QueryRequest sns(String snsId, Integer limit, String cursor) {
        return new QueryRequest(QueryType.SNS, null, null, null, snsId, null, null, limit, cursor);
    }

    /** transactionId null = recent failures across all transactions. */
    public static QueryRequest failures(String transactionId, Integer limit, String cursor) {
        return new QueryRequest(QueryType.FAILURES, null, null, transactionId, null, null, null, limit, cursor);
    }
}
