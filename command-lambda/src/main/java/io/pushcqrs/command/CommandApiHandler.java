package io.pushcqrs.command;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pushcqrs.model.aws.DynamoDbClients;
import io.pushcqrs.command.adapter.DynamoDbCommandRepository;
import io.pushcqrs.command.app.CommandService;
import io.pushcqrs.command.app.CommandStoreUnavailableException;
import io.pushcqrs.command.app.CreateResult;
import io.pushcqrs.command.app.StatusChange;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.http.ApiAnswer;
import io.pushcqrs.model.http.JsonMediaType;
import io.pushcqrs.model.http.RequestBody;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.validation.ValidationException;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The command API behind API Gateway (REST, proxy integration):
 * {@code POST /commands} (201), {@code PATCH /commands/{transaction_id}} (200) and
 * {@code DELETE /commands/{transaction_id}[?created_at=&version=]} (200). Every answer is JSON;
 * errors have the shape {@code {"success":false,"error":{"code":...,"message":...}}}: 400 bad input,
 * 404 unknown route or transaction_id, 405 wrong method (with Allow), 409 conflict or stale version,
 * 413 body over 64 KiB, 415 a body that is not JSON, 503 store unavailable (with Retry-After), 500 a
 * misconfiguration (logged with the AWS action and resource) or anything unexpected. Nothing escapes as a
 * stack trace. One JSON log line per request.
 */
public class CommandApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    /** Retry-After (seconds) of a 503. */
    static final String RETRY_AFTER_SECONDS = ApiAnswer.RETRY_AFTER_SECONDS;

    private static volatile CommandService defaultService;

    private final Supplier<CommandService> service;

    /** The Lambda runtime's constructor: the DynamoDB-backed service, built once per container. */
    public CommandApiHandler() {
        this.service = CommandApiHandler::defaultService;
        try {
            defaultService(); // build during the init phase; a failure is answered (500) per request instead
        } catch (RuntimeException e) {
            new RequestLog(null, null, null, null).put("msg", "cannot build the command service at start-up")
                    .failure(ErrorCode.INTERNAL_ERROR.name(), e.getMessage(), e).write(null, 500);
        }
    }

    /** A handler over a given service (tests, other wiring). */
    public CommandApiHandler(CommandService service) {
        this.service = () -> service;
    }

    private static CommandService defaultService() {
        CommandService s = defaultService;
        if (s == null) {
            synchronized (CommandApiHandler.class) {
                s = defaultService;
                if (s == null) {
                    String table = Schema.env(Schema.ENV_COMMAND_TABLE, Schema.DEFAULT_COMMAND_TABLE);
                    s = new CommandService(new DynamoDbCommandRepository(DynamoDbClients.fromEnvironment(), table),
                            Clock.systemUTC());
                    defaultService = s;
                }
            }
        }
        return s;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        APIGatewayProxyRequestEvent e = event == null ? new APIGatewayProxyRequestEvent() : event;
        String method = e.getHttpMethod() == null ? "" : e.getHttpMethod().toUpperCase(Locale.ROOT);
        RequestLog log = new RequestLog(context == null ? null : context.getAwsRequestId(),
                e.getRequestContext() == null ? null : e.getRequestContext().getRequestId(), method, e.getPath());
        Map<String, String> headers = new HashMap<>();
        String id = context == null ? null : context.getAwsRequestId();
        ApiAnswer answer;
        try {
            answer = dispatch(e, method, log, headers);
        } catch (ApiException ex) {
            // A 5xx ApiException (an AWS call that failed) is logged with its action and resource, at ERROR.
            boolean serverSide = ex.code().httpStatus() >= 500;
            answer = ex.code() == ErrorCode.INTERNAL_ERROR ? internalError(id) : ApiAnswer.error(ex);
            log.failure(ex.code().name(), ex.getMessage(), serverSide ? ex : null);
        } catch (CommandStoreUnavailableException ex) {
            answer = ApiAnswer.error(ErrorCode.UNAVAILABLE, "the command store is unavailable now; retry later");
            log.failure(ErrorCode.UNAVAILABLE.name(), ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            answer = internalError(id);
            log.failure(ErrorCode.INTERNAL_ERROR.name(), ex.getMessage(), ex);
        }
        // Every 503 carries Retry-After.
        headers.putAll(ApiAnswer.headersFor(answer.status()));
        log.write(context, answer.status());
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(answer.status())
                .withHeaders(headers)
                .withBody(answer.body())
                .withIsBase64Encoded(false);
    }

    private static ApiAnswer internalError(String requestId) {
        return ApiAnswer.error(ErrorCode.INTERNAL_ERROR, "internal error" + (requestId == null ? "" : " (request " + requestId + ")"));
    }

    private ApiAnswer dispatch(APIGatewayProxyRequestEvent e, String method, RequestLog log, Map<String, String> headers) {
        Route route = Route.of(e.getResource(), e.getPath(), e.getPathParameters());
        log.put("route", route.kind().name().toLowerCase(Locale.ROOT)).put(Attr.TRANSACTION_ID, route.transactionId());
        switch (route.kind()) {
            case COLLECTION:
                if (method.equals("POST")) {
                    JsonMediaType.require(e.getHeaders(), e.getMultiValueHeaders());
                    return create(e, log);
                }
                break;
            case ITEM:
                if (method.equals("PATCH")) {
                    JsonMediaType.require(e.getHeaders(), e.getMultiValueHeaders());
                    return changeStatus(e, route.transactionId(), log);
                }
                if (method.equals("DELETE")) {
                    return delete(e, route.transactionId(), log);
                }
                break;
            default:
                throw new ApiException(ErrorCode.NOT_FOUND, "no route " + (method.isEmpty() ? "(no method)" : method)
                        + " " + (e.getPath() == null ? "(no path)" : e.getPath()));
        }
        headers.put("Allow", route.kind().allow());
        throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "method " + method + " is not allowed on "
                + e.getPath() + " (allowed: " + route.kind().allow() + ")");
    }

    private ApiAnswer create(APIGatewayProxyRequestEvent e, RequestLog log) {
        Notification input = Json.read(body(e), Notification.class);
        CreateResult result = service.get().create(input);
        log.put(Attr.TRANSACTION_ID, result.item().transactionId())
                .put(Attr.CREATED_AT, result.item().createdAt())
                .put("outcome", result.replayed() ? "replayed" : "created");
        // A replay answers exactly as the first create did: same status, same body.
        return ApiAnswer.json(201, new ItemAnswer(true, result.item()));
    }

    private ApiAnswer changeStatus(APIGatewayProxyRequestEvent e, String transactionId, RequestLog log) {
        StatusChange change = Json.read(body(e), StatusChange.class);
        Notification updated = service.get().changeStatus(transactionId, change);
        log.put(Attr.CREATED_AT, updated.createdAt()).put(Attr.VERSION, updated.version()).put("outcome", "updated");
        return ApiAnswer.json(200, new ItemAnswer(true, updated));
    }

    private ApiAnswer delete(APIGatewayProxyRequestEvent e, String transactionId, RequestLog log) {
        Map<String, String> query = e.getQueryStringParameters() == null ? Map.of() : e.getQueryStringParameters();
        Long createdAt = longParameter(query, Attr.CREATED_AT);
        Long version = longParameter(query, Attr.VERSION);
        int deleted = service.get().delete(transactionId, createdAt, version);
        log.put("outcome", "deleted").put("deleted", deleted);
        return ApiAnswer.json(200, new DeletedAnswer(true, deleted));
    }

    private static String body(APIGatewayProxyRequestEvent e) {
        return RequestBody.decode(e.getBody(), e.getIsBase64Encoded());
    }

    private static Long longParameter(Map<String, String> query, String name) {
        String raw = query.get(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException ex) {
            throw new ValidationException(name, "must be an integer (was '" + raw + "')");
        }
    }

    /** {@code {"success":true,"item":{...}}}. */
    record ItemAnswer(boolean success, Notification item) {
    }

    /** {@code {"success":true,"deleted":N}}. */
    record DeletedAnswer(boolean success, int deleted) {
    }
}
