package io.pushcqrs.local.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.apigw.ApiFixture;
import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.FakeInvoker;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class EdgeServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EdgeServer edge;
    private static String endpoint;
    private static MotoServer moto;
    private static RestApiModel api;
    private static final FakeInvoker INVOKER = new FakeInvoker();
    private static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
        edge = EdgeServer.bind("127.0.0.1", 0);
        endpoint = edge.endpoint();
        StackModel model = ApiFixture.model(endpoint);
        api = model.apis().get(0);
        edge.start(new EdgeServer.Routes(new ApiGateway(model.apis(), INVOKER, LOG::add),
                new LambdaApi(INVOKER, model.functions(), LOG::add),
                new MotoForwarder("127.0.0.1", moto.port(), LOG::add),
                () -> Map.of("status", "running", "pid", ProcessHandle.current().pid()), LOG::add));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(endpoint + path));
    }

    // ------------------------------------------------------------------ AWS APIs forwarded to moto

    @Test
    void aDynamoDbClientPointedAtTheEdgeCreatesAndReadsATable() {
        String table = "edge-" + UUID.randomUUID();
        try (DynamoDbClient ddb = LocalAws.dynamoDb(URI.create(endpoint));
             DynamoDbClient direct = MotoClients.dynamoDb(moto.endpoint())) {
            String streamArn = ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                    .tableDescription().latestStreamArn();
            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("k1"), "v", AttributeValue.fromN("42"))));
            Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("k1")))).item();
            assertThat(item.get("v").n()).isEqualTo("42");
            assertThat(ddb.listTables().tableNames()).contains(table);
            // the same account as the stack's own clients (the template's 000000000000)
            assertThat(streamArn).contains(":000000000000:");
            assertThat(direct.describeTable(b -> b.tableName(table)).table().itemCount()).isNotNull();

            try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(URI.create(endpoint))
                    .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                var shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
                assertThat(shards).isNotEmpty();
                String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shards.get(0).shardId())
                        .shardIteratorType("TRIM_HORIZON")).shardIterator();
                assertThat(streams.getRecords(b -> b.shardIterator(iterator)).records())
                        .anySatisfy(r -> assertThat(r.dynamodb().newImage().get("v").n()).isEqualTo("42"));
            }
        }
    }

    @Test
    void anSqsClientPointedAtTheEdgeGetsQueueUrlsOnTheEdge() {
        String queue = "edge-" + UUID.randomUUID();
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            String url = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
            assertThat(url).isEqualTo(endpoint + "/000000000000/" + queue);
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();
            assertThat(messages).extracting(Message::body).containsExactly("hello");
        }
    }

    @Test
    void motoTakesTheClientsHostAlsoInAbsoluteForm() {
        // the way a JVM that used the JDK HTTP client before the stack started passes the Host on
        try (EdgeServer other = EdgeServer.bind("127.0.0.1", 0)) {
            other.start(new EdgeServer.Routes(null, null, new MotoForwarder("127.0.0.1", moto.port(), LOG::add,
                    MotoForwarder.HostMode.ABSOLUTE_FORM), Map::of, LOG::add));
            String queue = "edge-abs-" + UUID.randomUUID();
            try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(other.endpoint())).region(LocalAws.REGION)
                    .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
                 DynamoDbClient ddb = LocalAws.dynamoDb(URI.create(other.endpoint()))) {
                String url = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
                assertThat(url).isEqualTo(other.endpoint() + "/000000000000/" + queue);
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("absolute"));
                assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages())
                        .extracting(Message::body).containsExactly("absolute");
                assertThat(ddb.listTables().tableNames()).isNotNull();
            }
        }
    }

    @Test
    void whenMotoDoesNotAnswerTheClientGetsA502ThatSaysSo() throws Exception {
        int deadPort = MotoServer.freePort();
        try (EdgeServer other = EdgeServer.bind("127.0.0.1", 0)) {
            other.start(new EdgeServer.Routes(null, null, new MotoForwarder("127.0.0.1", deadPort, LOG::add),
                    Map::of, LOG::add));
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(other.endpoint() + "/"))
                    .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("did not answer").contains("moto.log");
        }
    }

    // ------------------------------------------------------------------ health, port

    @Test
    void healthAnswersJson() throws Exception {
        HttpResponse<String> r = send(request(EdgeServer.HEALTH_PATH).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("running");
    }

    @Test
    void bindingATakenPortFails() {
        assertThatThrownBy(() -> EdgeServer.bind("127.0.0.1", edge.port()))
                .isInstanceOf(EdgeServer.PortInUseException.class).hasMessageContaining(String.valueOf(edge.port()));
    }

    // ------------------------------------------------------------------ API Gateway on the edge

    @Test
    void theApiAnswersOnBothUrlForms() throws Exception {
        INVOKER.answering("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\"},\"body\":\"{\\\"ok\\\":true}\"}");
        HttpResponse<String> localstack = send(request("/restapis/" + api.id() + "/dev/_user_request_/tx?transaction_id=t1")
                .header("x-api-key", ApiFixture.KEY).GET());
        assertThat(localstack.statusCode()).isEqualTo(200);
        assertThat(localstack.body()).isEqualTo("{\"ok\":true}");
        JsonNode event = INVOKER.last().json();
        assertThat(event.path("path").asText()).isEqualTo("/tx");
        assertThat(event.path("queryStringParameters").path("transaction_id").asText()).isEqualTo("t1");
        assertThat(event.path("headers").path("X-Api-Key").asText()).isEqualTo(ApiFixture.KEY);

        HttpResponse<String> shortForm = send(request("/dev/commands/abc").header("x-api-key", ApiFixture.KEY)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"SENT\"}")));
        assertThat(shortForm.statusCode()).isEqualTo(200);
        assertThat(INVOKER.last().function()).isEqualTo("fx-command-lambda");
        assertThat(INVOKER.last().json().path("pathParameters").path("transaction_id").asText()).isEqualTo("abc");
        assertThat(INVOKER.last().json().path("body").asText()).isEqualTo("{\"status\":\"SENT\"}");

        HttpResponse<String> noKey = send(request("/dev/tx?transaction_id=t1").GET());
        assertThat(noKey.statusCode()).isEqualTo(403);
        assertThat(noKey.body()).contains("FORBIDDEN");
        HttpResponse<String> unknown = send(request("/dev/nowhere").header("x-api-key", ApiFixture.KEY).GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("NOT_FOUND");
        HttpResponse<String> health = send(request("/dev/health").GET());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ Lambda API on the edge

    private static LambdaClient lambda() {
        return LambdaClient.builder().endpointOverride(URI.create(endpoint)).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void invokeThroughTheSdkReturnsThePayload() {
        INVOKER.answering((f, p) -> FakeInvoker.ok("{\"echo\":" + new String(p, StandardCharsets.UTF_8) + "}"));
        try (LambdaClient lambda = lambda()) {
            InvokeResponse r = lambda.invoke(b -> b.functionName("fx-query-result-lambda")
                    .payload(SdkBytes.fromUtf8String("{\"q\":1}")));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.functionError()).isNull();
            assertThat(r.executedVersion()).isEqualTo("$LATEST");
            assertThat(r.payload().asUtf8String()).isEqualTo("{\"echo\":{\"q\":1}}");
            assertThat(INVOKER.last().function()).isEqualTo("fx-query-result-lambda");
            // by ARN, partial ARN and with $LATEST
            lambda.invoke(b -> b.functionName("arn:aws:lambda:us-east-1:000000000000:function:fx-query-result-lambda"));
            lambda.invoke(b -> b.functionName("000000000000:function:fx-query-result-lambda"));
            lambda.invoke(b -> b.functionName("fx-query-result-lambda").qualifier("$LATEST"));
            assertThat(INVOKER.calls.subList(INVOKER.calls.size() - 3, INVOKER.calls.size()))
                    .allSatisfy(c -> assertThat(c.function()).isEqualTo("fx-query-result-lambda"));
        }
    }

    @Test
    void aFunctionErrorComesBackWithTheFunctionErrorHeader() {
        INVOKER.answering((f, p) -> FakeInvoker.functionError(
                "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}"));
        try (LambdaClient lambda = lambda()) {
            InvokeResponse r = lambda.invoke(b -> b.functionName("fx-query-result-lambda"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.functionError()).isEqualTo("Unhandled");
            assertThat(r.payload().asUtf8String()).contains("\"errorMessage\":\"boom\"");
        }
    }

    @Test
    void unknownFunctionsAndQualifiersAreResourceNotFound() {
        int before = INVOKER.calls.size();
        try (LambdaClient lambda = lambda()) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("no-such-function")))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found")
                    .hasMessageContaining("no-such-function");
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("fx-query-result-lambda").qualifier("v7")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(INVOKER.calls).hasSize(before);
    }

    @Test
    void aBusyRuntimeIsTooManyRequests() {
        INVOKER.answering((f, p) -> new InvokeResult(429, new byte[0], null, "r", 0));
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(endpoint)).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("fx-query-result-lambda")))
                    .isInstanceOf(TooManyRequestsException.class);
        }
    }

    @Test
    void aThrottledInvokeKeepsTheRuntimesReasonAndAnOversizedOneIsRequestEntityTooLarge() {
        INVOKER.answering((f, p) -> new InvokeResult(429, "{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}"
                .getBytes(StandardCharsets.UTF_8), null, "r", 0));
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(endpoint)).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            TooManyRequestsException throttled = catchThrowableOfType(TooManyRequestsException.class,
                    () -> lambda.invoke(b -> b.functionName("fx-query-result-lambda")));
            assertThat(throttled.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
            int before = INVOKER.calls.size();
            software.amazon.awssdk.services.lambda.model.LambdaException tooLarge = catchThrowableOfType(
                    software.amazon.awssdk.services.lambda.model.LambdaException.class,
                    () -> lambda.invoke(b -> b.functionName("fx-query-result-lambda")
                            .payload(SdkBytes.fromByteArray(new byte[LambdaApi.MAX_PAYLOAD_BYTES + 1]))));
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLargeException");
            assertThat(tooLarge.awsErrorDetails().errorMessage())
                    .isEqualTo("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
            assertThat(INVOKER.calls).as("never reached the function").hasSize(before);
        }
    }

    @Test
    void eventInvocationsAnswer202AndRunInTheBackgroundAndDryRunAnswers204() {
        INVOKER.answering((f, p) -> FakeInvoker.ok("null"));
        try (LambdaClient lambda = lambda()) {
            String marker = UUID.randomUUID().toString();
            InvokeResponse r = lambda.invoke(b -> b.functionName("fx-stream-processor").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"marker\":\"" + marker + "\"}")));
            assertThat(r.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> INVOKER.calls.stream()
                    .anyMatch(c -> new String(c.payload(), StandardCharsets.UTF_8).contains(marker)));

            int before = INVOKER.calls.size();
            InvokeResponse dry = lambda.invoke(b -> b.functionName("fx-stream-processor").invocationType(InvocationType.DRY_RUN));
            assertThat(dry.statusCode()).isEqualTo(204);
            assertThat(INVOKER.calls).hasSize(before);
        }
    }

    @Test
    void listAndGetFunction() {
        try (LambdaClient lambda = lambda()) {
            assertThat(lambda.listFunctions().functions()).extracting(f -> f.functionName())
                    .contains("fx-command-lambda", "fx-query-lambda");
            var config = lambda.getFunction(b -> b.functionName("fx-command-lambda")).configuration();
            assertThat(config.handler()).isEqualTo("io.pushcqrs.command.CommandApiHandler::handleRequest");
            assertThat(config.timeout()).isEqualTo(15);
            assertThat(config.environment().variables()).containsKey("COMMAND_TABLE");
            assertThatThrownBy(() -> lambda.getFunctionConfiguration(b -> b.functionName("nope")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void otherLambdaOperationsSayTheyAreNotEmulated() throws Exception {
        HttpResponse<String> r = send(request("/2015-03-31/functions/fx-command-lambda/policy").DELETE());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not emulated by the local stack");
    }
}
