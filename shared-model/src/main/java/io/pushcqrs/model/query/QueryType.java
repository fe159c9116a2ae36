package io.pushcqrs.model.query;

/** The queries the read side answers; each is one DynamoDB Query on the table or a GSI. */
public enum QueryType {
    /** By user_id on the table, optionally within [from, to] on created_at. */
    USER,
    /** By marketing_id on marketing-index. */
    MARKETING,
    /** By transaction_id on transaction-index. */
    TRANSACTION,
    /** By sns_id on sns-index. */
    SNS,
    /** FAILED records, recent first (failures-index), or those of one transaction_id. */
    FAILURES
}
