package io.pushcqrs.local.resources;

import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import io.pushcqrs.local.moto.AwsBackend;
import io.pushcqrs.local.moto.MotoClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Provisioning the CDK-synthesized fixture into moto's server. */
class ProvisioningTest {
    private static DynamoDbClient ddb;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        MotoServer moto = MotoServer.shared();
        ddb = MotoClients.dynamoDb(moto.endpoint());
        sqs = MotoClients.sqs(moto.endpoint());
    }

    @AfterAll
    static void close() {
        ddb.close();
        sqs.close();
    }

    private static StackModel load(Template template) {
        return new StackLoader(template, StackLoaderTest.EDGE, null).load(new AwsBackend(ddb, sqs));
    }

    private static ObjectNode fixtureWithNames(String suffix) throws Exception {
        String text = java.nio.file.Files.readString(StackLoaderTest.fixtureCdkOut().resolve("fx-notification-cqrs.template.json"))
                .replace("\"fx-command-records\"", "\"fx-command-records-" + suffix + "\"")
                .replace("\"fx-notification-records\"", "\"fx-notification-records-" + suffix + "\"")
                .replace("\"fx-stream-processor-dlq\"", "\"fx-stream-processor-dlq-" + suffix + "\"");
        return (ObjectNode) new ObjectMapper().readTree(text);
    }

    @Test
    void tablesGsisStreamAndQueueExistInMotoAsDeclaredAndASecondLoadKeepsThem() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Template template = Template.parse(fixtureWithNames(suffix), "fx-notification-cqrs", null, StackLoaderTest.fixtureCdkOut());
        StackModel model = load(template);

        TableDescription commands = ddb.describeTable(b -> b.tableName("fx-command-records-" + suffix)).table();
        assertThat(commands.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("transaction_id:" + KeyType.HASH, "created_at:" + KeyType.RANGE);
        assertThat(commands.attributeDefinitions()).extracting(a -> a.attributeName() + ":" + a.attributeType())
                .contains("created_at:" + ScalarAttributeType.N);
        assertThat(commands.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(commands.streamSpecification().streamEnabled()).isTrue();
        assertThat(commands.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(commands.latestStreamArn()).startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/");
        // the real stream ARN replaces the template's GetAtt everywhere
        assertThat(model.tables().get(0).streamArn()).isEqualTo(commands.latestStreamArn());
        assertThat(model.mappings().get(0).streamArn()).isEqualTo(commands.latestStreamArn());
        assertThat(model.outputs().get("CommandStreamArn")).isEqualTo(commands.latestStreamArn());

        TableDescription views = ddb.describeTable(b -> b.tableName("fx-notification-records-" + suffix)).table();
        assertThat(views.globalSecondaryIndexes()).extracting(g -> g.indexName())
                .containsExactlyInAnyOrder("marketing-index", "transaction-index", "sns-index", "failures-index");
        assertThat(views.globalSecondaryIndexes()).allSatisfy(g -> assertThat(g.projection().projectionTypeAsString()).isEqualTo("ALL"));

        String url = sqs.getQueueUrl(b -> b.queueName("fx-stream-processor-dlq-" + suffix)).queueUrl();
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600");
        assertThat(model.outputs().get("DlqUrl")).isEqualTo(StackLoaderTest.EDGE + "/000000000000/fx-stream-processor-dlq-" + suffix);

        StackModel again = load(Template.parse(fixtureWithNames(suffix), "fx-notification-cqrs", null, StackLoaderTest.fixtureCdkOut()));
        assertThat(again.tables().get(0).streamArn()).isEqualTo(commands.latestStreamArn());
        assertThat(again.queues().get(0).url()).isEqualTo(model.queues().get(0).url());
    }

    @Test
    void anExistingTableWithoutAStreamGetsTheDeclaredStream() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ddb.createTable(b -> b.tableName("fx-command-records-" + suffix).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("transaction_id").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("created_at").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("transaction_id").keyType(KeyType.HASH),
                        k -> k.attributeName("created_at").keyType(KeyType.RANGE)));
        StackModel model = load(Template.parse(fixtureWithNames(suffix), "fx-notification-cqrs", null, StackLoaderTest.fixtureCdkOut()));
        TableDescription commands = ddb.describeTable(b -> b.tableName("fx-command-records-" + suffix)).table();
        assertThat(commands.streamSpecification().streamEnabled()).isTrue();
        assertThat(model.tables().get(0).streamArn()).isEqualTo(commands.latestStreamArn()).isNotNull();
    }
}
