package io.pushcqrs.command.app;

import io.pushcqrs.lambda.http.ApiAnswer;
import io.pushcqrs.lambda.http.HttpRequest;
import io.pushcqrs.lambda.http.MethodNotAllowedException;
import io.pushcqrs.lambda.http.Router;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.validation.ValidationException;

import java.util.Locale;
import java.util.Objects;

/**
 * The command routes, in the shape of query-lambda's QueryRouter: {@code POST /commands} (201),
 * {@code PATCH /commands/{transaction_id}} (200), {@code DELETE /commands/{transaction_id}[?created_at=&version=]}
 * (200). An unknown route is 404, a known one with another method 405 (with Allow); a POST or PATCH body must be
 * JSON (415). Errors are exceptions; {@link io.pushcqrs.lambda.http.HttpApi} answers them. The request's log line
 * gets {@code route}, {@code transaction_id}, {@code created_at}, {@code version}, {@code outcome} and
 * {@code deleted}.
 */
public final class CommandRouter implements Router {
    private final CommandService service;

    public CommandRouter(CommandService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public ApiAnswer route(HttpRequest request, Log.Line line) {
        CommandRoute route = CommandRoute.of(request.resource(), request.path(), request.pathParameters());
        String method = request.upperMethod();
        line.put("route", route.kind().name().toLowerCase(Locale.ROOT)).put(Attr.TRANSACTION_ID, route.transactionId());
        switch (route.kind()) {
            case COLLECTION:
                if (method.equals("POST")) {
                    request.requireJsonBody();
                    return create(request, line);
                }
                break;
            case ITEM:
                if (method.equals("PATCH")) {
                    request.requireJsonBody();
                    return changeStatus(request, route.transactionId(), line);
                }
                if (method.equals("DELETE")) {
                    return delete(request, route.transactionId(), line);
                }
                break;
            default:
                throw new ApiException(ErrorCode.NOT_FOUND, "no route " + (method.isEmpty() ? "(no method)" : method)
                        + " " + (request.path() == null ? "(no path)" : request.path()));
        }
        throw new MethodNotAllowedException(method, request.path(), route.kind().allow());
    }

    private ApiAnswer create(HttpRequest request, Log.Line line) {
        Notification input = Json.read(request.body(), Notification.class);
        CreateResult result = service.create(input);
        line.put(Attr.TRANSACTION_ID, result.item().transactionId())
                .put(Attr.CREATED_AT, result.item().createdAt())
                .put("outcome", result.replayed() ? "replayed" : "created");
        // A replay answers exactly as the first create did: same status, same body.
        return ApiAnswer.json(201, new ItemAnswer(true, result.item()));
    }

    private ApiAnswer changeStatus(HttpRequest request, String transactionId, Log.Line line) {
        StatusChange change = Json.read(request.body(), StatusChange.class);
        Notification updated = service.changeStatus(transactionId, change);
        line.put(Attr.CREATED_AT, updated.createdAt()).put(Attr.VERSION, updated.version()).put("outcome", "updated");
        return ApiAnswer.json(200, new ItemAnswer(true, updated));
    }

    private ApiAnswer delete(HttpRequest request, String transactionId, Log.Line line) {
        Long createdAt = longParameter(request, Attr.CREATED_AT);
        Long version = longParameter(request, Attr.VERSION);
        int deleted = service.delete(transactionId, createdAt, version);
        line.put("outcome", "deleted").put("deleted", deleted);
        return ApiAnswer.json(200, new DeletedAnswer(true, deleted));
    }

    private static Long longParameter(HttpRequest request, String name) {
        String raw = request.parameter(name);
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
    public record ItemAnswer(boolean success, Notification item) {
    }

    /** {@code {"success":true,"deleted":N}}. */
    public record DeletedAnswer(boolean success, int deleted) {
    }
}
