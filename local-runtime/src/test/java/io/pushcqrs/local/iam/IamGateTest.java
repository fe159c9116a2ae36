package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.apigw.FakeInvoker;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.edge.MotoForwarder;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IAM on a real edge, with the AWS SDK's own clients signing with a role session: allowed calls reach moto, denied
 * ones are answered as each service answers AccessDenied (the SDK raises its service exception with AWS's code and
 * status), and other callers go through untouched.
 */
class IamGateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCT = "000000000000";
    private static final String ALLOWED_TABLE = "iam-allowed-" + UUID.randomUUID();
    private static final String OTHER_TABLE = "iam-other-" + UUID.randomUUID();
    private static final String QUEUE = "iam-q-" + UUID.randomUUID();
    private static final String SECRET = "iam-secret-" + UUID.randomUUID();
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCT + ":role/command-role";

    private static EdgeServer edge;
    private static String endpoint;
    private static final List<String> IAM_LOG = new CopyOnWriteArrayList<>();
    private static final FakeInvoker INVOKER = new FakeInvoker().answering("{\"ok\":true}");
    private static Session session;
    private static Sessions sessions;
    private static String secretArn;
    private static String queueUrl;

    @BeforeAll
    static void start() throws Exception {
        MotoServer moto = MotoServer.shared();
        edge = EdgeServer.bind("127.0.0.1", 0);
        endpoint = edge.endpoint();
        List<Policy> policies = List.of(PolicyParser.parse("command-policy", "test", JSON.readTree("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                   "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/%s"},
                  {"Effect": "Allow", "Action": "dynamodb:DeleteItem", "Resource": "*"},
                  {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": "arn:aws:dynamodb:*:*:table/%s"},
                  {"Effect": "Allow", "Action": "sqs:GetQueueUrl", "Resource": "*"},
                  {"Effect": "Allow", "Action": "lambda:InvokeFunction",
                   "Resource": "arn:aws:lambda:us-east-1:000000000000:function:allowed-fn"}
                ]}""".formatted(ALLOWED_TABLE, ALLOWED_TABLE))));
        Role role = new Role("CommandRole", "command-role", ROLE_ARN, "AROAEXAMPLE", Map.of(), policies);
        IamModel model = new IamModel(Map.of(ROLE_ARN, role), Map.of("command-fn", ROLE_ARN), Map.of(), Map.of(),
                Map.of(), List.of(), List.of());
        sessions = new Sessions();
        session = sessions.open(role, ROLE_ARN, "command-fn", "command-fn", false);
        IamGate gate = new IamGate(sessions, new Authorizer(model), new IamTrail(IamMode.ENFORCE, IAM_LOG::add));
        List<FunctionSpec> functions = new ArrayList<>();
        for (String f : List.of("allowed-fn", "other-fn")) {
            functions.add(new FunctionSpec(f, "arn:aws:lambda:us-east-1:" + ACCT + ":function:" + f, "x::y", Path.of("x.jar"),
                    Map.of(), 3, 128));
        }
        edge.start(new EdgeServer.Routes(null, new LambdaApi(INVOKER, functions, line -> {
        }), new MotoForwarder("127.0.0.1", moto.port(), line -> {
        }), Map::of, line -> {
        }, gate));
        // set-up as an outside caller (the stack's dummy credentials): not looked at
        try (DynamoDbClient admin = LocalAws.dynamoDb(URI.create(endpoint))) {
            for (String t : List.of(ALLOWED_TABLE, OTHER_TABLE)) {
                admin.createTable(b -> b.tableName(t).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
            }
        }
        try (SqsClient admin = outside(SqsClient.builder())) {
            queueUrl = admin.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        }
        try (SecretsManagerClient admin = outside(SecretsManagerClient.builder())) {
            secretArn = admin.createSecret(b -> b.name(SECRET).secretString("s3cr3t")).arn();
        }
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C outside(B builder) {
        return builder.endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).credentialsProvider(LocalAws.CREDENTIALS)
                .build();
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C asRole(B builder,
                                                                                                                   Session s) {
        return builder.endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(s.accessKeyId(),
                        s.secretAccessKey(), s.sessionToken())))
                .build();
    }

    private static DynamoDbClient dynamo(Session s) {
        return asRole(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()), s);
    }

    private static Map<String, AttributeValue> key(String k) {
        return Map.of("pk", AttributeValue.fromS(k));
    }

    @Test
    void anAllowedCallReachesMoto() {
        try (DynamoDbClient ddb = dynamo(session)) {
            ddb.putItem(b -> b.tableName(ALLOWED_TABLE).item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromS("1"))));
            assertThat(ddb.getItem(b -> b.tableName(ALLOWED_TABLE).key(key("a"))).item().get("v").s()).isEqualTo("1");
        }
    }

    @Test
    void aDeniedDynamoDbCallIsAnAccessDeniedExceptionWithStatus400AndIamsMessage() {
        try (DynamoDbClient ddb = dynamo(session)) {
            assertThatThrownBy(() -> ddb.query(b -> b.tableName(ALLOWED_TABLE).keyConditionExpression("pk = :k")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("a")))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/"
                                + "command-role/command-fn is not authorized to perform: dynamodb:Query on resource: "
                                + "arn:aws:dynamodb:us-east-1:000000000000:table/" + ALLOWED_TABLE
                                + " because no identity-based policy allows the dynamodb:Query action");
                    });
        }
        assertThat(IAM_LOG).anySatisfy(l -> assertThat(l).startsWith("DENIED dynamodb:Query on arn:aws:dynamodb:us-east-1:"
                + "000000000000:table/" + ALLOWED_TABLE + " for function command-fn: User: "));
    }

    @Test
    void aDeniedWriteNeverReachesTheTable() {
        try (DynamoDbClient ddb = dynamo(session); DynamoDbClient admin = LocalAws.dynamoDb(URI.create(endpoint))) {
            assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(OTHER_TABLE).item(key("x"))))
                    .isInstanceOf(DynamoDbException.class).hasMessageContaining("dynamodb:PutItem on resource: "
                            + "arn:aws:dynamodb:us-east-1:000000000000:table/" + OTHER_TABLE);
            assertThat(admin.getItem(b -> b.tableName(OTHER_TABLE).key(key("x"))).hasItem()).isFalse();
        }
    }

    @Test
    void anExplicitDenyWinsOverTheAllowAndSaysSo() {
        try (DynamoDbClient ddb = dynamo(session)) {
            ddb.deleteItem(b -> b.tableName(OTHER_TABLE).key(key("nothing")));
            assertThatThrownBy(() -> ddb.deleteItem(b -> b.tableName(ALLOWED_TABLE).key(key("a"))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                            .endsWith("dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/"
                                    + ALLOWED_TABLE + " with an explicit deny in an identity-based policy"));
        }
    }

    @Test
    void aTransactionIsAuthorizedPerItemAndADeniedItemStopsAllOfIt() {
        try (DynamoDbClient ddb = dynamo(session); DynamoDbClient admin = LocalAws.dynamoDb(URI.create(endpoint))) {
            assertThatThrownBy(() -> ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(ALLOWED_TABLE).item(key("tx-1"))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(OTHER_TABLE).item(key("tx-2"))).build())))
                    .isInstanceOf(DynamoDbException.class).hasMessageContaining("dynamodb:PutItem on resource: "
                            + "arn:aws:dynamodb:us-east-1:000000000000:table/" + OTHER_TABLE);
            assertThat(admin.getItem(b -> b.tableName(ALLOWED_TABLE).key(key("tx-1"))).hasItem()).isFalse();
            // both items on the allowed table: PutItem there is granted
            ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(ALLOWED_TABLE).item(key("tx-3"))).build()));
            assertThat(admin.getItem(b -> b.tableName(ALLOWED_TABLE).key(key("tx-3"))).hasItem()).isTrue();
        }
    }

    @Test
    void aDeniedSqsCallIsAccessDeniedWith403() {
        try (SqsClient sqs = asRole(SqsClient.builder().httpClient(UrlConnectionHttpClient.create()), session)) {
            assertThat(sqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl()).isEqualTo(queueUrl);
            assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("x")))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("is not authorized to perform: sqs:SendMessage"
                                + " on resource: arn:aws:sqs:us-east-1:000000000000:" + QUEUE);
                    });
        }
        try (SqsClient admin = outside(SqsClient.builder())) {
            assertThat(admin.receiveMessage(b -> b.queueUrl(queueUrl)).messages()).isEmpty();
        }
    }

    @Test
    void aDeniedQueryProtocolCallIsAnXmlAccessDeniedWith403() throws Exception {
        String form = "Action=SendMessage&QueueUrl=" + java.net.URLEncoder.encode(queueUrl, java.nio.charset.StandardCharsets.UTF_8)
                + "&MessageBody=x&Version=2012-11-05";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + session.accessKeyId()
                        + "/20261202/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00")
                .header("X-Amz-Security-Token", session.sessionToken())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(r.body()).contains("<Code>AccessDenied</Code>").contains("sqs:SendMessage on resource: arn:aws:sqs:us-east-1:"
                + "000000000000:" + QUEUE);
    }

    @Test
    void getCallerIdentityAnswersTheAssumedRole() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + session.accessKeyId()
                        + "/20261202/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00")
                .header("X-Amz-Security-Token", session.sessionToken())
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<Arn>arn:aws:sts::000000000000:assumed-role/command-role/command-fn</Arn>")
                .contains("<UserId>AROAEXAMPLE:command-fn</UserId>").contains("<Account>000000000000</Account>");
    }

    @Test
    void aDeniedSecretIsAccessDeniedExceptionWith400NamingTheSecretsArn() {
        try (SecretsManagerClient sm = asRole(SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()), session)) {
            assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(secretArn)))
                    .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("secretsmanager:GetSecretValue on resource: "
                                + secretArn + " because no identity-based policy allows");
                    });
        }
    }

    @Test
    void lambdaInvokeNeedsTheFunctionsArnAndADenialIs403() {
        try (LambdaClient lambda = asRole(LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()), session)) {
            int before = INVOKER.calls.size();
            assertThat(lambda.invoke(b -> b.functionName("allowed-fn").payload(SdkBytes.fromUtf8String("{}"))).statusCode())
                    .isEqualTo(200);
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("other-fn").payload(SdkBytes.fromUtf8String("{}"))))
                    .isInstanceOfSatisfying(LambdaException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("lambda:InvokeFunction on resource: "
                                + "arn:aws:lambda:us-east-1:000000000000:function:other-fn because");
                    });
            // a qualified invocation is another resource than the function
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("allowed-fn").qualifier("$LATEST")
                    .payload(SdkBytes.fromUtf8String("{}")))).isInstanceOf(LambdaException.class)
                    .hasMessageContaining("function:allowed-fn:$LATEST");
            assertThat(INVOKER.calls.size()).isEqualTo(before + 1);
        }
    }

    @Test
    void theStacksKeyWithoutItsSessionTokenIsAnInvalidToken() {
        Session forged = new Session(session.accessKeyId(), session.secretAccessKey(), "not-the-token", session.role(),
                ROLE_ARN, "command-fn", "command-fn", false);
        try (DynamoDbClient ddb = dynamo(forged)) {
            assertThatThrownBy(() -> ddb.getItem(b -> b.tableName(ALLOWED_TABLE).key(key("a"))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
                    });
        }
    }

    @Test
    void callersWithOtherCredentialsAreNotLookedAt() {
        try (DynamoDbClient admin = LocalAws.dynamoDb(URI.create(endpoint));
             LambdaClient lambda = outside(LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()))) {
            admin.putItem(b -> b.tableName(OTHER_TABLE).item(key("outside")));
            assertThat(admin.query(b -> b.tableName(OTHER_TABLE).keyConditionExpression("pk = :k")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("outside")))).count()).isEqualTo(1);
            assertThat(lambda.invoke(b -> b.functionName("other-fn").payload(SdkBytes.fromUtf8String("{}"))).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void auditLetsTheCallThroughAndRecordsWhatAwsWouldDeny() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        IamTrail trail = new IamTrail(IamMode.AUDIT, log::add);
        Sessions own = new Sessions();
        Role role = new Role("R", "audited-role", "arn:aws:iam::000000000000:role/audited-role", "AROAX", Map.of(), List.of());
        Session s = own.open(role, role.arn(), "audited-fn", "audited-fn", false);
        IamGate gate = new IamGate(own, new Authorizer(new IamModel(Map.of(role.arn(), role), Map.of(), Map.of(), Map.of(),
                Map.of(), List.of(), List.of())), trail);
        try (EdgeServer audited = EdgeServer.bind("127.0.0.1", 0)) {
            audited.start(new EdgeServer.Routes(null, null, new MotoForwarder("127.0.0.1", MotoServer.shared().port(), l -> {
            }), Map::of, l -> {
            }, gate));
            try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(URI.create(audited.endpoint()))
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(s.accessKeyId(),
                            s.secretAccessKey(), s.sessionToken()))).build()) {
                ddb.putItem(b -> b.tableName(OTHER_TABLE).item(key("audited")));
                ddb.putItem(b -> b.tableName(OTHER_TABLE).item(key("audited-2")));
                assertThat(ddb.getItem(b -> b.tableName(OTHER_TABLE).key(key("audited"))).hasItem()).isTrue();
            }
        }
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("WOULD DENY dynamodb:PutItem on arn:aws:dynamodb:us-east-1:"
                + "000000000000:table/" + OTHER_TABLE + " for function audited-fn"));
        assertThat(trail.summary()).contains("AWS would have denied 3 call(s), 2 distinct")
                .contains("dynamodb:PutItem on arn:aws:dynamodb:us-east-1:000000000000:table/" + OTHER_TABLE
                        + " for function audited-fn (x2)")
                .contains("dynamodb:GetItem");
    }
}
