package io.pushcqrs.local.resources;

import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model built from the CDK-synthesized fixture, with a fake backend (no moto). */
class StackLoaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String EDGE = "http://127.0.0.1:4566";

    /** Records what would be created. */
    static final class FakeBackend implements Backend {
        final List<CreateTableRequest> tables = new ArrayList<>();
        final Map<String, Map<String, String>> queues = new LinkedHashMap<>();

        @Override
        public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
            tables.add(request);
            return request.streamSpecification() == null ? null
                    : "arn:aws:dynamodb:us-east-1:000000000000:table/" + request.tableName() + "/stream/2026-01-01T00:00:00.000";
        }

        @Override
        public String ensureQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
            queues.put(name, attributes);
            return "http://localhost:5000/000000000000/" + name;
        }

        final List<ResourceSpecs.Role> roles = new ArrayList<>();
        final List<ResourceSpecs.RolePolicy> policies = new ArrayList<>();

        @Override
        public void ensureRole(ResourceSpecs.Role spec) {
            roles.add(spec);
        }

        @Override
        public void putRolePolicy(ResourceSpecs.RolePolicy spec) {
            policies.add(spec);
        }
    }

    @Test
    void rolesAndTheirPoliciesAreCreatedAndListedAsProvisionedInCreationOrder() {
        FakeBackend backend = new FakeBackend();
        StackModel model = loadFixture(backend);
        assertThat(backend.roles).isNotEmpty().allSatisfy(r -> {
            assertThat(r.trustPolicy()).contains("lambda.amazonaws.com");
            assertThat(r.path()).isEqualTo("/");
        });
        assertThat(backend.policies).isNotEmpty().allSatisfy(p -> assertThat(p.roles()).hasSize(1));
        List<String> types = model.provisioned().stream().map(StackModel.Provisioned::type).toList();
        assertThat(types.indexOf("AWS::DynamoDB::Table")).isLessThan(types.indexOf("AWS::IAM::Role"));
        assertThat(types.lastIndexOf("AWS::IAM::Role")).isLessThan(types.indexOf("AWS::IAM::Policy"));
        StackModel.Provisioned policy = model.provisioned().stream().filter(p -> p.type().equals("AWS::IAM::Policy"))
                .findFirst().orElseThrow();
        assertThat(policy.attachedTo()).containsExactlyElementsOf(backend.policies.get(0).roles());
    }

    static Path fixtureCdkOut() {
        try {
            return Path.of(StackLoaderTest.class.getResource("/template/assembly").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StackModel loadFixture(FakeBackend backend) {
        return new StackLoader(Template.load(fixtureCdkOut(), null), EDGE, null).load(backend);
    }

    @Test
    void createsTablesWithKeysGsisAndStreamAndTheQueueWithItsAttributes() {
        FakeBackend backend = new FakeBackend();
        StackModel model = loadFixture(backend);

        assertThat(model.stackName()).isEqualTo("fx-notification-cqrs");
        CreateTableRequest commands = backend.tables.get(0);
        assertThat(commands.tableName()).isEqualTo("fx-command-records");
        assertThat(commands.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
                .containsExactly("transaction_id:HASH", "created_at:RANGE");
        assertThat(commands.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        assertThat(commands.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        CreateTableRequest views = backend.tables.get(1);
        assertThat(views.globalSecondaryIndexes()).extracting(g -> g.indexName())
                .containsExactly("marketing-index", "transaction-index", "sns-index", "failures-index");
        assertThat(views.streamSpecification()).isNull();
        assertThat(backend.queues.get("fx-stream-processor-dlq")).containsEntry("MessageRetentionPeriod", "1209600");

        StackModel.Table table = model.tables().get(0);
        assertThat(table.streamArn()).endsWith("fx-command-records/stream/2026-01-01T00:00:00.000");
        assertThat(model.queues().get(0).url()).isEqualTo(EDGE + "/000000000000/fx-stream-processor-dlq");
        assertThat(model.queues().get(0).arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:fx-stream-processor-dlq");
    }

    @Test
    void functionsComeWithHandlerCodeEnvironmentTimeoutAndMemory() {
        StackModel model = loadFixture(new FakeBackend());
        assertThat(model.functions()).extracting(FunctionSpec::name)
                .containsExactly("fx-command-lambda", "fx-stream-processor", "fx-query-result-lambda", "fx-query-lambda");
        FunctionSpec command = model.functions().get(0);
        assertThat(command.arn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:fx-command-lambda");
        assertThat(command.handler()).isEqualTo("io.pushcqrs.command.CommandApiHandler::handleRequest");
        assertThat(command.environment()).containsEntry("COMMAND_TABLE", "fx-command-records");
        assertThat(command.timeoutSeconds()).isEqualTo(15);
        assertThat(command.memoryMb()).isEqualTo(1024);
        assertThat(command.codePath()).exists().hasFileName(
                "asset.15bbd859cfeac0cf4bccda57e936b26898dd00b7adb5d8e1fc41f1568e85f44e.jar");
        FunctionSpec query = model.functions().get(3);
        assertThat(query.environment()).containsEntry("QUERY_RESULT_FUNCTION", "fx-query-result-lambda");
    }

    @Test
    void theEventSourceMappingTakesTheBackendsStreamArnAndEverySetting() {
        StackModel model = loadFixture(new FakeBackend());
        assertThat(model.mappings()).hasSize(1);
        EsmSpec esm = model.mappings().get(0);
        assertThat(esm.functionName()).isEqualTo("fx-stream-processor");
        assertThat(esm.functionArn()).endsWith(":function:fx-stream-processor");
        assertThat(esm.streamArn()).isEqualTo(model.tables().get(0).streamArn());
        assertThat(esm.startingPosition()).isEqualTo("TRIM_HORIZON");
        assertThat(esm.batchSize()).isEqualTo(100);
        assertThat(esm.maxBatchingWindowSeconds()).isEqualTo(1);
        assertThat(esm.bisectOnError()).isTrue();
        assertThat(esm.maxRetryAttempts()).isEqualTo(3);
        assertThat(esm.maxRecordAgeSeconds()).isEqualTo(3600);
        assertThat(esm.reportBatchItemFailures()).isTrue();
        assertThat(esm.onFailureArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:fx-stream-processor-dlq");
        assertThat(esm.enabled()).isTrue();
        // the checkpoint id changes with the stream, so a new stream starts clean
        assertThat(esm.uuid()).startsWith("StreamProcessorDynamoDBEventSource").matches(".*_[0-9a-f]{12}");
        assertThat(StackLoader.checkpointId("M", "arn:1")).isNotEqualTo(StackLoader.checkpointId("M", "arn:2"));
    }

    @Test
    void theRestApiHasItsRoutesKeysValidatorsAndGatewayResponses() {
        StackModel model = loadFixture(new FakeBackend());
        assertThat(model.apis()).hasSize(1);
        RestApiModel api = model.apis().get(0);
        assertThat(api.id()).matches("[a-z0-9]{10}");
        assertThat(api.name()).isEqualTo("dev-notification-api");
        assertThat(api.resources()).extracting(RestApiModel.Resource::path).contains("/", "/commands",
                "/commands/{transaction_id}", "/query/user", "/query/marketing", "/query/failures", "/tx", "/sns", "/health");
        assertThat(api.stages()).containsOnlyKeys("dev");
        RestApiModel.Stage dev = api.stages().get("dev");
        assertThat(dev.apiKeys()).hasSize(1);
        assertThat(dev.apiKeys().get(0).value()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(dev.apiKeys().get(0).enabled()).isTrue();

        RestApiModel.Resource userQuery = api.resources().stream().filter(r -> r.path().equals("/query/user")).findFirst().orElseThrow();
        RestApiModel.Method get = api.methods().stream().filter(m -> m.resourceId().equals(userQuery.id())).findFirst().orElseThrow();
        assertThat(get.httpMethod()).isEqualTo("GET");
        assertThat(get.apiKeyRequired()).isTrue();
        assertThat(get.functionName()).isEqualTo("fx-query-lambda");
        assertThat(get.validateParameters()).isTrue();
        assertThat(get.requestParameters()).containsEntry("method.request.querystring.user_id", true);

        RestApiModel.Resource commands = api.resources().stream().filter(r -> r.path().equals("/commands")).findFirst().orElseThrow();
        RestApiModel.Method post = api.methods().stream().filter(m -> m.resourceId().equals(commands.id())).findFirst().orElseThrow();
        assertThat(post.functionName()).isEqualTo("fx-command-lambda");
        assertThat(post.validateBody()).isTrue();
        assertThat(post.requestModels().get("application/json").path("required").toString())
                .isEqualTo("[\"user_id\",\"platform\",\"status\"]");

        RestApiModel.Resource health = api.resources().stream().filter(r -> r.path().equals("/health")).findFirst().orElseThrow();
        assertThat(api.methods().stream().filter(m -> m.resourceId().equals(health.id())).findFirst().orElseThrow()
                .apiKeyRequired()).isFalse();

        assertThat(api.gatewayResponses()).containsKeys("MISSING_AUTHENTICATION_TOKEN", "INVALID_API_KEY",
                "BAD_REQUEST_PARAMETERS", "BAD_REQUEST_BODY", "DEFAULT_5XX");
        RestApiModel.GatewayResponseSpec notFound = api.gatewayResponses().get("MISSING_AUTHENTICATION_TOKEN");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers()).containsEntry("Content-Type", "'application/json'");
        assertThat(notFound.templates().get("application/json")).contains("NOT_FOUND");
    }

    @Test
    void outputsAreResolvedAndTheApiUrlPointsAtTheEdge() {
        StackModel model = loadFixture(new FakeBackend());
        String apiId = model.apis().get(0).id();
        assertThat(model.outputs())
                .containsEntry("ApiUrl", EDGE + "/restapis/" + apiId + "/dev/_user_request_")
                .containsEntry("CommandTable", "fx-command-records")
                .containsEntry("NotificationTable", "fx-notification-records")
                .containsEntry("DlqUrl", EDGE + "/000000000000/fx-stream-processor-dlq")
                .containsEntry("CommandStreamArn", model.tables().get(0).streamArn())
                .containsEntry("QueryFunction", "fx-query-lambda")
                .containsKey("ApiKeyId");
        assertThat(model.ignored()).containsKeys("AWS::Logs::LogGroup", "AWS::CloudWatch::Alarm", "AWS::SQS::QueuePolicy")
                // evaluated by the local IAM (--iam)
                .doesNotContainKeys("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Lambda::Permission");
        assertThat(model.warnings()).isEmpty();
    }

    @Test
    void theApiKeyOptionOverridesTheGeneratedValue() {
        StackModel model = new StackLoader(Template.load(fixtureCdkOut(), null), EDGE, "my-local-key-123456789")
                .load(new FakeBackend());
        assertThat(model.apis().get(0).stages().get("dev").apiKeys().get(0).value()).isEqualTo("my-local-key-123456789");
    }

    @Test
    void localUrlRewritesExecuteApiUrlsOnly() {
        StackLoader loader = new StackLoader(Template.load(fixtureCdkOut(), null), EDGE + "/", null);
        assertThat(loader.localUrl("https://abc123defg.execute-api.us-east-1.amazonaws.com/dev/"))
                .isEqualTo(EDGE + "/restapis/abc123defg/dev/_user_request_");
        assertThat(loader.localUrl("https://abc123defg.execute-api.us-east-1.amazonaws.com/dev/health"))
                .isEqualTo(EDGE + "/restapis/abc123defg/dev/_user_request_/health");
        assertThat(loader.localUrl("fx-command-records")).isEqualTo("fx-command-records");
    }

    // ------------------------------------------------------------------ errors

    private ObjectNode fixtureTree() throws IOException {
        return (ObjectNode) JSON.readTree(fixtureCdkOut().resolve("fx-notification-cqrs.template.json").toFile());
    }

    private StackModel loadEdited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode tree = fixtureTree();
        edit.accept(tree);
        return new StackLoader(Template.parse(tree, "fx", null, fixtureCdkOut()), EDGE, null).load(new FakeBackend());
    }

    private static ObjectNode resource(ObjectNode tree, String logicalId) {
        return (ObjectNode) tree.path("Resources").path(logicalId);
    }

    private static String firstOfType(ObjectNode tree, String type) {
        var it = tree.path("Resources").properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().path("Type").asText().equals(type)) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("no " + type);
    }

    @Test
    void anUnsupportedResourceTypeFailsNamingItAndTheSupportedTypes() {
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) t.path("Resources")).putObject("StreamX1")
                .put("Type", "AWS::Kinesis::Stream")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("StreamX1").hasMessageContaining("AWS::Kinesis::Stream")
                .hasMessageContaining("AWS::DynamoDB::Table").hasMessageContaining("accepted and ignored: ")
                .hasMessageContaining("AWS::IAM::Role");
        assertThatThrownBy(() -> loadEdited(t -> {
            ((ObjectNode) t.path("Resources")).putObject("StreamX1").put("Type", "AWS::Kinesis::Stream");
            ((ObjectNode) t.path("Resources")).putObject("TopicY2").put("Type", "AWS::SNS::Topic");
        })).isInstanceOf(TemplateException.class)
                .hasMessageContaining("StreamX1 (AWS::Kinesis::Stream), TopicY2 (AWS::SNS::Topic)");
    }

    @Test
    void aResourceWhoseConditionIsFalseIsNotCheckedNorCreated() throws Exception {
        // cdk bootstrap's KMS key exists only when a parameter asks for it: an unsupported type behind a false condition
        StackModel model = loadEdited(t -> {
            ((ObjectNode) t).putObject("Conditions").putObject("Never").putArray("Fn::Equals").add("a").add("b");
            ((ObjectNode) t.path("Resources")).putObject("KeyX1").put("Type", "AWS::KMS::Key").put("Condition", "Never");
        });
        assertThat(model.provisioned()).noneMatch(p -> p.logicalId().equals("KeyX1"));
        assertThat(model.ignored()).doesNotContainKey("AWS::KMS::Key");
    }

    @Test
    void anUnsupportedIntrinsicInAUsedPropertyFails() {
        assertThatThrownBy(() -> loadEdited(t -> {
            ObjectNode fn = resource(t, firstOfType(t, "AWS::Lambda::Function"));
            ((ObjectNode) fn.path("Properties").path("Environment").path("Variables"))
                    .putObject("SHARED").put("Fn::ImportValue", "other-stack-export");
        })).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Fn::ImportValue")
                .hasMessageContaining("Properties.Environment.Variables.SHARED")
                .hasMessageContaining("supported: Ref");
    }

    @Test
    void aNonJavaRuntimeOrMissingAssetFails() {
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::Function"))
                .path("Properties")).put("Runtime", "python3.12")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("python3.12")
                .hasMessageContaining("java runtimes only");
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::Function"))
                .path("Metadata")).put("aws:asset:path", "asset.missing.jar")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("asset.missing.jar")
                .hasMessageContaining("synthesize again");
    }

    @Test
    void lambdasLimitsInTheTemplateFailTheStartAsTheyFailTheDeployment() {
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::Function"))
                .path("Properties").path("Environment").path("Variables")).put("BIG", "x".repeat(4100))))
                .isInstanceOf(TemplateException.class).hasMessageContaining("exceeded the 4KB limit");
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::Function"))
                .path("Properties")).put("MemorySize", 10_241)))
                .isInstanceOf(TemplateException.class).hasMessageContaining("MemorySize 10241 is out of Lambda's range");
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::Function"))
                .path("Properties")).put("Timeout", 901)))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Timeout 901 is out of Lambda's range");
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::EventSourceMapping"))
                .path("Properties")).put("ParallelizationFactor", 11)))
                .isInstanceOf(TemplateException.class).hasMessageContaining("ParallelizationFactor 11 is out of range (1..10)");
    }

    @Test
    void reservedConcurrencyAndTheRuntimeReachTheFunctionSpec() throws IOException {
        StackModel model = loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::Function"))
                .path("Properties")).put("ReservedConcurrentExecutions", 5));
        assertThat(model.functions()).anySatisfy(f -> assertThat(f.reservedConcurrency()).isEqualTo(5));
        assertThat(model.functions()).allSatisfy(f -> assertThat(f.runtime()).isEqualTo("java21"));
        assertThat(model.warnings()).noneMatch(w -> w.contains("ReservedConcurrentExecutions"));
        assertThat(model.mappings()).allSatisfy(m -> assertThat(m.parallelizationFactor()).isEqualTo(1));
    }

    @Test
    void aNonProxyIntegrationFails() {
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::ApiGateway::Method"))
                .path("Properties").path("Integration")).put("Type", "HTTP_PROXY")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("HTTP_PROXY")
                .hasMessageContaining("AWS_PROXY integrations with a Lambda function only");
    }

    @Test
    void aMappingOnSomethingElseThanADynamoDbStreamFails() {
        assertThatThrownBy(() -> loadEdited(t -> {
            ObjectNode props = (ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::EventSourceMapping")).path("Properties");
            props.putObject("EventSourceArn").putArray("Fn::GetAtt").add(firstOfType(t, "AWS::SQS::Queue")).add("Arn");
        })).isInstanceOf(TemplateException.class).hasMessageContaining("is not a DynamoDB stream");
        assertThatThrownBy(() -> loadEdited(t -> ((ObjectNode) resource(t, firstOfType(t, "AWS::Lambda::EventSourceMapping"))
                .path("Properties")).putObject("FilterCriteria")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("FilterCriteria");
    }

    @Test
    void missingCdkOutOrTemplateSaysWhatToRun(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Template.load(dir.resolve("cdk.out"), null))
                .isInstanceOf(TemplateException.class).hasMessageContaining("no cdk.out folder")
                .hasMessageContaining("npx cdk synth").hasMessageContaining("scripts/local-up.sh");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Template.load(dir.resolve("empty"), null))
                .isInstanceOf(TemplateException.class).hasMessageContaining("no *.template.json");
        Path two = Files.createDirectories(dir.resolve("two"));
        Files.writeString(two.resolve("a.template.json"), "{\"Resources\":{\"Q\":{\"Type\":\"AWS::SQS::Queue\"}}}");
        Files.writeString(two.resolve("b.template.json"), "{\"Resources\":{\"Q\":{\"Type\":\"AWS::SQS::Queue\"}}}");
        assertThatThrownBy(() -> Template.load(two, null))
                .isInstanceOf(TemplateException.class).hasMessageContaining("several stacks (a, b)")
                .hasMessageContaining("--stack");
        assertThat(Template.load(two, "b").stackName()).isEqualTo("b");
        assertThatThrownBy(() -> Template.load(two, "c")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("no template for stack c").hasMessageContaining("a, b");
        Files.writeString(two.resolve("bad.template.json"), "{not json");
        assertThatThrownBy(() -> Template.load(two, "bad")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("is not valid JSON");
        Files.writeString(two.resolve("nores.template.json"), "{}");
        assertThatThrownBy(() -> Template.load(two, "nores")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("has no Resources");
    }
}
