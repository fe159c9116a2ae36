package io.pushcqrs.local.resources;

import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.util.Map;

/** Where tables, queues and secrets are created: moto's server ({@link AwsBackend}), or a fake in tests. */
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
}
