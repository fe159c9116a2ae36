package io.pushcqrs.model.query;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.validation.Checks;
import io.pushcqrs.model.validation.Limits;

/** Validates a query request; both query-lambda (HTTP input) and query-result-lambda use it. */
public final class QueryValidator {
    private QueryValidator() {
    }

    public static void validate(QueryRequest q) {
        Checks c = new Checks().required("type", q.type());
        if (q.type() != null) {
            switch (q.type()) {
                case USER -> c.required(Attr.USER_ID, q.userId());
                case MARKETING -> c.required(Attr.MARKETING_ID, q.marketingId());
                case TRANSACTION -> c.required(Attr.TRANSACTION_ID, q.transactionId());
                case SNS -> c.required(Attr.SNS_ID, q.snsId());
                case FAILURES -> { }
            }
        }
        c.id(Attr.USER_ID, q.userId())
                .id(Attr.MARKETING_ID, q.marketingId())
                .id(Attr.TRANSACTION_ID, q.transactionId())
                .id(Attr.SNS_ID, q.snsId())
                .notNegative("from", q.from())
                .notNegative("to", q.to())
                .range("limit", q.limit(), Limits.MIN_LIMIT, Limits.MAX_LIMIT)
                .maxLength("cursor", q.cursor(), Limits.MAX_CURSOR);
        epochMillis(c, "from", q.from());
        epochMillis(c, "to", q.to());
        if (q.type() != null && q.type() != QueryType.USER) {
            c.absent("from", q.from(), "is only supported on user queries");
            c.absent("to", q.to(), "is only supported on user queries");
        }
        if (q.from() != null && q.to() != null && q.from() > q.to()) {
            c.add("from", "must not be after to");
        }
        c.throwIfAny();
    }

    /**
     * A time bound must fit the view key's 15 digits of epoch milliseconds ({@link ViewKeys#MAX_TIME}); a larger
     * value is most likely microseconds or nanoseconds, and would sort among the wrong times.
     */
    private static void epochMillis(Checks c, String field, Long value) {
        if (value != null && value > ViewKeys.MAX_TIME) {
            c.add(field, "must be epoch milliseconds of at most " + ViewKeys.TIME_WIDTH + " digits (at most "
                    + ViewKeys.MAX_TIME + "; was " + value + ", microseconds or nanoseconds?)");
        }
    }

    public static int effectiveLimit(QueryRequest q) {
        return q.limit() == null ? Limits.DEFAULT_LIMIT : q.limit();
    }
}
