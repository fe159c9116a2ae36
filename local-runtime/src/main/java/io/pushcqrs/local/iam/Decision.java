package io.pushcqrs.local.iam;

/**
 * What IAM decides for one {@link AccessRequest}.
 *
 * @param outcome   allowed, denied by no Allow (implicit), or denied by a Deny statement (explicit)
 * @param policy    the policy of the deciding statement (the Allow or the Deny), or null for an implicit deny
 * @param statement the deciding statement, or null
 */
public record Decision(Outcome outcome, Policy policy, Statement statement) {
    public enum Outcome {
        ALLOWED, IMPLICIT_DENY, EXPLICIT_DENY
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    static Decision implicitDeny() {
        return new Decision(Outcome.IMPLICIT_DENY, null, null);
    }
}
