package io.pushcqrs.local.apigw;

/**
 * Whether API Gateway may invoke a method's function: on AWS, the function's resource-based policy (its
 * AWS::Lambda::Permission statements) must allow {@code apigateway.amazonaws.com} for the method's execute-api ARN,
 * else the method answers 500 and the execution log says "Invalid permissions on Lambda function".
 */
@FunctionalInterface
public interface InvokePermission {
    /** Every invocation allowed (no IAM). */
    InvokePermission ALLOW_ALL = (apiId, stage, httpMethod, resourcePath, function) -> null;

    /**
     * @param resourcePath the method's resource path as defined ({@code /commands/{transaction_id}})
     * @return null when the invocation is allowed; else why it is not, for api.log
     */
    String denial(String apiId, String stage, String httpMethod, String resourcePath, String function);
}
