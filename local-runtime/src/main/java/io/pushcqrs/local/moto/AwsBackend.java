package io.pushcqrs.local.moto;

import io.pushcqrs.local.resources.Backend;
import io.pushcqrs.local.resources.ResourceSpecs;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.resources.SecretSpec;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Creates, updates and deletes the template's resources through the AWS SDK, pointed at moto's server: tables,
 * queues, secrets, buckets, repositories, parameters and IAM roles; fetches functions' code from moto's S3. The clients
 * of the services other than DynamoDB and SQS are made on first use, for the same moto server.
 */
public final class AwsBackend implements Backend {
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final Path codeDir;
    private final Map<String, String> apiKeyValues = new ConcurrentHashMap<>();
    private final Map<String, String> bucketPolicies = new ConcurrentHashMap<>();
    private MotoSecrets secrets;
    private MotoS3 s3;
    private MotoIam iam;
    private MotoEcrSsm ecrSsm;

    public AwsBackend(DynamoDbClient dynamoDb, SqsClient sqs) {
        this(dynamoDb, sqs, null);
    }

    /** @param codeDir where functions' code fetched from S3 is kept (null: functions cannot come from S3) */
    public AwsBackend(DynamoDbClient dynamoDb, SqsClient sqs, Path codeDir) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.codeDir = codeDir;
    }

    /** moto's endpoint (the one the DynamoDB client talks to). */
    private URI endpoint(String what) {
        return dynamoDb.serviceClientConfiguration().endpointOverride().orElseThrow(() ->
                new TemplateException("the AWS backend has no endpoint to create " + what + " at"));
    }

    private synchronized MotoSecrets secrets() {
        if (secrets == null) {
            secrets = new MotoSecrets(MotoClients.secretsManager(endpoint("secrets")));
        }
        return secrets;
    }

    private synchronized MotoS3 s3() {
        if (s3 == null) {
            s3 = new MotoS3(MotoClients.s3(endpoint("buckets")));
        }
        return s3;
    }

    private synchronized MotoIam iam() {
        if (iam == null) {
            iam = new MotoIam(MotoClients.iam(endpoint("roles")));
        }
        return iam;
    }

    private synchronized MotoEcrSsm ecrSsm() {
        if (ecrSsm == null) {
            URI endpoint = endpoint("repositories and parameters");
            ecrSsm = new MotoEcrSsm(MotoClients.ecr(endpoint), MotoClients.ssm(endpoint));
        }
        return ecrSsm;
    }

    @Override
    public String ensureSecret(SecretSpec spec) {
        return secrets().ensure(spec);
    }

    @Override
    public void ensureBucket(ResourceSpecs.Bucket spec) {
        s3().ensureBucket(spec);
    }

    /**
     * Kept here, not set in moto: moto 5.2.1 evaluates a bucket policy's Condition wrongly (a Deny statement whose
     * condition does not hold still denies), so cdk bootstrap's "deny unless aws:SecureTransport" policy would make the
     * asset bucket refuse every upload. The local stack does not enforce S3 access.
     */
    @Override
    public void putBucketPolicy(ResourceSpecs.BucketPolicy spec) {
        bucketPolicies.put(spec.bucket(), spec.document());
    }

    /** The bucket policies of the template (see {@link #putBucketPolicy}). */
    public Map<String, String> bucketPolicies() {
        return Map.copyOf(bucketPolicies);
    }

    @Override
    public void ensureRepository(ResourceSpecs.Repository spec) {
        ecrSsm().ensureRepository(spec);
    }

    @Override
    public void ensureParameter(ResourceSpecs.Parameter spec) {
        ecrSsm().ensureParameter(spec);
    }

    @Override
    public void ensureRole(ResourceSpecs.Role spec) {
        iam().ensureRole(spec);
    }

    @Override
    public void putRolePolicy(ResourceSpecs.RolePolicy spec) {
        iam().putRolePolicy(spec);
    }

    @Override
    public String ensureManagedPolicy(ResourceSpecs.ManagedPolicy spec) {
        return iam().ensureManagedPolicy(spec);
    }

    @Override
    public Path functionCode(String bucket, String key) {
        if (codeDir == null) {
            return null;
        }
        return s3().download(bucket, key, codeDir);
    }

    /** An object of moto's S3 (a template given by TemplateURL). */
    public byte[] readObject(String bucket, String key) {
        return s3().read(bucket, key);
    }

    /** The value of an SSM parameter of moto, or null when it does not exist. */
    public String parameterValue(String name) {
        return ecrSsm().value(name);
    }

    @Override
    public String apiKeyValue(String keyId, Supplier<String> generate) {
        return apiKeyValues.computeIfAbsent(keyId, k -> generate.get());
    }

    @Override
    public boolean exists(String type, String name) {
        try {
            switch (type) {
                case "AWS::DynamoDB::Table" -> {
                    dynamoDb.describeTable(b -> b.tableName(name));
                    return true;
                }
                case "AWS::SQS::Queue" -> {
                    sqs.getQueueUrl(b -> b.queueName(name));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        } catch (ResourceNotFoundException | QueueDoesNotExistException e) {
            return false;
        }
    }

    @Override
    public void delete(StackModel.Provisioned r) {
        String id = r.physicalId();
        try {
            switch (r.type()) {
                case "AWS::DynamoDB::Table" -> {
                    try {
                        dynamoDb.deleteTable(b -> b.tableName(id));
                    } catch (ResourceNotFoundException e) {
                        // gone already
                    }
                }
                case "AWS::SQS::Queue" -> {
                    String name = id.substring(id.lastIndexOf('/') + 1);
                    try {
                        String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
                        sqs.deleteQueue(b -> b.queueUrl(url));
                    } catch (QueueDoesNotExistException e) {
                        // gone already
                    }
                }
                case "AWS::SecretsManager::Secret" -> secrets().delete(id);
                case "AWS::S3::Bucket" -> s3().deleteBucket(id);
                case "AWS::S3::BucketPolicy" -> bucketPolicies.remove(id);
                case "AWS::ECR::Repository" -> ecrSsm().deleteRepository(id);
                case "AWS::SSM::Parameter" -> ecrSsm().deleteParameter(id);
                case "AWS::IAM::Role" -> iam().deleteRole(id);
                case "AWS::IAM::Policy" -> iam().deleteRolePolicy(id, r.attachedTo());
                case "AWS::IAM::ManagedPolicy" -> iam().deleteManagedPolicy(id, r.attachedTo());
                default -> throw new TemplateException("the local stack cannot delete " + r.type() + " resources ("
                        + r.logicalId() + ")");
            }
        } catch (SdkException e) {
            throw new TemplateException("cannot delete " + r.logicalId() + " (" + r.type() + " " + id + ") in moto: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
        String name = request.tableName();
        TableDescription table;
        try {
            table = dynamoDb.createTable(request).tableDescription();
        } catch (ResourceInUseException exists) {
            table = TableUpdates.apply(dynamoDb, request, awaitActive(describe(name)), this::awaitActive);
        } catch (SdkException e) {
            throw new TemplateException("cannot create the table " + name + " in moto: " + e.getMessage(), e);
        }
        table = awaitActive(table);
        if (ttl != null) {
            try {
                dynamoDb.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                        .timeToLiveSpecification(ttl).build());
            } catch (SdkException e) {
                // already set the same way (a restart on a backend that kept the table): keep it
                if (!String.valueOf(e.getMessage()).contains("already")) {
                    throw new TemplateException("cannot set the TTL of table " + name + " in moto: " + e.getMessage(), e);
                }
            }
        }
        return table.latestStreamArn();
    }

    private TableDescription describe(String name) {
        return dynamoDb.describeTable(DescribeTableRequest.builder().tableName(name).build()).table();
    }

    /** Waits (up to 30 s) until the table and every index of it is ACTIVE. */
    TableDescription awaitActive(TableDescription table) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((table.tableStatus() != TableStatus.ACTIVE || !TableUpdates.indexesActive(table))
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TemplateException("interrupted while waiting for table " + table.tableName(), e);
            }
            table = describe(table.tableName());
        }
        if (table.tableStatus() != TableStatus.ACTIVE) {
            throw new TemplateException("the table " + table.tableName() + " is still " + table.tableStatus()
                    + " after 30 s");
        }
        return table;
    }

    @Override
    public String ensureQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
        try {
            return sqs.createQueue(CreateQueueRequest.builder().queueName(name).attributesWithStrings(attributes)
                    .tags(tags).build()).queueUrl();
        } catch (QueueNameExistsException e) {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            Map<String, String> settable = new HashMap<>(attributes);
            settable.remove(QueueAttributeName.FIFO_QUEUE.toString());
            if (!settable.isEmpty()) {
                sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(settable));
            }
            return url;
        } catch (SdkException e) {
            throw new TemplateException("cannot create the queue " + name + " in moto: " + e.getMessage(), e);
        }
    }
}
