package io.pushcqrs.local.iam;

/**
 * An AWS::Lambda::Permission: one statement of a function's resource-based policy.
 *
 * @param logicalId     the resource's logical id
 * @param functionName  the function it is on (name only)
 * @param qualifier     the version or alias the permission is on, or null for the unqualified function
 * @param action        Action (lambda:InvokeFunction, lambda:*...)
 * @param principal     Principal: a service (apigateway.amazonaws.com), an account, an ARN, or *
 * @param sourceArn     SourceArn (compared with ArnLike), or null
 * @param sourceAccount SourceAccount, or null
 * @param other         a property the local stack does not evaluate that restricts the statement (EventSourceToken,
 *                      PrincipalOrgID, FunctionUrlAuthType), or null: such a statement is not taken as a grant
 */
public record LambdaPermission(String logicalId, String functionName, String qualifier, String action, String principal,
                               String sourceArn, String sourceAccount, String other) {
}
