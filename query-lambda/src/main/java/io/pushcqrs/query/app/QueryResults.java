package io.pushcqrs.query.app;

import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;

/**
 * Port to the data reader (query-result-lambda). An answer with {@code success=false} is a normal
 * result (e.g. a forged cursor); a reader that cannot be reached or answers nonsense throws
 * {@link io.pushcqrs.model.error.UnavailableException}.
 */
public interface QueryResults {
    QueryResponse fetch(QueryRequest request);
}
