package io.pushcqrs.queryresult.adapter;

import io.pushcqrs.model.Schema;
import io.pushcqrs.queryresult.app.ViewIndex;

import java.util.function.UnaryOperator;

/** The deployed names of notification-records and its GSIs. */
public record ViewTable(String tableName, String marketingIndex, String transactionIndex, String snsIndex,
                        String failuresIndex) {

    /** The table with the GSI names of {@link Schema}. */
    public static ViewTable withDefaultIndexes(String tableName) {
        return new ViewTable(tableName, Schema.MARKETING_INDEX, Schema.TRANSACTION_INDEX, Schema.SNS_INDEX,
                Schema.FAILURES_INDEX);
    }

    /**
     * From NOTIFICATION_TABLE, MARKETING_INDEX, TRANSACTION_INDEX, SNS_INDEX and FAILURES_INDEX; each falls back
     * to the {@link Schema} default when unset or blank.
     */
    public static ViewTable fromEnvironment(UnaryOperator<String> env) {
        return new ViewTable(
                or(env, Schema.ENV_NOTIFICATION_TABLE, Schema.DEFAULT_NOTIFICATION_TABLE),
                or(env, Schema.ENV_MARKETING_INDEX, Schema.MARKETING_INDEX),
                or(env, Schema.ENV_TRANSACTION_INDEX, Schema.TRANSACTION_INDEX),
                or(env, Schema.ENV_SNS_INDEX, Schema.SNS_INDEX),
                or(env, Schema.ENV_FAILURES_INDEX, Schema.FAILURES_INDEX));
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

    private static String or(UnaryOperator<String> env, String name, String fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
