package io.pushcqrs.lambda.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;

import java.util.Objects;

/**
 * The API Gateway (REST, proxy integration) side of an API function, the same for both: proxy event ->
 * {@link HttpRequest} -> {@link Router} -> proxy response, with the one error flow (docs/architecture.md, "The error
 * flow") and one log line per request.
 * <ul>
 *   <li>an {@link ApiException} answers with its code and {@code toBody()} (validation details, a conflict's
 *       message; 503 and 500 with nothing internal); a 405 carries Allow, every 503 Retry-After;</li>
 *   <li>anything else (a bug, an Error) is 500 INTERNAL_ERROR "internal error (request &lt;id&gt;)", never a stack
 *       trace;</li>
 *   <li>the log line: {@code api_request_id}, {@code method}, {@code path}, what the router added, {@code status},
 *       {@code error_code} and {@code error} (the reason, for the log only), {@code duration_ms}; a 5xx line carries
 *       the exception (errorType, errorMessage, stackTrace). Level: 5xx ERROR, 4xx WARN, else INFO.</li>
 * </ul>
 */
public final class HttpApi {
    private final String logMessage;
    private final Router router;
    private final Log log;

    /** @param logMessage the message of the request lines, e.g. "command request" */
    public HttpApi(String logMessage, Router router, Log log) {
        this.logMessage = Objects.requireNonNull(logMessage, "logMessage");
        this.router = Objects.requireNonNull(router, "router");
        this.log = Objects.requireNonNull(log, "log");
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        ApiAnswer answer = answer(HttpRequest.of(event), context);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(answer.status())
                .withHeaders(answer.allHeaders())
                .withBody(answer.body())
                .withIsBase64Encoded(false);
    }

    /** The answer to one request, its log line written (the routers' tests call this). */
    public ApiAnswer answer(HttpRequest request, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        Log.Line line = log.line(logMessage).requestId(requestId)
                .put("api_request_id", request.apiRequestId())
                .put("method", request.upperMethod().isEmpty() ? null : request.upperMethod())
                .put("path", request.path());
        ApiAnswer answer;
        try {
            answer = router.route(request, line);
        } catch (ApiException e) {
            answer = e.bodyIsPublic() ? ApiAnswer.error(e) : internalError(requestId);
            line.put("error_code", e.code().name()).put("error", e.getMessage());
            if (e.code().httpStatus() >= 500) {
                line.error(e);
            }
        } catch (RuntimeException | Error e) {
            answer = internalError(requestId);
            line.put("error_code", ErrorCode.INTERNAL_ERROR.name()).put("error", e.toString()).error(e);
        }
        line.put("status", answer.status()).put("duration_ms", line.elapsedMillis())
                .write(Log.Level.ofStatus(answer.status()), context);
        return answer;
    }

    /** 500 without anything internal; the request id finds the log line. */
    public static ApiAnswer internalError(String requestId) {
        return ApiAnswer.error(ErrorCode.INTERNAL_ERROR, internalMessage(requestId));
    }

    /** "internal error (request &lt;id&gt;)": what every function answers for a 500 (the id finds the log line). */
    public static String internalMessage(String requestId) {
        return "internal error" + (requestId == null ? "" : " (request " + requestId + ")");
    }
}
