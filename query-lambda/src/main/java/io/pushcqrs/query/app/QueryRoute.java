package io.pushcqrs.query.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.validation.Limits;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The query routes (all GET), their parameters and how each becomes a {@link QueryRequest}. */
public enum QueryRoute {
    /** {@code GET /query/user?user_id=&from=&to=&limit=&cursor=}. */
    USER("/query/user", Attr.USER_ID, QueryRoute.FROM, QueryRoute.TO) {
        @Override
        QueryRequest build(QueryParameters p) {
            return QueryRequest.user(p.required(Attr.USER_ID), p.time(FROM), p.time(TO), limit(p), p.optional(CURSOR));
        }
    },
    /** {@code GET /query/marketing?marketing_id=&limit=&cursor=}. */
    MARKETING("/query/marketing", Attr.MARKETING_ID) {
        @Override
        QueryRequest build(QueryParameters p) {
            return QueryRequest.marketing(p.required(Attr.MARKETING_ID), limit(p), p.optional(CURSOR));
        }
    },
    /** {@code GET /query/failures[?transaction_id=]&limit=&cursor=}: all recent failures or one transaction's. */
    FAILURES("/query/failures", Attr.TRANSACTION_ID) {
        @Override
        QueryRequest build(QueryParameters p) {
            return QueryRequest.failures(p.optional(Attr.TRANSACTION_ID), limit(p), p.optional(CURSOR));
        }
    },
    /** {@code GET /tx?transaction_id=&limit=&cursor=}. */
    TRANSACTION("/tx", Attr.TRANSACTION_ID) {
        @Override
        QueryRequest build(QueryParameters p) {
            return QueryRequest.transaction(p.required(Attr.TRANSACTION_ID), limit(p), p.optional(CURSOR));
        }
    },
    /** {@code GET /sns?sns_id=&limit=&cursor=}. */
    SNS("/sns", Attr.SNS_ID) {
        @Override
        QueryRequest build(QueryParameters p) {
            return QueryRequest.sns(p.required(Attr.SNS_ID), limit(p), p.optional(CURSOR));
        }
    };

    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String LIMIT = "limit";
    public static final String CURSOR = "cursor";

    private final String path;
    private final List<String> parameters;

    QueryRoute(String path, String... own) {
        this.path = path;
        String[] all = Arrays.copyOf(own, own.length + 2);
        all[own.length] = LIMIT;
        all[own.length + 1] = CURSOR;
        this.parameters = List.of(all);
    }

    public String path() {
        return path;
    }

    /** The parameters this route accepts, in documentation order. */
    public List<String> parameters() {
        return parameters;
    }

    public static Optional<QueryRoute> byPath(String path) {
        return Arrays.stream(values()).filter(r -> r.path.equals(path)).findFirst();
    }

    /**
     * Reads the parameters into a validated request (limit defaults to 30).
     *
     * @throws io.pushcqrs.model.validation.ValidationException naming every bad parameter
     */
    public QueryRequest toRequest(QueryParameters p) {
        p.rejectUnknown(parameters, path);
        QueryRequest request = build(p);
        p.validate(request);
        return request;
    }

    abstract QueryRequest build(QueryParameters p);

    private static Integer limit(QueryParameters p) {
        Integer limit = p.integer(LIMIT, "an integer between " + Limits.MIN_LIMIT + " and " + Limits.MAX_LIMIT);
        return limit == null ? Limits.DEFAULT_LIMIT : limit;
    }
}
