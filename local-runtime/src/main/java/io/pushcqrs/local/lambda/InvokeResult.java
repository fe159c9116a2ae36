package io.pushcqrs.local.lambda;

/**
 * The outcome of one invocation, as the Lambda Invoke API reports it.
 *
 * @param statusCode    200 for a completed invoke (even when the function failed), 404 unknown function,
 *                      429 no environment free within the bound, 500 runtime failure
 * @param payload       the function's response, or the Lambda error shape
 *                      {@code {"errorMessage":..,"errorType":..,"stackTrace":[..]}} when functionError is set
 * @param functionError null on success; "Unhandled" when the handler threw, timed out or crashed
 * @param requestId     the invocation's request id
 * @param durationMs    wall time of the invocation
 */
public record InvokeResult(int statusCode, byte[] payload, String functionError, String requestId, long durationMs) {
    public boolean failed() {
        return functionError != null;
    }
}
