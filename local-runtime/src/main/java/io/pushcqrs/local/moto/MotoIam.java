package io.pushcqrs.local.moto;

import io.pushcqrs.local.resources.ResourceSpecs;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Roles, inline policies and managed policies in moto's IAM (account 000000000000). */
final class MotoIam {
    private final IamClient iam;

    MotoIam(IamClient iam) {
        this.iam = iam;
    }

    void ensureRole(ResourceSpecs.Role spec) {
        String name = spec.name();
        try {
            if (exists(name)) {
                iam.updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(spec.trustPolicy()));
                if (spec.description() != null || spec.maxSessionSeconds() != null) {
                    iam.updateRole(b -> b.roleName(name).description(spec.description())
                            .maxSessionDuration(spec.maxSessionSeconds()));
                }
            } else {
                List<Tag> tags = new ArrayList<>();
                spec.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
                iam.createRole(b -> b.roleName(name).path(spec.path()).assumeRolePolicyDocument(spec.trustPolicy())
                        .description(spec.description()).maxSessionDuration(spec.maxSessionSeconds())
                        .permissionsBoundary(spec.permissionsBoundary()).tags(tags));
            }
            // the role's own inline policies (Policies); those of AWS::IAM::Policy resources come after the roles
            spec.inlinePolicies().forEach((policy, document) ->
                    iam.putRolePolicy(b -> b.roleName(name).policyName(policy).policyDocument(document)));
            Set<String> attached = new HashSet<>();
            for (AttachedPolicy p : iam.listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies()) {
                attached.add(p.policyArn());
            }
            for (String arn : spec.managedPolicyArns()) {
                if (!attached.remove(arn)) {
                    iam.attachRolePolicy(b -> b.roleName(name).policyArn(arn));
                }
            }
        } catch (SdkException e) {
            throw new TemplateException("cannot create the role " + name + " in moto: " + e.getMessage(), e);
        }
    }

    void putRolePolicy(ResourceSpecs.RolePolicy spec) {
        for (String role : spec.roles()) {
            try {
                iam.putRolePolicy(b -> b.roleName(role).policyName(spec.name()).policyDocument(spec.document()));
            } catch (SdkException e) {
                throw new TemplateException("cannot put the policy " + spec.name() + " on role " + role + " in moto: "
                        + e.getMessage(), e);
            }
        }
    }

    String ensureManagedPolicy(ResourceSpecs.ManagedPolicy spec) {
        String arn = "arn:aws:iam::" + Intrinsics.ACCOUNT_ID + ":policy" + spec.path() + spec.name();
        try {
            try {
                iam.getPolicy(b -> b.policyArn(arn));
                // a new default version (IAM keeps 5: drop the oldest non-default one first)
                List<PolicyVersion> versions = iam.listPolicyVersions(b -> b.policyArn(arn)).versions();
                if (versions.size() >= 5) {
                    versions.stream().filter(v -> !v.isDefaultVersion()).findFirst().ifPresent(v ->
                            iam.deletePolicyVersion(b -> b.policyArn(arn).versionId(v.versionId())));
                }
                iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(spec.document()).setAsDefault(true));
            } catch (NoSuchEntityException missing) {
                iam.createPolicy(b -> b.policyName(spec.name()).path(spec.path()).policyDocument(spec.document())
                        .description(spec.description()));
            }
            for (String role : spec.roles()) {
                iam.attachRolePolicy(b -> b.roleName(role).policyArn(arn));
            }
            return arn;
        } catch (SdkException e) {
            throw new TemplateException("cannot create the managed policy " + spec.name() + " in moto: " + e.getMessage(), e);
        }
    }

    /** Deletes a role with its inline and attached policies. */
    void deleteRole(String name) {
        try {
            for (String p : iam.listRolePolicies(b -> b.roleName(name)).policyNames()) {
                iam.deleteRolePolicy(b -> b.roleName(name).policyName(p));
            }
            for (AttachedPolicy p : iam.listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies()) {
                iam.detachRolePolicy(b -> b.roleName(name).policyArn(p.policyArn()));
            }
            iam.deleteRole(b -> b.roleName(name));
        } catch (NoSuchEntityException e) {
            // gone already
        }
    }

    /** Removes an inline policy from roles (the roles that are gone already are skipped). */
    void deleteRolePolicy(String policy, List<String> roles) {
        for (String role : roles) {
            try {
                iam.deleteRolePolicy(b -> b.roleName(role).policyName(policy));
            } catch (NoSuchEntityException e) {
                // the role or the policy is gone already
            }
        }
    }

    /** Detaches a managed policy from its roles and deletes it with its versions. */
    void deleteManagedPolicy(String arn, List<String> roles) {
        try {
            for (String role : roles) {
                try {
                    iam.detachRolePolicy(b -> b.roleName(role).policyArn(arn));
                } catch (NoSuchEntityException e) {
                    // not attached any more
                }
            }
            for (PolicyVersion v : iam.listPolicyVersions(b -> b.policyArn(arn)).versions()) {
                if (!v.isDefaultVersion()) {
                    iam.deletePolicyVersion(b -> b.policyArn(arn).versionId(v.versionId()));
                }
            }
            iam.deletePolicy(b -> b.policyArn(arn));
        } catch (NoSuchEntityException e) {
            // gone already
        }
    }

    private boolean exists(String role) {
        try {
            iam.getRole(b -> b.roleName(role));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }
}
