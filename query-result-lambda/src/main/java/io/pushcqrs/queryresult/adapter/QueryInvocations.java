package io.pushcqrs.queryresult.adapter;

import com.amazonaws.services.lambda.runtime.Context;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.http.HttpApi;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.model.query.QueryValidator;
import io.pushcqrs.model.validation.Limits;
import io.pushcqrs.model.validation.ValidationException;
import io.pushcqrs.queryresult.CursorSecret;
import io.pushcqrs.queryresult.app.CursorCodec;
import io.pushcqrs.queryresult.app.QueryPage;
import io.pushcqrs.queryresult.app.QueryService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Lambda Invoke side of query-result-lambda: the raw payload (a JSON {@link QueryRequest}) -> {@link QueryService}
 * -> the raw answer (a JSON {@link QueryResponse}). It never throws: a bad request (or cursor) is success=false with
 * VALIDATION_ERROR, a throttled or failing store UNAVAILABLE, a misconfiguration or anything else INTERNAL_ERROR
 * ("internal error (request &lt;id&gt;)", nothing internal). One log line per request ("query": type, limit, whether a
 * cursor came, outcome, count, has_next, rounds, skipped, cut_by_size, error_code, error, duration_ms; never the ids or
 * the cursor), one ERROR line per stored view that cannot be read.
 */
public final class QueryInvocations {
    /** The largest request accepted (a query request is a few hundred bytes). */
    public static final int MAX_REQUEST_BYTES = Limits.MAX_BODY_BYTES;

    private final QueryService service;
    private final Log log;

    public QueryInvocations(QueryService service, Log log) {
        this.service = Objects.requireNonNull(service, "service");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * The function's wiring: the cursor key read once from the secret of CURSOR_SECRET_ARN ({@link CursorSecret}),
     * notification-records and its GSIs from NOTIFICATION_TABLE (required) and the index variables.
     *
     * @param secretStrings reads a secret's SecretString by ARN
     */
    public static QueryInvocations fromEnvironment(Env env, Log log, Function<String, String> secretStrings) {
        byte[] key = CursorSecret.read(env, secretStrings);
        ViewTable table = ViewTable.fromEnvironment(env);
        DynamoDbClient dynamoDb = AwsClients.build(DynamoDbClient.builder(), env, AwsClients.Settings.DEFAULT);
        return new QueryInvocations(new QueryService(new DynamoDbViewQueries(dynamoDb, table), new CursorCodec(key)), log);
    }

    public void handle(InputStream input, OutputStream output, Context context) {
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        Log.Line line = log.line("query").requestId(requestId);
        QueryResponse response;
        Log.Level level;
        try {
            QueryRequest request = Json.read(readRequest(input), QueryRequest.class);
            if (request != null) {
                line.put("type", request.type()).put("limit", QueryValidator.effectiveLimit(request))
                        .put("cursor", request.cursor() != null && !request.cursor().isBlank());
            }
            QueryPage page = service.query(request);
            for (QueryPage.SkippedItem s : page.skipped()) {
                log.line("view item cannot be read, left out of the page").requestId(requestId)
                        .put("user_id", s.userId()).put("view_sk", s.viewSk()).put("reason", s.reason())
                        .write(Log.Level.ERROR, context);
            }
            response = QueryResponse.page(page.items(), page.nextCursor());
            line.put("outcome", "OK").put("count", page.items().size()).put("has_next", page.nextCursor() != null)
                    .put("rounds", page.rounds()).put("skipped", page.skipped().isEmpty() ? null : page.skipped().size())
                    .put("cut_by_size", page.cutBySize() ? Boolean.TRUE : null);
            level = Log.Level.INFO;
        } catch (ApiException e) {
            response = QueryResponse.failure(e.bodyIsPublic() ? e.toBody() : internalError(requestId));
            line.put("outcome", e.code()).put("error_code", e.code()).put("error", e.getMessage());
            level = Log.Level.ofStatus(e.code().httpStatus());
            if (level == Log.Level.ERROR) {
                line.error(e);
            }
        } catch (RuntimeException | IOException e) {
            response = QueryResponse.failure(internalError(requestId));
            line.put("outcome", ErrorCode.INTERNAL_ERROR).put("error_code", ErrorCode.INTERNAL_ERROR)
                    .put("error", e.toString()).error(e);
            level = Log.Level.ERROR;
        }
        line.put("duration_ms", line.elapsedMillis()).write(level, context);
        write(output, response, requestId, context);
    }

    private static ErrorBody internalError(String requestId) {
        return ErrorBody.of(ErrorCode.INTERNAL_ERROR, HttpApi.internalMessage(requestId));
    }

    private static String readRequest(InputStream input) throws IOException {
        byte[] bytes = input.readNBytes(MAX_REQUEST_BYTES + 1);
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new ValidationException("body", "must be at most " + MAX_REQUEST_BYTES + " bytes");
        }
        // Malformed UTF-8 becomes U+FFFD, which no id, type or cursor accepts: a validation error downstream.
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void write(OutputStream output, QueryResponse response, String requestId, Context context) {
        try {
            output.write(Json.write(response).getBytes(StandardCharsets.UTF_8));
            output.flush();
        } catch (IOException | RuntimeException e) {
            log.line("cannot write the response").requestId(requestId).error(e).write(Log.Level.ERROR, context);
        }
    }
}
