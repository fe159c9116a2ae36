package io.pushcqrs.local.resources;

import java.util.List;
import java.util.Map;

/**
 * What the {@link Backend} creates for the resource types of {@code cdk bootstrap}'s stack (and any template that
 * uses them): S3 buckets and bucket policies, ECR repositories, SSM parameters, IAM roles and policies. Each record
 * is the resource as its loader resolved it from the template; the backend creates it, or updates it in place when it
 * exists already (a redeploy).
 */
public final class ResourceSpecs {
    private ResourceSpecs() {
    }

    /**
     * AWS::S3::Bucket.
     *
     * @param name              the bucket name
     * @param versioning        VersioningConfiguration.Status is Enabled
     * @param sseAlgorithm      the default encryption's SSEAlgorithm (AES256, aws:kms), or null
     * @param kmsKeyId          its KMSMasterKeyID, or null
     * @param blockPublicAccess PublicAccessBlockConfiguration, or null
     * @param tags              Tags
     */
    public record Bucket(String name, boolean versioning, String sseAlgorithm, String kmsKeyId,
                         Map<String, Boolean> blockPublicAccess, Map<String, String> tags) {
        public Bucket {
            blockPublicAccess = blockPublicAccess == null ? null : Map.copyOf(blockPublicAccess);
            tags = Map.copyOf(tags);
        }
    }

    /** AWS::S3::BucketPolicy: the policy document (JSON) of a bucket. */
    public record BucketPolicy(String bucket, String document) {
    }

    /**
     * AWS::ECR::Repository.
     *
     * @param name               the repository name
     * @param imageTagMutability MUTABLE or IMMUTABLE (null: MUTABLE)
     * @param scanOnPush         ImageScanningConfiguration.ScanOnPush
     * @param lifecyclePolicy    LifecyclePolicy.LifecyclePolicyText, or null
     * @param repositoryPolicy   RepositoryPolicyText (JSON), or null
     * @param tags               Tags
     */
    public record Repository(String name, String imageTagMutability, boolean scanOnPush, String lifecyclePolicy,
                             String repositoryPolicy, Map<String, String> tags) {
        public Repository {
            tags = Map.copyOf(tags);
        }
    }

    /** AWS::SSM::Parameter: String or StringList. */
    public record Parameter(String name, String type, String value, String description, Map<String, String> tags) {
        public Parameter {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * AWS::IAM::Role.
     *
     * @param name                the role name
     * @param path                Path ("/" by default)
     * @param trustPolicy         AssumeRolePolicyDocument (JSON)
     * @param inlinePolicies      Policies: policy name -> document (JSON)
     * @param managedPolicyArns   ManagedPolicyArns
     * @param description         Description, or null
     * @param maxSessionSeconds   MaxSessionDuration, or null
     * @param permissionsBoundary PermissionsBoundary (an ARN), or null
     * @param tags                Tags
     */
    public record Role(String name, String path, String trustPolicy, Map<String, String> inlinePolicies,
                       List<String> managedPolicyArns, String description, Integer maxSessionSeconds,
                       String permissionsBoundary, Map<String, String> tags) {
        public Role {
            inlinePolicies = Map.copyOf(inlinePolicies);
            managedPolicyArns = List.copyOf(managedPolicyArns);
            tags = Map.copyOf(tags);
        }
    }

    /** AWS::IAM::Policy: an inline policy put on each of its roles. */
    public record RolePolicy(String name, String document, List<String> roles) {
        public RolePolicy {
            roles = List.copyOf(roles);
        }
    }

    /** AWS::IAM::ManagedPolicy: created, then attached to its roles. */
    public record ManagedPolicy(String name, String path, String document, String description, List<String> roles) {
        public ManagedPolicy {
            roles = List.copyOf(roles);
        }
    }
}
