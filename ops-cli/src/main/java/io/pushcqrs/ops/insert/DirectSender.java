package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.validation.NotificationValidator;
import io.pushcqrs.model.validation.ValidationException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * PutItem straight into command-records, as operators' tools (the AWS CLI, batch loaders) do: the item carries
 * no {@code version}, and the stream projects it all the same. A command without transaction_id or created_at
 * gets a random id and the current time. Commands are validated as the API would (an invalid one is
 * {@link Outcome.Kind#REJECTED} and not written); the put is unconditional, like theirs.
 */
public final class DirectSender implements Sender {
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final LongSupplier clock;

    public DirectSender(DynamoDbClient dynamoDb, String table, LongSupplier clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Outcome send(JsonNode command) {
        long start = System.nanoTime();
        Notification n;
        try {
            ObjectNode body = command.deepCopy();
            if (!body.hasNonNull(Attr.TRANSACTION_ID)) {
                body.put(Attr.TRANSACTION_ID, "tx-" + UUID.randomUUID());
            }
            if (!body.hasNonNull(Attr.CREATED_AT)) {
                body.put(Attr.CREATED_AT, clock.getAsLong());
            }
            n = Json.read(Json.write(body), Notification.class);
            NotificationValidator.validateNew(n);
        } catch (ValidationException e) {
            String tx = command.path(Attr.TRANSACTION_ID).isTextual() ? command.get(Attr.TRANSACTION_ID).asText() : null;
            return new Outcome(Outcome.Kind.REJECTED, tx, "invalid: " + e.getMessage(), System.nanoTime() - start);
        }
        try {
            dynamoDb.putItem(PutItemRequest.builder().tableName(table)
                    .item(NotificationMapper.toCommandItem(n.toBuilder().version(null).build())).build());
            return new Outcome(Outcome.Kind.CREATED, n.transactionId(), null, System.nanoTime() - start);
        } catch (SdkException e) {
            return new Outcome(Outcome.Kind.ERROR, n.transactionId(), "DynamoDB: " + e.getMessage(),
                    System.nanoTime() - start);
        }
    }

    @Override
    public String target() {
        return "PutItem " + table;
    }
}
