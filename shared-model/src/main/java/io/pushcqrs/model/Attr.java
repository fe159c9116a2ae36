package io.pushcqrs.model;

/** Attribute names, shared by both tables, the JSON API and the GSIs (snake_case everywhere). */
public final class Attr {
    private Attr() {
    }

    public static final String TRANSACTION_ID = "transaction_id";
    public static final String CREATED_AT = "created_at";
    public static final String USER_ID = "user_id";
    public static final String MARKETING_ID = "marketing_id";
    public static final String NOTIFICATION_TITLE = "notification_title";
    public static final String NOTIFICATION_BODY = "notification_body";
    public static final String PLATFORM = "platform";
    public static final String DEVICE_TOKEN = "device_token";
    public static final String PAYLOAD = "payload";
    public static final String STATUS = "status";
    public static final String ERROR_MSG = "error_msg";
    public static final String AP_ID = "ap_id";
    public static final String SNS_ID = "sns_id";
    public static final String RETRY_CNT = "retry_cnt";
    public static final String SEND_TS = "send_ts";
    public static final String DELIVERED_TS = "delivered_ts";
    public static final String FAILED_TS = "failed_ts";
    /** command-records only: +1 on every write by command-lambda. */
    public static final String VERSION = "version";

    // notification-records only
    /** Sort key of the view: zero-padded created_at + '#' + transaction_id (unique, time-ordered). */
    public static final String VIEW_SK = "view_sk";
    /** The command's version the view was projected from (absent for items written without one). */
    public static final String SOURCE_VERSION = "source_version";
    /** The stream sequence number (zero-padded to 40 digits) the view was projected from. */
    public static final String SOURCE_SEQ = "source_seq";
    /** Sparse failures-index partition key: "FAILED#k" (k = the view's shard, {@link ViewShards}) on FAILED views only. */
    public static final String FAILURE_STATUS = "failure_status";
    /** Sparse failures-index sort key: zero-padded (failed_ts or created_at) + '#' + transaction_id. */
    public static final String FAILURE_SK = "failure_sk";
    /** Sparse marketing-index partition key: "&lt;marketing_id&gt;#k" (k = the view's shard, {@link ViewShards}). */
    public static final String MARKETING_SHARD = "marketing_shard";
    /** Tombstones only (BOOL true): the command was deleted; see {@code mapping.Tombstones}. */
    public static final String DELETED = "deleted";
    /** Tombstones only: when the delete happened (the stream record's creation time), epoch milliseconds. */
    public static final String DELETED_AT = "deleted_at";
    /** Tombstones only: the table's TTL attribute, epoch seconds (DynamoDB removes the item some time after). */
    public static final String EXPIRES_AT = "expires_at";
}
