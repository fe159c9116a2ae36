package io.pushcqrs.local.stack;

import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;

import java.util.Collection;

/**
 * One part of the running stack that a deployment brings in line with its template: the functions, the stream
 * pollers, the API Gateway... ({@link StackInstaller#parts}). After the template's resources are created or updated in
 * the backend, every part is given the stack's model before and after, in the order of the list; a new part (a
 * role and policy model that the edge checks calls against, say) is one more entry there.
 */
public interface StackPart {
    /**
     * Makes this part run what {@code change.after()} says for the stack (a new stack when {@code before} is null, a
     * deleted one when {@code after} is null). Throws when it cannot (then the deployment rolls back).
     */
    void apply(Change change);

    /** Stops what this part runs (the stack stops). */
    default void close() {
    }

    /**
     * One deployment of one stack.
     *
     * @param stackName the stack
     * @param before    its model until now, or null for a new stack
     * @param after     its model from now on, or null when it is deleted
     * @param all       the models of every stack installed once this change is made (after included, a deleted one not)
     * @param template  the template {@code after} comes from (parameter values given), or null when deleted
     * @param intrinsics that template's intrinsics as the load resolved them (Ref and Fn::GetAtt of every resource,
     *                   the backend's ARNs and URLs), or null when deleted
     */
    record Change(String stackName, StackModel before, StackModel after, Collection<StackModel> all, Template template,
                  Intrinsics intrinsics) {
    }
}
