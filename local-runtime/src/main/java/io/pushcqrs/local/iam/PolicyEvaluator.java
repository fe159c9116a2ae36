package io.pushcqrs.local.iam;

import java.util.List;

/**
 * IAM's evaluation of identity-based policies within one account: a request is denied when a Deny statement applies
 * to it (explicit deny, whatever allows it); else allowed when an Allow statement applies; else denied (implicit
 * deny: nothing allows it). A statement applies when its Action (or NotAction) matches the action, its Resource
 * (or NotResource) matches the resource, and its Condition holds.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    public static Decision evaluate(List<Policy> policies, AccessRequest request, RequestContext principal) {
        RequestContext ctx = principal.plus(request.keys());
        Decision allow = null;
        for (Policy policy : policies) {
            for (Statement s : policy.statements()) {
                if (applies(s, policy.variables(), request, ctx)) {
                    if (!s.allow()) {
                        return new Decision(Decision.Outcome.EXPLICIT_DENY, policy, s);
                    }
                    if (allow == null) {
                        allow = new Decision(Decision.Outcome.ALLOWED, policy, s);
                    }
                }
            }
        }
        return allow != null ? allow : Decision.implicitDeny();
    }

    static boolean applies(Statement s, boolean variables, AccessRequest request, RequestContext ctx) {
        boolean action = s.actions() != null
                ? s.actions().stream().anyMatch(a -> Wildcards.actionMatches(a, request.action()))
                : s.notActions().stream().noneMatch(a -> Wildcards.actionMatches(a, request.action()));
        if (!action) {
            return false;
        }
        boolean resource = s.resources() != null
                ? s.resources().stream().anyMatch(r -> resourceMatches(r, request.resource(), ctx, variables))
                : s.notResources().stream().noneMatch(r -> resourceMatches(r, request.resource(), ctx, variables));
        return resource && ConditionEvaluator.holds(s.condition(), ctx, variables);
    }

    private static boolean resourceMatches(String pattern, String resource, RequestContext ctx, boolean variables) {
        String p = variables ? ctx.substitute(pattern) : pattern;
        return p != null && Wildcards.arnMatches(p, resource);
    }
}
