package io.pushcqrs.local.dynamodb;

import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.MotoForwarder;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The edge refuses, as DynamoDB does, what moto would store: seen through the AWS SDK, with moto behind the edge. */
class DynamoDbInputCheckTest {
    static MotoServer moto;
    static EdgeServer edge;
    static DynamoDbClient direct;
    static DynamoDbClient viaEdge;
    static DynamoDbStreamsClient streams;
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
        direct = MotoClients.dynamoDb(moto.endpoint()); // the account the edge forwards to
        edge = EdgeServer.bind("127.0.0.1", 0);
        edge.start(new EdgeServer.Routes(null, null, new MotoForwarder("127.0.0.1", moto.port(), LOG::add)
                .addCheck(new DynamoDbInputCheck(direct, LOG::add)), () -> Map.of(), LOG::add));
        viaEdge = LocalAws.dynamoDb(URI.create(edge.endpoint()));
        streams = DynamoDbStreamsClient.builder().endpointOverride(URI.create(edge.endpoint())).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        viaEdge.close();
        streams.close();
        direct.close();
        edge.close();
    }

    @Test
    void anItemWithAnEmptyMapKeyIsRefusedWithDynamoDbsValidationExceptionAndNeverReachesTheStream() {
        String table = "check-" + System.nanoTime();
        String streamArn = viaEdge.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())).tableDescription().latestStreamArn();

        DynamoDbException refused = catchThrowableOfType(DynamoDbException.class, () -> viaEdge.putItem(b -> b.tableName(table)
                .item(Map.of("id", AttributeValue.fromS("bad"), "payload", AttributeValue.fromM(Map.of("", AttributeValue.fromS("x")))))));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(refused.awsErrorDetails().errorMessage())
                .isEqualTo("One or more parameter values were invalid: An attribute name may not be empty");
        assertThat(refused.requestId()).isNotBlank();
        assertThat(LOG).anySatisfy(l -> assertThat(l).contains("PutItem on " + table + " refused at the edge"));

        // DynamoDB's key rules, with the table's schema: a number where the key is a string
        DynamoDbException mismatch = catchThrowableOfType(DynamoDbException.class, () -> viaEdge.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromN("1")))));
        assertThat(mismatch.awsErrorDetails().errorMessage()).isEqualTo("The provided key element does not match the schema");

        viaEdge.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("good"),
                "payload", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("x"))))));
        assertThat(direct.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS("good")))).hasItem()).isTrue();
        assertThat(direct.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS("bad")))).hasItem()).isFalse();
        String shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = streams.getRecords(b -> b.shardIterator(iterator)).records();
        assertThat(records).extracting(r -> r.dynamodb().keys().get("id").s()).containsExactly("good");
    }

    @Test
    void aTableCreatedAfterTheFirstCallIsKnownToo() {
        String table = "later-" + System.nanoTime();
        // unknown table: moto answers ResourceNotFoundException, as DynamoDB does
        assertThat(catchThrowableOfType(DynamoDbException.class, () -> viaEdge.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS("x"))))).awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
        viaEdge.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        DynamoDbException missingKey = catchThrowableOfType(DynamoDbException.class, () -> viaEdge.putItem(b -> b.tableName(table)
                .item(Map.of("other", AttributeValue.fromS("x")))));
        assertThat(missingKey.awsErrorDetails().errorMessage())
                .isEqualTo("One or more parameter values were invalid: Missing the key id in the item");
    }
}
