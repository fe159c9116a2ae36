package io.pushcqrs.local.iam;

import java.util.List;
import java.util.Map;

/**
 * An AWS::IAM::Role of the template with every identity-based policy attached to it: its inline Policies, the
 * AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources that name it in Roles, and its ManagedPolicyArns (template
 * managed policies, or the AWS managed policies the local stack knows).
 *
 * @param logicalId the role's logical id
 * @param name      the role name (Ref)
 * @param arn       arn:aws:iam::ACCOUNT:role/NAME (Fn::GetAtt Arn)
 * @param roleId    the role's unique id (AROA...), the first part of aws:userid
 * @param tags      the role's Tags (aws:PrincipalTag/KEY)
 * @param policies  the attached identity-based policies
 */
public record Role(String logicalId, String name, String arn, String roleId, Map<String, String> tags,
                   List<Policy> policies) {
    public Role {
        tags = Map.copyOf(tags);
        policies = List.copyOf(policies);
    }
}
