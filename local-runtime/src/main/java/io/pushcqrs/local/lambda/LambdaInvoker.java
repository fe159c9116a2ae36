package io.pushcqrs.local.lambda;

/** Invokes a function synchronously (RequestResponse). Implemented by the local Lambda runtime. */
public interface LambdaInvoker {
    /**
     * @param functionNameOrArn a FunctionName, a function ARN, or a partial ARN
     * @param payload           the event JSON
     */
    InvokeResult invoke(String functionNameOrArn, byte[] payload);
}
