package io.pushcqrs.model.query;

import io.pushcqrs.model.Attr;
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
                .maxLength("cursor", q.cursor(), 2048);
        if (q.type() != null && q.type() != QueryType.USER) {
            c.absent("from", q.from(), "is only supported on user queries");
            c.absent("to", q.to(), "is only supported on user queries");
        }
        if (q.from() != null && q.to() != null && q.from() > q.to()) {
            c.add("from", "must not be after to");
        }
        c.throwIfAny();
    }

    public static int effectiveLimit(QueryRequest q) {
        return q.limit() == null ? Limits.DEFAULT_LIMIT : q.limit();
    }
}
