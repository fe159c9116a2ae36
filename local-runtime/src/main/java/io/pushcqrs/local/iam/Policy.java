package io.pushcqrs.local.iam;

import java.util.List;

/**
 * An identity-based policy attached to a role.
 *
 * @param name       what it is called in messages: the PolicyName, a managed policy's ARN or logical id
 * @param source     where it comes from: {@code Resources.X} of the template, or {@code AWS managed}
 * @param variables  the document's Version is 2012-10-17, so {@code ${aws:...}} policy variables are substituted
 * @param statements its statements
 */
public record Policy(String name, String source, boolean variables, List<Statement> statements) {
    public Policy {
        statements = List.copyOf(statements);
    }
}
