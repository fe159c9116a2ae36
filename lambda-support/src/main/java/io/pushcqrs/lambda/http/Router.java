package io.pushcqrs.lambda.http;

import io.pushcqrs.lambda.log.Log;

/**
 * The routes of one API function: a request to its answer. Errors are exceptions (an
 * {@link io.pushcqrs.model.error.ApiException} answers with its code; anything else is a 500): {@link HttpApi} turns
 * them into the error JSON. The router adds what the request's log line should say ({@code route}, {@code outcome},
 * ids, counts) to {@code line}.
 */
@FunctionalInterface
public interface Router {
    ApiAnswer route(HttpRequest request, Log.Line line);
}
