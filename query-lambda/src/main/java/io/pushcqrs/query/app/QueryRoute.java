package io.pushcqrs.query.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.validation.Limits;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The query routes (all GET), their parameters and how each becomes a {@link QueryRequest}. */
public enum QueryRoute {
    /** {@code GET /query/user?user_id=&from=&to=&limit=&cursor=}. */
    USER("/query/user", p -> QueryRequest.user(p.required(Attr.USER_ID), p.time(QueryRoute.FROM), p.time(QueryRoute.TO),
            limit(p), p.optional(QueryRoute.CURSOR)), Attr.USER_ID, QueryRoute.FROM, QueryRoute.TO),
    /** {@code GET /query/marketing?marketing_id=&limit=&cursor=}. */
    MARKETING("/query/marketing", p -> QueryRequest.marketing(p.required(Attr.MARKETING_ID), limit(p),
            p.optional(QueryRoute.CURSOR)), Attr.MARKETING_ID),
    /** {@code GET /query/failures[?transaction_id=]&limit=&cursor=}: all recent failures or one transaction's. */
    FAILURES("/query/failures", p -> QueryRequest.failures(p.optional(Attr.TRANSACTION_ID), limit(p),
            p.optional(QueryRoute.CURSOR)), Attr.TRANSACTION_ID),
    /** {@code GET /tx?transaction_id=&limit=&cursor=}. */
    TRANSACTION("/tx", p -> QueryRequest.transaction(p.required(Attr.TRANSACTION_ID), limit(p),
            p.optional(QueryRoute.CURSOR)), Attr.TRANSACTION_ID),
    /** {@code GET /sns?sns_id=&limit=&cursor=}. */
    SNS("/sns", p -> QueryRequest.sns(p.required(Attr.SNS_ID), limit(p), p.optional(QueryRoute.CURSOR)), Attr.SNS_ID);

    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String LIMIT = "limit";
    public static final String CURSOR = "cursor";

    private final String path;
    private final Function<QueryParameters, QueryRequest> build;
    private final List<String> parameters;

    QueryRoute(String path, Function<QueryParameters, QueryRequest> build, String... own) {
        this.path = path;
        this.build = build;
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
        QueryRequest request = build.apply(p);
        p.validate(request);
        return request;
    }

    private static Integer limit(QueryParameters p) {
        Integer limit = p.integer(LIMIT, "an integer between " + Limits.MIN_LIMIT + " and " + Limits.MAX_LIMIT);
        return limit == null ? Limits.DEFAULT_LIMIT : limit;
    }
}
