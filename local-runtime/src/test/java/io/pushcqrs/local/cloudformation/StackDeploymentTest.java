package io.pushcqrs.local.cloudformation;

import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.stack.RunningStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The CloudFormation API of a stack started empty, driven as the CDK CLI drives it (query protocol over HTTP, code
 * published to S3 first), with a small template of the types this app uses: a table with a stream and a custom name,
 * a queue, a function whose code is a jar in S3, the stream's event source mapping. Covers create, no-change, an
 * in-place update (function swapped, index added, queue removed, the stream's checkpoint kept), a replacement AWS
 * refuses, an unsupported type and a failure half-way (both rolled back, nothing left), YAML from a TemplateURL, and
 * delete (with DeletionPolicy Retain).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackDeploymentTest {
    private static final Path DIR = Path.of("target", "stack-deployment-test").toAbsolutePath();
    private static final String STACK = "cfn-test";
    private static final String TABLE = "cfn-test-items";
    private static final String FUNCTION = "cfn-test-fn";
    private static final String BUCKET = "cfn-test-assets";
    private static final Pattern STATUS = Pattern.compile("<StackStatus>([A-Z_]+)</StackStatus>");

    private RunningStack stack;
    private HttpClient http;
    private DynamoDbClient ddb;
    private SqsClient sqs;
    private S3Client s3;
    private String queueUrl;

    @BeforeAll
    void start() throws IOException {
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        stack = LocalStackMain.startWith(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                "--empty", "--port", "0", "--state-dir", DIR.resolve("state").toString(), "--max-envs", "1");
        http = HttpClient.newHttpClient();
        URI edge = URI.create(stack.endpoint());
        ddb = MotoClients.dynamoDb(edge);
        sqs = MotoClients.sqs(edge);
        s3 = MotoClients.s3(edge);
        // what cdk deploy does first: publish the code (here: the test handlers) to the asset bucket
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("fn.jar"), RequestBody.fromBytes(testFunctionsJar()));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ the template

    private static String template(String customValue, boolean withIndex, boolean withQueue, int batchSize,
                                   String keySchemaExtra) {
        String index = withIndex ? ", 'GlobalSecondaryIndexes': [{'IndexName': 'by-kind', 'KeySchema': [{'AttributeName':"
                + " 'kind', 'KeyType': 'HASH'}], 'Projection': {'ProjectionType': 'KEYS_ONLY'}}]" : "";
        String attributes = "{'AttributeName': 'pk', 'AttributeType': 'S'}" + (withIndex || keySchemaExtra != null
                ? ", {'AttributeName': 'kind', 'AttributeType': 'S'}" : "");
        String keys = "{'AttributeName': 'pk', 'KeyType': 'HASH'}" + (keySchemaExtra == null ? "" : ", " + keySchemaExtra);
        String queue = withQueue ? "'Queue': {'Type': 'AWS::SQS::Queue', 'Properties': {'VisibilityTimeout': 40}}," : "";
        String queueOutput = withQueue ? "'QueueUrl': {'Value': {'Ref': 'Queue'}}," : "";
        return ("""
                {'Description': 'the deployment test',
                 'Parameters': {'Stage': {'Type': 'String', 'Default': 'test', 'AllowedValues': ['test', 'prod']}},
                 'Resources': {
                  'Table': {'Type': 'AWS::DynamoDB::Table', 'Properties': {'TableName': '%s', 'BillingMode': 'PAY_PER_REQUEST',
                     'AttributeDefinitions': [%s], 'KeySchema': [%s],
                     'StreamSpecification': {'StreamViewType': 'NEW_IMAGE'}%s}},
                  %s
                  'Kept': {'Type': 'AWS::SQS::Queue', 'DeletionPolicy': 'Retain', 'Properties': {}},
                  'Role': {'Type': 'AWS::IAM::Role', 'Properties': {'AssumeRolePolicyDocument': {'Version': '2012-10-17',
                     'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]},
                     'Policies': [{'PolicyName': 'stream', 'PolicyDocument': {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow',
                       'Action': ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams',
                                  'logs:CreateLogStream', 'logs:PutLogEvents'], 'Resource': '*'}]}}]}},
                  'Fn': {'Type': 'AWS::Lambda::Function', 'Properties': {'FunctionName': '%s', 'Runtime': 'java21',
                     'Role': {'Fn::GetAtt': ['Role', 'Arn']},
                     'Handler': 'io.pushcqrs.local.lambda.testfn.EchoHandler::handleRequest', 'Timeout': 20, 'MemorySize': 256,
                     'Code': {'S3Bucket': '%s', 'S3Key': 'fn.jar'},
                     'Environment': {'Variables': {'CUSTOM': {'Fn::Sub': '%s:${Table}:${Stage}'}}}}},
                  'Mapping': {'Type': 'AWS::Lambda::EventSourceMapping', 'Properties': {'FunctionName': {'Ref': 'Fn'},
                     'EventSourceArn': {'Fn::GetAtt': ['Table', 'StreamArn']}, 'StartingPosition': 'TRIM_HORIZON',
                     'BatchSize': %d}}},
                 'Outputs': {'TableName': {'Value': {'Ref': 'Table'}, 'Description': 'the table'}, %s
                   'FnArn': {'Value': {'Fn::GetAtt': ['Fn', 'Arn']}, 'Export': {'Name': {'Fn::Sub': '${AWS::StackName}-fn'}}}}}
                """).formatted(TABLE, attributes, keys, index, queue, FUNCTION, BUCKET, customValue, batchSize, queueOutput)
                .replace('\'', '"');
    }

    private static final String V1 = template("v1", false, true, 10, null);
    private static final String V2 = template("v2", true, false, 5, null);

    // ------------------------------------------------------------------------------------------------ the scenarios

    @Test
    @Order(1)
    void aChangeSetCreatesTheStackWithAnEventPerResourceItsOutputsAndItsResources() throws Exception {
        String created = cfn("CreateChangeSet", "StackName", STACK, "ChangeSetName", "create-1", "ChangeSetType", "CREATE",
                "TemplateBody", V1);
        String changeSetId = text(created, "Id");
        assertThat(changeSetId).startsWith("arn:aws:cloudformation:us-east-1:000000000000:changeSet/create-1/");
        assertThat(status(cfn("DescribeStacks", "StackName", STACK))).isEqualTo("REVIEW_IN_PROGRESS");
        String described = cfn("DescribeChangeSet", "ChangeSetName", changeSetId);
        assertThat(text(described, "Status")).isEqualTo("CREATE_COMPLETE");
        assertThat(all(described, "Action")).containsOnly("Add").hasSize(6);
        assertThat(all(described, "LogicalResourceId")).containsExactly("Table", "Queue", "Kept", "Role", "Fn", "Mapping");

        cfn("ExecuteChangeSet", "ChangeSetName", changeSetId);

        String stacks = cfn("DescribeStacks", "StackName", STACK);
        assertThat(status(stacks)).isEqualTo("CREATE_COMPLETE");
        assertThat(output(stacks, "TableName")).isEqualTo(TABLE);
        queueUrl = output(stacks, "QueueUrl");
        assertThat(queueUrl).startsWith(stack.endpoint() + "/000000000000/cfn-test-Queue-");
        assertThat(output(stacks, "FnArn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:" + FUNCTION);
        assertThat(stacks).contains("<ExportName>cfn-test-fn</ExportName>").contains("<ParameterValue>test</ParameterValue>");
        // one IN_PROGRESS and one COMPLETE event per resource, the stack's own around them (newest first)
        String events = cfn("DescribeStackEvents", "StackName", STACK);
        List<String> statuses = all(events, "ResourceStatus");
        assertThat(statuses.get(0)).isEqualTo("CREATE_COMPLETE");
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("REVIEW_IN_PROGRESS");
        assertThat(statuses).filteredOn("CREATE_IN_PROGRESS"::equals).hasSize(7);
        assertThat(statuses).filteredOn("CREATE_COMPLETE"::equals).hasSize(7);
        String resources = cfn("ListStackResources", "StackName", STACK);
        assertThat(all(resources, "PhysicalResourceId")).contains(TABLE, FUNCTION, queueUrl);
        assertThat(text(cfn("GetTemplate", "StackName", STACK), "TemplateBody")).isEqualTo(V1);

        // the function runs, from the jar in S3, with the template's environment
        String answer = invoke("{}");
        assertThat(answer).contains("\"CUSTOM\":\"v1:" + TABLE + ":test\"");
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("VisibilityTimeout"))
                .attributesAsStrings()).containsEntry("VisibilityTimeout", "40");
    }

    @Test
    @Order(2)
    void theSameTemplateAgainIsAChangeSetWithoutChangesAsOnAws() throws Exception {
        String created = cfn("CreateChangeSet", "StackName", STACK, "ChangeSetName", "same", "TemplateBody", V1);
        String described = cfn("DescribeChangeSet", "StackName", STACK, "ChangeSetName", "same");
        assertThat(text(described, "Status")).isEqualTo("FAILED");
        assertThat(text(described, "StatusReason")).startsWith("The submitted information didn't contain changes.");
        assertThat(error(cfnCall("ExecuteChangeSet", "ChangeSetName", text(created, "Id"))))
                .contains("InvalidChangeSetStatus");
        cfn("DeleteChangeSet", "StackName", STACK, "ChangeSetName", "same");
        cfn("DeleteChangeSet", "StackName", STACK, "ChangeSetName", "same"); // gone already: no error, as on AWS
        assertThat(error(cfnCall("DescribeChangeSet", "StackName", STACK, "ChangeSetName", "same")))
                .contains("ChangeSetNotFound");
    }

    @Test
    @Order(3)
    void anUpdateSwapsTheFunctionAddsTheIndexRemovesTheQueueAndKeepsTheStreamsCheckpoint() throws Exception {
        String streamArn = ddb.describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
        put("item-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> batchLines().size() == 1);
        assertThat(batchLines().get(0)).contains("records=1");

        deploy("update-1", V2);

        assertThat(status(cfn("DescribeStacks", "StackName", STACK))).isEqualTo("UPDATE_COMPLETE");
        List<String> statuses = all(cfn("DescribeStackEvents", "StackName", STACK), "ResourceStatus");
        assertThat(statuses.subList(0, statuses.indexOf("UPDATE_IN_PROGRESS") + 1))
                .contains("UPDATE_COMPLETE", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "DELETE_COMPLETE");
        assertThat(invoke("{}")).contains("\"CUSTOM\":\"v2:" + TABLE + ":test\"");
        assertThat(ddb.describeTable(b -> b.tableName(TABLE)).table().globalSecondaryIndexes())
                .anyMatch(g -> g.indexName().equals("by-kind"));
        assertThat(ddb.describeTable(b -> b.tableName(TABLE)).table().latestStreamArn()).isEqualTo(streamArn);
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName(queueUrl.substring(queueUrl.lastIndexOf('/') + 1))))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThat(ddb.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("item-1")))).hasItem()).isTrue();

        // the mapping's batch size changed: a new poller, which resumes after item-1 (no replay)
        put("item-2");
        await().atMost(Duration.ofSeconds(60)).until(() -> batchLines().size() == 2);
        assertThat(batchLines().get(1)).contains("records=1");
    }

    @Test
    @Order(4)
    void aReplacementOfACustomNamedResourceFailsAsOnAwsAndTheStackRollsBack() throws Exception {
        String changed = template("v3", true, false, 5, "{'AttributeName': 'kind', 'KeyType': 'RANGE'}".replace('\'', '"'));
        deploy("replace", changed);

        String stacks = cfn("DescribeStacks", "StackName", STACK);
        assertThat(status(stacks)).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        String events = cfn("DescribeStackEvents", "StackName", STACK);
        assertThat(events).contains("CloudFormation cannot update a stack when a custom-named resource requires replacing."
                + " Rename " + TABLE + " and update the stack again.");
        assertThat(events).contains("UPDATE_ROLLBACK_IN_PROGRESS").contains("Resource update cancelled");
        // nothing changed: the function is still v2, the table and its item are there
        assertThat(invoke("{}")).contains("\"CUSTOM\":\"v2:" + TABLE + ":test\"");
        assertThat(ddb.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("item-1")))).hasItem()).isTrue();
        assertThat(text(cfn("GetTemplate", "StackName", STACK), "TemplateBody")).isEqualTo(V2);
    }

    @Test
    @Order(5)
    void anUnsupportedTypeFailsNamingTheResourceAndTheTypeAndNothingIsLeft() throws Exception {
        String body = """
                {'Resources': {'Q': {'Type': 'AWS::SQS::Queue', 'Properties': {'QueueName': 'half-made-queue'}},
                               'Topic': {'Type': 'AWS::SNS::Topic', 'Properties': {}}}}""".replace('\'', '"');
        String id = text(cfn("CreateChangeSet", "StackName", "unsupported", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateBody", body), "Id");
        cfn("ExecuteChangeSet", "ChangeSetName", id);

        assertThat(status(cfn("DescribeStacks", "StackName", "unsupported"))).isEqualTo("ROLLBACK_COMPLETE");
        String events = cfn("DescribeStackEvents", "StackName", "unsupported");
        Matcher failed = Pattern.compile("<LogicalResourceId>Topic</LogicalResourceId>.*?<ResourceStatus>CREATE_FAILED"
                + "</ResourceStatus><ResourceStatusReason>([^<]*)</ResourceStatusReason>").matcher(events);
        assertThat(failed.find()).as(events).isTrue();
        assertThat(failed.group(1)).contains("resource Topic has type AWS::SNS::Topic, which the local stack does not support");
        assertThat(events).contains("The following resource(s) failed to create: [Topic]. Rollback requested by user.");
        assertThat(sqs.listQueues().queueUrls()).noneMatch(u -> u.endsWith("/half-made-queue"));
        // a stack in ROLLBACK_COMPLETE can only be deleted, as on AWS
        assertThat(error(cfnCall("CreateChangeSet", "StackName", "unsupported", "ChangeSetName", "again",
                "TemplateBody", body))).contains("ROLLBACK_COMPLETE state and can not be updated");
        cfn("DeleteStack", "StackName", "unsupported");
        assertThat(error(cfnCall("DescribeStacks", "StackName", "unsupported")))
                .contains("Stack with id unsupported does not exist");
    }

    @Test
    @Order(6)
    void aFailureHalfWayDeletesWhatWasCreatedBeforeIt() throws Exception {
        String body = """
                {'Resources': {'T': {'Type': 'AWS::DynamoDB::Table', 'Properties': {'TableName': 'half-made-table',
                                 'BillingMode': 'PAY_PER_REQUEST', 'AttributeDefinitions': [{'AttributeName': 'k', 'AttributeType': 'S'}],
                                 'KeySchema': [{'AttributeName': 'k', 'KeyType': 'HASH'}]}},
                               'F': {'Type': 'AWS::Lambda::Function', 'Properties': {'Runtime': 'java21', 'Handler': 'a.B::c',
                                 'Code': {'S3Bucket': 'cfn-test-assets', 'S3Key': 'missing.jar'}}}}}""".replace('\'', '"');
        String id = text(cfn("CreateChangeSet", "StackName", "half-way", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateBody", body), "Id");
        cfn("ExecuteChangeSet", "ChangeSetName", id);

        assertThat(status(cfn("DescribeStacks", "StackName", "half-way"))).isEqualTo("ROLLBACK_COMPLETE");
        String events = cfn("DescribeStackEvents", "StackName", "half-way");
        assertThat(events).contains("s3://cfn-test-assets/missing.jar does not exist")
                .contains("The following resource(s) failed to create: [F].");
        assertThat(ddb.listTables().tableNames()).doesNotContain("half-made-table");
        cfn("DeleteStack", "StackName", "half-way");
    }

    @Test
    @Order(7)
    void aYamlTemplateInS3IsDeployedFromItsTemplateUrl() throws Exception {
        String yaml = """
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub '${AWS::StackName}-queue'
                Outputs:
                  Url:
                    Value: !Ref Q
                """;
        s3.putObject(b -> b.bucket(BUCKET).key("templates/q.yaml"), RequestBody.fromString(yaml));
        String id = text(cfn("CreateChangeSet", "StackName", "from-url", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateURL", stack.endpoint() + "/" + BUCKET + "/templates/q.yaml"), "Id");
        cfn("ExecuteChangeSet", "ChangeSetName", id);
        String stacks = cfn("DescribeStacks", "StackName", "from-url");
        assertThat(status(stacks)).isEqualTo("CREATE_COMPLETE");
        assertThat(output(stacks, "Url")).endsWith("/000000000000/from-url-queue");
        assertThat(text(cfn("GetTemplate", "StackName", "from-url"), "TemplateBody")).isEqualTo(yaml);
        assertThat(error(cfnCall("CreateChangeSet", "StackName", "bad-url", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateURL", stack.endpoint() + "/" + BUCKET + "/templates/none.yaml"))).contains("ValidationError");
        cfn("DeleteStack", "StackName", "from-url");
        assertThat(sqs.listQueues().queueUrls()).noneMatch(u -> u.endsWith("/from-url-queue"));
    }

    @Test
    @Order(8)
    void deleteRemovesEverythingButWhatTheTemplateRetains() throws Exception {
        String stackId = text(cfn("DescribeStacks", "StackName", STACK), "StackId");
        String keptUrl = physicalId("Kept");
        cfn("DeleteStack", "StackName", STACK);

        assertThat(error(cfnCall("DescribeStacks", "StackName", STACK))).contains("Stack with id " + STACK + " does not exist");
        assertThat(status(cfn("DescribeStacks", "StackName", stackId))).isEqualTo("DELETE_COMPLETE");
        String events = cfn("DescribeStackEvents", "StackName", stackId);
        assertThat(events).contains("DELETE_SKIPPED");
        assertThat(ddb.listTables().tableNames()).doesNotContain(TABLE);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.endpoint() + "/2015-03-31/functions/" + FUNCTION
                + "/invocations")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(sqs.listQueues().queueUrls()).anyMatch(u -> u.endsWith(keptUrl.substring(keptUrl.lastIndexOf('/'))));
        assertThat(stack.health().get("pollers")).asList().isEmpty();
    }

    @Test
    @Order(9)
    void unknownActionsAndStacksAnswerAwsErrors() throws Exception {
        assertThat(error(cfnCall("DescribeStacks", "StackName", "never-was"))).contains("ValidationError")
                .contains("Stack with id never-was does not exist");
        assertThat(error(cfnCall("CreateStackSet", "StackSetName", "x"))).contains("InvalidAction")
                .contains("CreateChangeSet");
        assertThat(error(cfnCall("CreateChangeSet", "StackName", "iam", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateBody", "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"RoleName\": \"x\"}}}}")))
                .contains("InsufficientCapabilitiesException").contains("CAPABILITY_NAMED_IAM");
        assertThat(error(cfnCall("CreateChangeSet", "StackName", STACK + "-p", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateBody", V1, "Parameters.member.1.ParameterKey", "Stage", "Parameters.member.1.ParameterValue", "qa")))
                .contains("<Message>Parameter 'Stage' must be one of AllowedValues</Message>");
        assertThat(error(cfnCall("CreateChangeSet", "StackName", "sam", "ChangeSetName", "c", "ChangeSetType", "CREATE",
                "TemplateBody", "{\"Transform\": \"AWS::Serverless-2016-10-31\", \"Resources\": {\"Q\": {\"Type\":"
                        + " \"AWS::SQS::Queue\"}}}"))).contains("does not process Transform");
        // a change set that is refused leaves no stack behind
        assertThat(error(cfnCall("DescribeStacks", "StackName", "sam"))).contains("does not exist");
        assertThat(error(cfnCall("CreateChangeSet", "StackName", "imp", "ChangeSetName", "c", "ChangeSetType", "IMPORT",
                "TemplateBody", V1))).contains("ChangeSetType IMPORT is not supported");
    }

    @Test
    @Order(10)
    void aRetainedQueueBlocksANewStackOfTheSameNameUnlessItImportsExistingResources() throws Exception {
        // the queue the deleted stack retained ("Kept") is still there, under the name the new stack would give it
        String id = text(cfn("CreateChangeSet", "StackName", STACK, "ChangeSetName", "again", "ChangeSetType", "CREATE",
                "TemplateBody", V1), "Id");
        cfn("ExecuteChangeSet", "ChangeSetName", id);
        assertThat(status(cfn("DescribeStacks", "StackName", STACK))).isEqualTo("ROLLBACK_COMPLETE");
        assertThat(cfn("DescribeStackEvents", "StackName", STACK))
                .contains("Resource of type 'AWS::SQS::Queue' with identifier 'cfn-test-Kept-").contains("already exists.");
        assertThat(ddb.listTables().tableNames()).doesNotContain(TABLE); // created before the queue, deleted again
        cfn("DeleteStack", "StackName", STACK);

        id = text(cfn("CreateChangeSet", "StackName", STACK, "ChangeSetName", "import", "ChangeSetType", "CREATE",
                "TemplateBody", V1, "ImportExistingResources", "true"), "Id");
        cfn("ExecuteChangeSet", "ChangeSetName", id);
        assertThat(status(cfn("DescribeStacks", "StackName", STACK))).isEqualTo("CREATE_COMPLETE");
        cfn("DeleteStack", "StackName", STACK);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void deploy(String name, String body) throws Exception {
        String id = text(cfn("CreateChangeSet", "StackName", STACK, "ChangeSetName", name, "TemplateBody", body), "Id");
        assertThat(text(cfn("DescribeChangeSet", "ChangeSetName", id), "Status")).isEqualTo("CREATE_COMPLETE");
        cfn("ExecuteChangeSet", "ChangeSetName", id);
    }

    private void put(String pk) {
        ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(pk), "kind", AttributeValue.fromS("k"))));
    }

    private List<String> batchLines() throws IOException {
        Path esm = DIR.resolve("state/logs/esm.log");
        if (!Files.exists(esm)) {
            return List.of();
        }
        return Files.readAllLines(esm).stream().filter(l -> l.contains(" records=")).toList();
    }

    private String invoke(String payload) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.endpoint() + "/2015-03-31/functions/"
                + FUNCTION + "/invocations")).POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private String physicalId(String logicalId) throws Exception {
        String xml = cfn("DescribeStackResources", "StackName", STACK, "LogicalResourceId", logicalId);
        return text(xml, "PhysicalResourceId");
    }

    /** A CloudFormation call that must succeed; its XML. */
    private String cfn(String action, String... params) throws Exception {
        HttpResponse<String> r = cfnCall(action, params);
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> cfnCall(String action, String... params) throws Exception {
        StringBuilder form = new StringBuilder("Action=" + action + "&Version=2010-05-15");
        for (int i = 0; i + 1 < params.length; i += 2) {
            form.append('&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        if (action.equals("CreateChangeSet")) {
            form.append("&Capabilities.member.1=CAPABILITY_IAM");
        }
        return http.send(HttpRequest.newBuilder(URI.create(stack.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cloudformation/aws4_request,"
                        + " SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.body()).startsWith("<ErrorResponse");
        return r.body();
    }

    private static String status(String xml) {
        Matcher m = STATUS.matcher(xml);
        assertThat(m.find()).as(xml).isTrue();
        return m.group(1);
    }

    private static String output(String xml, String key) {
        Matcher m = Pattern.compile("<OutputKey>" + key + "</OutputKey><OutputValue>([^<]*)</OutputValue>").matcher(xml);
        assertThat(m.find()).as(key + " in " + xml).isTrue();
        return m.group(1);
    }

    private static String text(String xml, String element) {
        List<String> values = all(xml, element);
        assertThat(values).as(element + " in " + xml).isNotEmpty();
        return values.get(0);
    }

    private static List<String> all(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&#13;", "\r").replace("&amp;", "&"));
        }
        return out;
    }

    /** The test handlers (io.pushcqrs.local.lambda.testfn) as a jar, as a function's code in S3 is. */
    private static byte[] testFunctionsJar() throws IOException {
        Path classes = Path.of("target", "test-classes").toAbsolutePath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(classes.resolve(
                "io/pushcqrs/local/lambda/testfn"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
