package io.pushcqrs.local.iam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Requests as the SDKs send them -> the IAM authorizations they need, by service and protocol. */
class RequestMapperTest {
    private static final String ACCT = "000000000000";
    private static final String T = "arn:aws:dynamodb:us-east-1:" + ACCT + ":table/";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCT + ":secret:cursor-secret-AbC123";
    private final RequestMapper mapper = new RequestMapper(Map.of("cursor-secret", SECRET)::get);

    private static AwsRequest json(String target, String body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("X-amz-target", List.of(target));
        h.put("Content-Type", List.of("application/x-amz-json-1.0"));
        return new AwsRequest("POST", "/", null, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static AwsRequest form(String path, String body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        return new AwsRequest("POST", path, null, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static AwsRequest rest(String method, String path, String query) {
        return new AwsRequest(method, path, query, Map.of(), new byte[0]);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // DynamoDB
                arguments(json("DynamoDB_20120810.GetItem", "{\"TableName\":\"command-records\",\"Key\":{}}"), "dynamodb",
                        Protocol.JSON, List.of("dynamodb:GetItem " + T + "command-records")),
                arguments(json("DynamoDB_20120810.Query", "{\"TableName\":\"n\",\"IndexName\":\"sns-index\"}"), "dynamodb",
                        Protocol.JSON, List.of("dynamodb:Query " + T + "n/index/sns-index")),
                arguments(json("DynamoDB_20120810.Scan", "{\"TableName\":\"n\",\"IndexName\":\"i\"}"), "dynamodb",
                        Protocol.JSON, List.of("dynamodb:Scan " + T + "n/index/i")),
                arguments(json("DynamoDB_20120810.Query", "{\"TableName\":\"" + T + "x\"}"), "dynamodb",
                        Protocol.JSON, List.of("dynamodb:Query " + T + "x")),
                arguments(json("DynamoDB_20120810.TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\"a\"}},"
                        + "{\"Update\":{\"TableName\":\"b\"}},{\"Delete\":{\"TableName\":\"a\"}},{\"ConditionCheck\":{\"TableName\":\"c\"}}]}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:PutItem " + T + "a", "dynamodb:UpdateItem " + T + "b",
                                "dynamodb:DeleteItem " + T + "a", "dynamodb:ConditionCheckItem " + T + "c")),
                arguments(json("DynamoDB_20120810.TransactGetItems", "{\"TransactItems\":[{\"Get\":{\"TableName\":\"a\"}}]}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:GetItem " + T + "a")),
                arguments(json("DynamoDB_20120810.BatchWriteItem", "{\"RequestItems\":{\"a\":[{\"PutRequest\":{}}],\"b\":[]}}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:BatchWriteItem " + T + "a", "dynamodb:BatchWriteItem " + T + "b")),
                arguments(json("DynamoDB_20120810.BatchGetItem", "{\"RequestItems\":{\"a\":{}}}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:BatchGetItem " + T + "a")),
                arguments(json("DynamoDB_20120810.ListTables", "{}"), "dynamodb", Protocol.JSON, List.of("dynamodb:ListTables *")),
                arguments(json("DynamoDB_20120810.ExecuteStatement", "{\"Statement\":\"SELECT * FROM \\\"a\\\" WHERE x=?\"}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:PartiQLSelect " + T + "a")),
                arguments(json("DynamoDB_20120810.ExecuteStatement", "{\"Statement\":\"UPDATE a SET x=1\"}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:PartiQLUpdate " + T + "a")),
                arguments(json("DynamoDB_20120810.ExecuteStatement", "{\"Statement\":\"insert into \\\"b\\\" value {}\"}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:PartiQLInsert " + T + "b")),
                // DynamoDB Streams
                arguments(json("DynamoDBStreams_20120810.GetRecords", "{\"ShardIterator\":\"" + T + "a/stream/2026-01-01T00:00:00.000|1|AAAA\"}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:GetRecords " + T + "a/stream/2026-01-01T00:00:00.000")),
                arguments(json("DynamoDBStreams_20120810.DescribeStream", "{\"StreamArn\":\"" + T + "a/stream/x\"}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:DescribeStream " + T + "a/stream/x")),
                arguments(json("DynamoDBStreams_20120810.ListStreams", "{\"TableName\":\"a\"}"),
                        "dynamodb", Protocol.JSON, List.of("dynamodb:ListStreams *")),
                // SQS, JSON and query protocols
                arguments(json("AmazonSQS.SendMessage", "{\"QueueUrl\":\"http://127.0.0.1:4566/" + ACCT + "/dlq\",\"MessageBody\":\"x\"}"),
                        "sqs", Protocol.SQS_JSON, List.of("sqs:SendMessage arn:aws:sqs:us-east-1:" + ACCT + ":dlq")),
                arguments(json("AmazonSQS.SendMessageBatch", "{\"QueueUrl\":\"http://h/" + ACCT + "/dlq\"}"),
                        "sqs", Protocol.SQS_JSON, List.of("sqs:SendMessage arn:aws:sqs:us-east-1:" + ACCT + ":dlq")),
                arguments(json("AmazonSQS.GetQueueUrl", "{\"QueueName\":\"dlq\"}"),
                        "sqs", Protocol.SQS_JSON, List.of("sqs:GetQueueUrl arn:aws:sqs:us-east-1:" + ACCT + ":dlq")),
                arguments(json("AmazonSQS.ListQueues", "{}"), "sqs", Protocol.SQS_JSON, List.of("sqs:ListQueues *")),
                arguments(form("/", "Action=ReceiveMessage&QueueUrl=http%3A%2F%2Fh%2F" + ACCT + "%2Fdlq&Version=2012-11-05"),
                        "sqs", Protocol.QUERY, List.of("sqs:ReceiveMessage arn:aws:sqs:us-east-1:" + ACCT + ":dlq")),
                arguments(form("/" + ACCT + "/dlq", "Action=DeleteMessageBatch&Version=2012-11-05"),
                        "sqs", Protocol.QUERY, List.of("sqs:DeleteMessage arn:aws:sqs:us-east-1:" + ACCT + ":dlq")),
                // Secrets Manager: a name is the secret's ARN
                arguments(json("secretsmanager.GetSecretValue", "{\"SecretId\":\"cursor-secret\"}"), "secretsmanager",
                        Protocol.JSON, List.of("secretsmanager:GetSecretValue " + SECRET)),
                arguments(json("secretsmanager.GetSecretValue", "{\"SecretId\":\"" + SECRET + "\"}"), "secretsmanager",
                        Protocol.JSON, List.of("secretsmanager:GetSecretValue " + SECRET)),
                arguments(json("secretsmanager.ListSecrets", "{}"), "secretsmanager", Protocol.JSON,
                        List.of("secretsmanager:ListSecrets *")),
                // Lambda (REST)
                arguments(rest("POST", "/2015-03-31/functions/it-query-result-lambda/invocations", null), "lambda",
                        Protocol.REST_JSON, List.of("lambda:InvokeFunction arn:aws:lambda:us-east-1:" + ACCT + ":function:it-query-result-lambda")),
                arguments(rest("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A" + ACCT + "%3Afunction%3Af%3A%24LATEST/invocations", null),
                        "lambda", Protocol.REST_JSON, List.of("lambda:InvokeFunction arn:aws:lambda:us-east-1:" + ACCT + ":function:f:$LATEST")),
                arguments(rest("POST", "/2015-03-31/functions/f/invocations", "Qualifier=live"), "lambda",
                        Protocol.REST_JSON, List.of("lambda:InvokeFunction arn:aws:lambda:us-east-1:" + ACCT + ":function:f:live")),
                arguments(rest("GET", "/2015-03-31/functions/f/configuration", null), "lambda",
                        Protocol.REST_JSON, List.of("lambda:GetFunctionConfiguration arn:aws:lambda:us-east-1:" + ACCT + ":function:f")),
                arguments(rest("GET", "/2015-03-31/functions/", null), "lambda", Protocol.REST_JSON, List.of("lambda:ListFunctions *")),
                // CloudWatch Logs, CloudWatch, STS
                arguments(json("Logs_20140328.PutLogEvents", "{\"logGroupName\":\"/aws/lambda/f\",\"logStreamName\":\"s\"}"), "logs",
                        Protocol.JSON, List.of("logs:PutLogEvents arn:aws:logs:us-east-1:" + ACCT + ":log-group:/aws/lambda/f:log-stream:s")),
                arguments(json("Logs_20140328.CreateLogStream", "{\"logGroupName\":\"/aws/lambda/f\",\"logStreamName\":\"s\"}"), "logs",
                        Protocol.JSON, List.of("logs:CreateLogStream arn:aws:logs:us-east-1:" + ACCT + ":log-group:/aws/lambda/f:*")),
                arguments(form("/", "Action=PutMetricData&Namespace=App&Version=2010-08-01"), "cloudwatch", Protocol.QUERY,
                        List.of("cloudwatch:PutMetricData *")),
                arguments(form("/", "Action=GetCallerIdentity&Version=2011-06-15"), "sts", Protocol.QUERY, List.of()));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void mapsToIamActionsAndResources(AwsRequest request, String service, Protocol protocol, List<String> expected) {
        String scope = switch (service) {
            case "cloudwatch" -> "monitoring";
            default -> service;
        };
        MappedRequest m = mapper.map(request, scope);
        assertThat(m.evaluated()).isTrue();
        assertThat(m.service()).isEqualTo(service);
        assertThat(m.protocol()).isEqualTo(protocol);
        assertThat(m.accesses()).extracting(a -> a.action() + " " + a.resource()).containsExactlyElementsOf(expected);
    }

    @Test
    void conditionKeysOfTheRequestComeWithIt() {
        MappedRequest cw = mapper.map(form("/", "Action=PutMetricData&Namespace=App"), "monitoring");
        assertThat(cw.accesses().get(0).keys().values("cloudwatch:namespace")).containsExactly("App");
        MappedRequest sm = mapper.map(json("secretsmanager.GetSecretValue", "{\"SecretId\":\"cursor-secret\"}"), "secretsmanager");
        assertThat(sm.accesses().get(0).keys().values("secretsmanager:SecretId")).containsExactly(SECRET);
    }

    @Test
    void aRestRequestOfAnotherServiceIsNotEvaluated() {
        MappedRequest m = mapper.map(rest("PUT", "/bucket/key", null), "s3");
        assertThat(m.evaluated()).isFalse();
        assertThat(m.service()).isEqualTo("s3");
    }

    @Test
    void anotherJsonServiceIsItsOperationOnEverything() {
        MappedRequest m = mapper.map(json("Kinesis_20131202.PutRecord", "{\"StreamName\":\"s\"}"), "kinesis");
        assertThat(m.accesses()).extracting(a -> a.action() + " " + a.resource()).containsExactly("kinesis:PutRecord *");
    }

    @Test
    void aMalformedBodyStillMapsToTheOperation() {
        MappedRequest m = mapper.map(json("DynamoDB_20120810.Query", "{not json"), "dynamodb");
        assertThat(m.accesses()).extracting(a -> a.action() + " " + a.resource()).containsExactly("dynamodb:Query *");
    }
}
