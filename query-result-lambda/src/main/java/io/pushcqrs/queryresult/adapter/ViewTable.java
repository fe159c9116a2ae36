package io.pushcqrs.queryresult.adapter;

import io.pushcqrs.lambda.Env;
import io.pushcqrs.model.Schema;
import io.pushcqrs.queryresult.app.ViewIndex;


/** The deployed names of notification-records and its GSIs. */
public record ViewTable(String tableName, String marketingIndex, String transactionIndex, String snsIndex,
                        String failuresIndex) {

    /** The table with the GSI names of {@link Schema}. */
    public static ViewTable withDefaultIndexes(String tableName) {
        return new ViewTable(tableName, Schema.MARKETING_INDEX, Schema.TRANSACTION_INDEX, Schema.SNS_INDEX,
                Schema.FAILURES_INDEX);
    }

    /**
     * From NOTIFICATION_TABLE (required: the function does not start without it) and MARKETING_INDEX,
     * TRANSACTION_INDEX, SNS_INDEX and FAILURES_INDEX (each the {@link Schema} name when unset or blank).
     */
    public static ViewTable fromEnvironment(Env env) {
        return new ViewTable(
                env.required(Schema.ENV_NOTIFICATION_TABLE, "the notification-records table"),
                env.optional(Schema.ENV_MARKETING_INDEX, Schema.MARKETING_INDEX),
                env.optional(Schema.ENV_TRANSACTION_INDEX, Schema.TRANSACTION_INDEX),
                env.optional(Schema.ENV_SNS_INDEX, Schema.SNS_INDEX),
                env.optional(Schema.ENV_FAILURES_INDEX, Schema.FAILURES_INDEX));
    }

    /** The GSI name of an index, null for the table itself. */
    public String indexName(ViewIndex index) {
        return switch (index) {
            case TABLE -> null;
            case MARKETING -> marketingIndex;
            case TRANSACTION -> transactionIndex;
            case SNS -> snsIndex;
            case FAILURES -> failuresIndex;
        };
    }
}
