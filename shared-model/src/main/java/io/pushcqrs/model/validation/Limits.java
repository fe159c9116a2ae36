package io.pushcqrs.model.validation;

/** Input limits of the API (characters for strings, bytes for bodies). */
public final class Limits {
    private Limits() {
    }

    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_ID = 128;
    public static final int MAX_TITLE = 256;
    public static final int MAX_BODY_TEXT = 4096;
    public static final int MAX_DEVICE_TOKEN = 4096;
    public static final int MAX_ERROR_MSG = 2048;
    public static final int MAX_PAYLOAD_BYTES = 32 * 1024;
    public static final int MAX_RETRY_CNT = 1000;
    /**
     * The largest epoch-millisecond time (created_at, *_ts): 15 digits, the width the sort keys pad to
     * (year 33658). A 16-digit value is microseconds, a 19-digit one nanoseconds: both are refused.
     */
    public static final long MAX_EPOCH_MILLIS = 999_999_999_999_999L;
    /** The largest version a client may name (15 digits, like times: far above any real count of writes). */
    public static final long MAX_VERSION = 999_999_999_999_999L;
    /**
     * The longest page cursor (characters). A cursor of a write-sharded query holds a start key per shard
     * (query-result-lambda's CursorCodec): 16 marketing shards with ids of {@link #MAX_ID} characters take about
     * 6,060. The query string travels in the URL, which a regional REST API takes up to 10,240 characters.
     */
    public static final int MAX_CURSOR = 6144;
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 30;
    /** Allowed characters of ids (transaction_id, user_id, marketing_id, sns_id, ap_id). */
    public static final String ID_PATTERN = "[A-Za-z0-9._:@/+=-]+";
}
