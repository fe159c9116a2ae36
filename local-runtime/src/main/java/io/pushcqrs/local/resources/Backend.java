package io.pushcqrs.local.resources;

import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the template's resources are created (tables, queues, secrets, buckets, repositories, parameters, IAM roles):
 * moto's server ({@link io.pushcqrs.local.moto.AwsBackend}), or a fake in tests. Every {@code ensure...} creates the
 * resource, or brings the one that exists already in line with the template (a redeploy updates in place);
 * {@link #delete} removes what a deployment no longer has.
 */
public interface Backend {
    /**
     * Creates the table, or keeps it when it exists already (enabling its stream when the request has one and
     * the table does not).
     *
     * @param ttl the table's TTL setting, or null
     * @return the table's LatestStreamArn, or null when it has no stream
     */
    String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl);

    /**
     * Creates the queue, or keeps it when it exists already (its attributes are then set again).
     *
     * @return the queue URL as the backend answers it
     */
    String ensureQueue(String name, Map<String, String> attributes, Map<String, String> tags);

    /**
     * Creates the secret (generating its value when it has none), or keeps it with its value when it exists already.
     *
     * @return the secret's ARN as the backend answers it
     */
    default String ensureSecret(SecretSpec spec) {
        throw new TemplateException("this backend does not create AWS::SecretsManager::Secret resources (" + spec.name() + ")");
    }

    /** Creates the bucket, or sets its versioning, encryption, public access block and tags again. */
    default void ensureBucket(ResourceSpecs.Bucket spec) {
        throw new TemplateException("this backend does not create AWS::S3::Bucket resources (" + spec.name() + ")");
    }

    /** Sets the bucket's policy. */
    default void putBucketPolicy(ResourceSpecs.BucketPolicy spec) {
        throw new TemplateException("this backend does not set AWS::S3::BucketPolicy resources (" + spec.bucket() + ")");
    }

    /** Creates the repository, or sets its settings again. */
    default void ensureRepository(ResourceSpecs.Repository spec) {
        throw new TemplateException("this backend does not create AWS::ECR::Repository resources (" + spec.name() + ")");
    }

    /** Creates or overwrites the parameter. */
    default void ensureParameter(ResourceSpecs.Parameter spec) {
        throw new TemplateException("this backend does not create AWS::SSM::Parameter resources (" + spec.name() + ")");
    }

    /**
     * Creates the role, or brings its trust policy, inline policies and managed policies in line. A backend that keeps
     * no IAM (a test fake) ignores roles and policies: nothing in the local stack reads them from the backend.
     */
    default void ensureRole(ResourceSpecs.Role spec) {
    }

    /** Puts the inline policy on each of its roles (see {@link #ensureRole} for a backend without IAM). */
    default void putRolePolicy(ResourceSpecs.RolePolicy spec) {
    }

    /**
     * Creates the managed policy (or a new default version of it) and attaches it to its roles; answers its ARN
     * (see {@link #ensureRole} for a backend without IAM).
     */
    default String ensureManagedPolicy(ResourceSpecs.ManagedPolicy spec) {
        return "arn:aws:iam::000000000000:policy" + (spec.path() == null ? "/" : spec.path()) + spec.name();
    }

    /**
     * The code of a function whose template names it in S3 ({@code Code.S3Bucket} / {@code S3Key}), as a local file
     * (a jar), or null when this backend has no S3 (then the cloud assembly's asset is used).
     */
    default Path functionCode(String bucket, String key) {
        return null;
    }

    /**
     * The value of an API key that has none in the template: the value it got when it was created (a redeploy keeps
     * it, as API Gateway does), else a new one from {@code generate}.
     */
    default String apiKeyValue(String keyId, Supplier<String> generate) {
        return generate.get();
    }

    /**
     * Deletes a resource a deployment no longer has (or a deleted stack had). What AWS refuses (a bucket that is not
     * empty) fails with a {@link TemplateException} that says so.
     */
    default void delete(StackModel.Provisioned resource) {
        throw new TemplateException("this backend does not delete " + resource.type() + " resources ("
                + resource.physicalId() + ")");
    }

    /**
     * Whether a resource of this type and physical name exists in the backend already (one a stack did not create:
     * retained by a deleted stack, or made by hand). Types the backend cannot tell answer false.
     */
    default boolean exists(String type, String physicalName) {
        return false;
    }
}
