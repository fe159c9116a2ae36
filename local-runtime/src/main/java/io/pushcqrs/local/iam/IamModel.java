package io.pushcqrs.local.iam;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What IAM knows of the stack: the roles with their policies, which role each function runs with, each function's
 * resource-based policy (its AWS::Lambda::Permission resources), the secrets' ARNs (a request may name a secret by
 * name), and what the local stack does not evaluate (warnings).
 *
 * @param roles         roles by ARN
 * @param functionRoles function name -> the ARN of its execution role (Role property)
 * @param permissions   function name -> its AWS::Lambda::Permission statements
 * @param secretArns    secret name -> ARN
 * @param logGroups     function name -> the log group Lambda writes its logs to (LoggingConfig.LogGroup, else
 *                      /aws/lambda/NAME)
 * @param warnings      one sentence each: what is accepted and not evaluated
 * @param refusals      one sentence each: what AWS would refuse when the stack is deployed (a role Lambda cannot
 *                      assume...); enforce mode does not start with any
 */
public record IamModel(Map<String, Role> roles, Map<String, String> functionRoles,
                       Map<String, List<LambdaPermission>> permissions, Map<String, String> secretArns,
                       Map<String, String> logGroups, List<String> warnings, List<String> refusals) {
    public IamModel {
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        functionRoles = Collections.unmodifiableMap(new LinkedHashMap<>(functionRoles));
        permissions = Collections.unmodifiableMap(new LinkedHashMap<>(permissions));
        secretArns = Collections.unmodifiableMap(new LinkedHashMap<>(secretArns));
        logGroups = Collections.unmodifiableMap(new LinkedHashMap<>(logGroups));
        warnings = List.copyOf(warnings);
        refusals = List.copyOf(refusals);
    }

    /** The role a function runs with, or null when its Role is not a role of the template. */
    public Role roleOf(String function) {
        String arn = functionRoles.get(function);
        return arn == null ? null : roles.get(arn);
    }

    /** The function's AWS::Lambda::Permission statements (none: empty). */
    public List<LambdaPermission> permissionsOf(String function) {
        return permissions.getOrDefault(function, List.of());
    }
}
