package io.pushcqrs.ops.scale;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Schema;

/** What the model counts capacity for: the two tables and the four GSIs of notification-records. */
public enum Store {
    COMMANDS("command-records", Attr.TRANSACTION_ID, Attr.CREATED_AT, false),
    VIEWS("notification-records", Attr.USER_ID, Attr.VIEW_SK, false),
    MARKETING_INDEX(Schema.MARKETING_INDEX, Attr.MARKETING_SHARD, Attr.VIEW_SK, true),
    TRANSACTION_INDEX(Schema.TRANSACTION_INDEX, Attr.TRANSACTION_ID, Attr.CREATED_AT, true),
    SNS_INDEX(Schema.SNS_INDEX, Attr.SNS_ID, Attr.CREATED_AT, true),
    FAILURES_INDEX(Schema.FAILURES_INDEX, Attr.FAILURE_STATUS, Attr.FAILURE_SK, true);

    private final String resourceName;
    private final String partitionKey;
    private final String sortKey;
    private final boolean gsi;

    Store(String resourceName, String partitionKey, String sortKey, boolean gsi) {
        this.resourceName = resourceName;
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
        this.gsi = gsi;
    }

    public String resourceName() {
        return resourceName;
    }

    /** The partition key in the current (sharded) layout; {@link Layout#partitionKey} for a given one. */
    public String partitionKey() {
        return partitionKey;
    }

    public String sortKey() {
        return sortKey;
    }

    public boolean gsi() {
        return gsi;
    }

    /** The GSIs of notification-records. */
    public static final Store[] INDEXES = {MARKETING_INDEX, TRANSACTION_INDEX, SNS_INDEX, FAILURES_INDEX};
}
