package io.pushcqrs.model;

/**
 * Names of the deployed resources as the functions see them: environment variable names,
 * default table names and the GSI names of notification-records. infra/ declares the same.
 */
public final class Schema {
    private Schema() {
    }

    // Environment variables the functions read.
    public static final String ENV_COMMAND_TABLE = "COMMAND_TABLE";
    public static final String ENV_NOTIFICATION_TABLE = "NOTIFICATION_TABLE";
    public static final String ENV_MARKETING_INDEX = "MARKETING_INDEX";
    public static final String ENV_TRANSACTION_INDEX = "TRANSACTION_INDEX";
    public static final String ENV_SNS_INDEX = "SNS_INDEX";
    public static final String ENV_FAILURES_INDEX = "FAILURES_INDEX";
    /** The ARN of the Secrets Manager secret whose SecretString is the cursor-signing key (query-result-lambda). */
    public static final String ENV_CURSOR_SECRET_ARN = "CURSOR_SECRET_ARN";
    public static final String ENV_QUERY_RESULT_FUNCTION = "QUERY_RESULT_FUNCTION";

    // Default names (stage "dev"): what the operator tools assume without outputs; the functions read theirs from the
    // environment and have no default (lambda-support's Env).
    public static final String DEFAULT_COMMAND_TABLE = "dev-command-records";
    public static final String DEFAULT_NOTIFICATION_TABLE = "dev-notification-records";

    // GSIs of notification-records.
    /** PK marketing_shard (S) = marketing_id#k, SK view_sk (S); sparse; write-sharded ({@link ViewShards}). */
    public static final String MARKETING_INDEX = "marketing-index";
    /** PK transaction_id (S), SK created_at (N). */
    public static final String TRANSACTION_INDEX = "transaction-index";
    /** PK sns_id (S), SK created_at (N); sparse. */
    public static final String SNS_INDEX = "sns-index";
    /** PK failure_status (S) = FAILED#k, SK failure_sk (S); sparse: FAILED views only; write-sharded ({@link ViewShards}). */
    public static final String FAILURES_INDEX = "failures-index";

    /** What failure_status of a FAILED view starts with: FAILED#k, k its shard ({@link ViewShards#failurePartition}). */
    public static final String FAILURE_PARTITION = "FAILED";
}
