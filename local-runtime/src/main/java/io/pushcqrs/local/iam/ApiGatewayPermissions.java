package io.pushcqrs.local.iam;

import io.pushcqrs.local.apigw.InvokePermission;
import io.pushcqrs.local.template.Intrinsics;

import java.util.ArrayList;
import java.util.List;

/**
 * API Gateway's right to invoke a function, from the function's AWS::Lambda::Permission statements, as Lambda checks
 * it: a statement allows the invocation when its Principal is {@code apigateway.amazonaws.com} (or {@code *}), its
 * Action matches {@code lambda:InvokeFunction}, it is on the unqualified function (API Gateway's integration URI
 * names it so), its SourceArn (ArnLike, wildcards) matches the method's execute-api ARN
 * {@code arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/RESOURCE_PATH} and its SourceAccount, if any, is the
 * account. The resource path is the method's as defined ({@code commands/{transaction_id}}), which a permission's
 * {@code commands/*} matches, as CDK writes it.
 * <p>
 * enforce: a method without such a statement fails as AWS fails it (API Gateway answers 500, see
 * {@code ApiGateway}); audit: it is invoked, and iam.log says AWS would refuse it.
 */
public final class ApiGatewayPermissions implements InvokePermission {
    public static final String SERVICE_PRINCIPAL = "apigateway.amazonaws.com";

    private final IamModel model;
    private final IamTrail trail;
    private final IamMode mode;

    public ApiGatewayPermissions(IamModel model, IamTrail trail, IamMode mode) {
        this.model = model;
        this.trail = trail;
        this.mode = mode;
    }

    @Override
    public String denial(String apiId, String stage, String httpMethod, String resourcePath, String function) {
        String source = sourceArn(apiId, stage, httpMethod, resourcePath);
        String reason = check(function, source);
        if (reason == null) {
            return null;
        }
        trail.invokeRefused(RequestMapper.functionArn(function, null), source, reason);
        return mode == IamMode.ENFORCE ? reason : null;
    }

    /** The execute-api ARN API Gateway presents as the invocation's source. */
    public static String sourceArn(String apiId, String stage, String httpMethod, String resourcePath) {
        String path = resourcePath == null || resourcePath.isEmpty() ? "/" : resourcePath;
        return "arn:" + Intrinsics.PARTITION + ":execute-api:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT_ID + ":"
                + apiId + "/" + stage + "/" + httpMethod + (path.startsWith("/") ? path : "/" + path);
    }

    /** Null when a permission allows API Gateway to invoke the function from that source; else why not. */
    String check(String function, String sourceArn) {
        List<String> forApiGateway = new ArrayList<>();
        for (LambdaPermission p : model.permissionsOf(function)) {
            boolean principal = p.principal().equals(SERVICE_PRINCIPAL) || p.principal().equals("*");
            if (!principal) {
                continue;
            }
            forApiGateway.add((p.sourceArn() == null ? "any source" : p.sourceArn())
                    + (p.qualifier() == null ? "" : " (on qualifier " + p.qualifier() + ")"));
            if (p.qualifier() == null && p.other() == null
                    && Wildcards.actionMatches(p.action(), "lambda:InvokeFunction")
                    && (p.sourceArn() == null || Wildcards.arnMatches(p.sourceArn(), sourceArn))
                    && (p.sourceAccount() == null || p.sourceAccount().equals(Intrinsics.ACCOUNT_ID))) {
                return null;
            }
        }
        return "Execution failed due to configuration error: Invalid permissions on Lambda function " + function
                + ": no AWS::Lambda::Permission allows " + SERVICE_PRINCIPAL + " to invoke it from " + sourceArn
                + (forApiGateway.isEmpty() ? " (it has no permission for API Gateway)"
                : " (its permissions for API Gateway allow: " + String.join(", ", forApiGateway) + ")");
    }
}
