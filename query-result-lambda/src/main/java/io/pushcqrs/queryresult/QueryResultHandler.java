package io.pushcqrs.queryresult;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.model.query.QueryValidator;
import io.pushcqrs.model.validation.Limits;
import io.pushcqrs.model.validation.ValidationException;
import io.pushcqrs.lambda.aws.DynamoDbClients;
import io.pushcqrs.queryresult.adapter.DynamoDbViewQueries;
import io.pushcqrs.queryresult.adapter.SecretsManagerSecrets;
import io.pushcqrs.queryresult.adapter.ViewTable;
import io.pushcqrs.queryresult.app.CursorCodec;
import io.pushcqrs.queryresult.app.QueryPage;
import io.pushcqrs.queryresult.app.QueryService;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * query-result-lambda, invoked directly (Lambda Invoke) by query-lambda with a JSON {@link QueryRequest};
 * answers a JSON {@link QueryResponse}. It never throws: a bad request (or cursor) is success=false with
 * VALIDATION_ERROR, a throttled or failing store UNAVAILABLE, anything else INTERNAL_ERROR (logged with the
 * request id). One JSON log line per request. The cursor-signing key is read once, at init, from the Secrets
 * Manager secret named by CURSOR_SECRET_ARN ({@link CursorSecret}); without it the function does not start.
 */
public final class QueryResultHandler implements RequestStreamHandler {
    /** The largest request accepted (a query request is a few hundred bytes). */
    static final int MAX_REQUEST_BYTES = Limits.MAX_BODY_BYTES;

    private final QueryService service;
    private final RuntimeException wiringFailure;
    private final JsonLog log;

    /** The Lambda runtime's constructor: wires the service from the environment. */
    public QueryResultHandler() {
        this(System::getenv, JsonLog.standardOut());
    }

    QueryResultHandler(UnaryOperator<String> env, JsonLog log) {
        this(env, log, id -> SecretsManagerSecrets.secretString(env, id));
    }

    /**
     * @param secretStrings reads the cursor secret's SecretString by ARN
     * @throws CursorSecret.UnavailableException when the cursor key cannot be read: the init phase fails with the
     *                                           message (the secret is named, the key never)
     */
    QueryResultHandler(UnaryOperator<String> env, JsonLog log, Function<String, String> secretStrings) {
        this.log = log;
        byte[] key;
        try {
            key = CursorSecret.read(env, secretStrings);
        } catch (CursorSecret.UnavailableException e) {
            log.error(null, "cannot start query-result-lambda: " + e.getMessage(), Map.of(), null);
            throw e;
        }
        QueryService wired = null;
        RuntimeException failure = null;
        try {
            wired = new QueryService(
                    new DynamoDbViewQueries(DynamoDbClients.fromEnvironment(env), ViewTable.fromEnvironment(env)),
                    new CursorCodec(key));
        } catch (RuntimeException e) {
            failure = e;
            log.error(null, "cannot set up query-result-lambda", Map.of(), e);
        }
        this.service = wired;
        this.wiringFailure = failure;
    }

    public QueryResultHandler(QueryService service, JsonLog log) {
        this.service = service;
        this.wiringFailure = null;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        long started = System.nanoTime();
        Map<String, Object> fields = new LinkedHashMap<>();
        QueryResponse response;
        try {
            if (service == null) {
                throw new IllegalStateException("query-result-lambda is not set up", wiringFailure);
            }
            QueryRequest request = Json.read(readRequest(input), QueryRequest.class);
            if (request != null) {
                fields.put("type", request.type());
                fields.put("limit", QueryValidator.effectiveLimit(request));
                fields.put("cursor", request.cursor() != null && !request.cursor().isBlank());
            }
            QueryPage page = service.query(request);
            for (QueryPage.SkippedItem s : page.skipped()) {
                log.error(requestId, "view item cannot be read, left out of the page",
                        mapOf("user_id", s.userId(), "view_sk", s.viewSk(), "reason", s.reason()), null);
            }
            response = QueryResponse.page(page.items(), page.nextCursor());
            fields.put("outcome", "OK");
            fields.put("count", page.items().size());
            fields.put("has_next", page.nextCursor() != null);
            fields.put("rounds", page.rounds());
            fields.put("skipped", page.skipped().isEmpty() ? null : page.skipped().size());
            fields.put("cut_by_size", page.cutBySize() ? Boolean.TRUE : null);
            log.info(requestId, "query", withTime(fields, started));
        } catch (ApiException e) {
            response = QueryResponse.failure(e.toBody());
            fields.put("outcome", e.code());
            fields.put("reason", e.getMessage());
            if (e.code() == ErrorCode.UNAVAILABLE) {
                log.warn(requestId, "query", withTime(withCause(fields, e), started));
            } else if (e.code() == ErrorCode.INTERNAL_ERROR) {
                // a misconfiguration (AccessDenied, a missing table): the reason names the action and the resource
                log.error(requestId, "query", withTime(fields, started), e);
            } else {
                log.info(requestId, "query", withTime(fields, started));
            }
        } catch (RuntimeException | IOException e) {
            response = QueryResponse.failure(ErrorBody.of(ErrorCode.INTERNAL_ERROR,
                    "internal error (request id " + requestId + ")"));
            fields.put("outcome", ErrorCode.INTERNAL_ERROR);
            log.error(requestId, "query", withTime(fields, started), e);
        }
        write(output, response, requestId);
    }

    private static String readRequest(InputStream input) throws IOException {
        byte[] bytes = input.readNBytes(MAX_REQUEST_BYTES + 1);
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new ValidationException("body", "must be at most " + MAX_REQUEST_BYTES + " bytes");
        }
        // Malformed UTF-8 becomes U+FFFD, which no id, type or cursor accepts: a validation error downstream.
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void write(OutputStream output, QueryResponse response, String requestId) {
        try {
            output.write(Json.write(response).getBytes(StandardCharsets.UTF_8));
            output.flush();
        } catch (IOException | RuntimeException e) {
            log.error(requestId, "cannot write the response", Map.of(), e);
        }
    }

    private static Map<String, Object> withTime(Map<String, Object> fields, long started) {
        fields.put("ms", (System.nanoTime() - started) / 1_000_000);
        return fields;
    }

    private static Map<String, Object> withCause(Map<String, Object> fields, Throwable e) {
        if (e.getCause() != null) {
            fields.put("cause", e.getCause().toString());
        }
        return fields;
    }

    private static Map<String, Object> mapOf(String... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
