package io.pushcqrs.local.iam;

import java.util.List;

/**
 * Decides one {@link AccessRequest} of a {@link Session} as IAM does within one account: the role's identity-based
 * policies ({@link PolicyEvaluator}), and for Lambda actions on a function of the stack also the function's
 * resource-based policy: an AWS::Lambda::Permission whose Principal is the role's ARN, the session's ARN or {@code *}
 * (with no SourceArn or SourceAccount, which a direct call does not carry) allows the call on its own. An explicit
 * deny in the identity policies wins over both. A session whose role is not in the template is denied everything.
 */
public final class Authorizer {
    private final IamModel model;

    public Authorizer(IamModel model) {
        this.model = model;
    }

    public IamModel model() {
        return model;
    }

    public Decision decide(Session session, AccessRequest request) {
        if (session.role() == null) {
            return Decision.implicitDeny();
        }
        Decision identity = PolicyEvaluator.evaluate(session.role().policies(), request, session.context());
        if (identity.outcome() != Decision.Outcome.IMPLICIT_DENY) {
            return identity;
        }
        Decision resource = resourcePolicy(session, request);
        return resource != null ? resource : identity;
    }

    private Decision resourcePolicy(Session session, AccessRequest request) {
        String arn = request.resource();
        int at = arn.indexOf(":function:");
        if (!request.action().toLowerCase().startsWith("lambda:") || at < 0) {
            return null;
        }
        String rest = arn.substring(at + ":function:".length());
        int colon = rest.indexOf(':');
        String function = colon < 0 ? rest : rest.substring(0, colon);
        String qualifier = colon < 0 ? null : rest.substring(colon + 1);
        List<LambdaPermission> permissions = model.permissionsOf(function);
        for (LambdaPermission p : permissions) {
            boolean principal = p.principal().equals("*") || p.principal().equals(session.roleArn())
                    || p.principal().equals(session.principalArn());
            boolean sameTarget = qualifier == null ? p.qualifier() == null : qualifier.equals(p.qualifier());
            if (principal && sameTarget && p.sourceArn() == null && p.sourceAccount() == null && p.other() == null
                    && Wildcards.actionMatches(p.action(), request.action())) {
                Statement s = new Statement(p.logicalId(), true, List.of(p.action()), null, List.of(arn), null, null);
                return new Decision(Decision.Outcome.ALLOWED, new Policy("the resource-based policy of " + function,
                        "Resources." + p.logicalId(), false, List.of(s)), s);
            }
        }
        return null;
    }
}
