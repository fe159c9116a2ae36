package io.pushcqrs.local.moto;

import io.pushcqrs.local.resources.Backend;
import io.pushcqrs.local.resources.SecretSpec;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Creates tables, queues and secrets through the AWS SDK (pointed at moto's server). */
public final class AwsBackend implements Backend {
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private MotoSecrets secrets;

    public AwsBackend(DynamoDbClient dynamoDb, SqsClient sqs) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
    }

    @Override
    public synchronized String ensureSecret(SecretSpec spec) {
        if (secrets == null) {
            // the Secrets Manager of the same moto server the DynamoDB client talks to
            URI endpoint = dynamoDb.serviceClientConfiguration().endpointOverride().orElseThrow(() ->
                    new TemplateException("the AWS backend has no endpoint to create secret " + spec.name() + " at"));
            secrets = new MotoSecrets(MotoClients.secretsManager(endpoint));
        }
        return secrets.ensure(spec);
    }

    @Override
    public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
        String name = request.tableName();
        TableDescription table;
        try {
            table = dynamoDb.createTable(request).tableDescription();
        } catch (ResourceInUseException exists) {
            table = describe(name);
            boolean wantsStream = request.streamSpecification() != null
                    && Boolean.TRUE.equals(request.streamSpecification().streamEnabled());
            boolean hasStream = table.streamSpecification() != null
                    && Boolean.TRUE.equals(table.streamSpecification().streamEnabled());
            if (wantsStream && !hasStream) {
                table = dynamoDb.updateTable(UpdateTableRequest.builder().tableName(name)
                        .streamSpecification(request.streamSpecification()).build()).tableDescription();
            }
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

    private TableDescription awaitActive(TableDescription table) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (table.tableStatus() != TableStatus.ACTIVE && System.nanoTime() < deadline) {
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
