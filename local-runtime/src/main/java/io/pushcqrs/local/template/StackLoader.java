package io.pushcqrs.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a synthesized template into a running stack's model: checks every resource type, creates the tables
 * and queues in the {@link Backend} (capturing the stream ARNs and queue URLs it answers), and builds the
 * function specs, event source mapping specs, REST API models and resolved outputs.
 * <p>
 * Anything it cannot honour fails the load with a {@link TemplateException} naming the logical id and the
 * supported alternatives; settings it accepts without honouring them are listed in {@link StackModel#warnings()}.
 */
public final class StackLoader {
    private static final Set<String> TABLE_PROPERTIES = Set.of("TableName", "AttributeDefinitions", "KeySchema",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput",
            "StreamSpecification", "TimeToLiveSpecification", "Tags",
            // accepted, no local effect:
            "PointInTimeRecoverySpecification", "SSESpecification", "DeletionProtectionEnabled",
            "ContributorInsightsSpecification", "TableClass", "ResourcePolicy", "OnDemandThroughput", "WarmThroughput");
    private static final Map<String, String> QUEUE_ATTRIBUTES = Map.ofEntries(
            Map.entry("ContentBasedDeduplication", "ContentBasedDeduplication"),
            Map.entry("DeduplicationScope", "DeduplicationScope"),
            Map.entry("DelaySeconds", "DelaySeconds"),
            Map.entry("FifoQueue", "FifoQueue"),
            Map.entry("FifoThroughputLimit", "FifoThroughputLimit"),
            Map.entry("KmsDataKeyReusePeriodSeconds", "KmsDataKeyReusePeriodSeconds"),
            Map.entry("KmsMasterKeyId", "KmsMasterKeyId"),
            Map.entry("MaximumMessageSize", "MaximumMessageSize"),
            Map.entry("MessageRetentionPeriod", "MessageRetentionPeriod"),
            Map.entry("ReceiveMessageWaitTimeSeconds", "ReceiveMessageWaitTimeSeconds"),
            Map.entry("RedriveAllowPolicy", "RedriveAllowPolicy"),
            Map.entry("RedrivePolicy", "RedrivePolicy"),
            Map.entry("SqsManagedSseEnabled", "SqsManagedSseEnabled"),
            Map.entry("VisibilityTimeout", "VisibilityTimeout"));
    private static final Pattern INTEGRATION_URI =
            Pattern.compile("^arn:[^:]+:apigateway:[^:]*:lambda:path/2015-03-31/functions/(.+)/invocations$");
    private static final Pattern EXECUTE_API_URL =
            Pattern.compile("^https://([a-z0-9]+)\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com/([^/]+)(/.*)?$");

    private final Template template;
    private final Intrinsics in;
    private final String publicEndpoint;
    private final String apiKeyOverride;
    private final List<String> warnings = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param template       the synthesized template
     * @param publicEndpoint the edge endpoint clients use (http://127.0.0.1:4566): queue URLs and API URLs use it
     * @param apiKeyOverride the value every API key gets instead of the template's Value or a random one; null for none
     */
    public StackLoader(Template template, String publicEndpoint, String apiKeyOverride) {
        this.template = template;
        this.publicEndpoint = publicEndpoint.endsWith("/") ? publicEndpoint.substring(0, publicEndpoint.length() - 1)
                : publicEndpoint;
        this.apiKeyOverride = apiKeyOverride == null || apiKeyOverride.isBlank() ? null : apiKeyOverride;
        this.in = new Intrinsics(template, this.publicEndpoint);
    }

    public Intrinsics intrinsics() {
        return in;
    }

    /** Fails when a resource type is not supported (all of them named in one message); creates nothing. */
    public Map<String, Integer> check() {
        List<String> unsupported = new ArrayList<>();
        Map<String, Integer> ignored = new TreeMap<>();
        for (Template.Resource r : template.resources().values()) {
            ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
            if (info == null) {
                unsupported.add(r.logicalId() + " (" + r.type() + ")");
            } else if (info.kind() == ResourceTypes.Kind.IGNORED) {
                ignored.merge(r.type(), 1, Integer::sum);
            }
        }
        if (unsupported.size() == 1) {
            String[] p = unsupported.get(0).split(" \\(", 2);
            throw new TemplateException(ResourceTypes.unsupported(p[0], p[1].substring(0, p[1].length() - 1)));
        }
        if (!unsupported.isEmpty()) {
            throw new TemplateException("the template has resources of types the local stack does not support: "
                    + String.join(", ", unsupported) + ". Supported: " + ResourceTypes.list(ResourceTypes.Kind.PROVISIONED)
                    + " (created in moto); " + ResourceTypes.list(ResourceTypes.Kind.EMULATED) + " (emulated); accepted and"
                    + " ignored: " + ResourceTypes.list(ResourceTypes.Kind.IGNORED) + ".");
        }
        return ignored;
    }

    /** Checks, provisions tables and queues in the backend, and builds the model. */
    public StackModel load(Backend backend) {
        Map<String, Integer> ignored = check();
        List<StackModel.Table> tables = new ArrayList<>();
        List<StackModel.Queue> queues = new ArrayList<>();
        for (Template.Resource r : resources("AWS::DynamoDB::Table")) {
            tables.add(table(r, backend));
        }
        for (Template.Resource r : resources("AWS::SQS::Queue")) {
            queues.add(queue(r, backend));
        }
        for (Template.Resource r : resources("AWS::SecretsManager::Secret")) {
            SecretResources.provision(r, in, backend, warnings); // before the functions whose environment names it
        }
        List<FunctionSpec> functions = new ArrayList<>();
        for (Template.Resource r : resources("AWS::Lambda::Function")) {
            functions.add(function(r));
        }
        List<EsmSpec> mappings = new ArrayList<>();
        for (Template.Resource r : resources("AWS::Lambda::EventSourceMapping")) {
            mappings.add(mapping(r, functions));
        }
        List<RestApiModel> apis = new ArrayList<>();
        Map<String, RestApiModel.ApiKey> keys = apiKeys();
        for (Template.Resource r : resources("AWS::ApiGateway::RestApi")) {
            apis.add(restApi(r, functions, keys));
        }
        return new StackModel(template.stackName(), tables, queues, functions, mappings, apis, outputs(), ignored, warnings);
    }

    private List<Template.Resource> resources(String type) {
        List<Template.Resource> out = new ArrayList<>();
        for (Template.Resource r : template.resources().values()) {
            if (r.type().equals(type) && in.exists(r.logicalId())) {
                out.add(r);
            }
        }
        return out;
    }

    private static String at(Template.Resource r) {
        return "Resources." + r.logicalId();
    }

    // ------------------------------------------------------------------ DynamoDB

    private StackModel.Table table(Template.Resource r, Backend backend) {
        String name = in.ref(r.logicalId(), at(r));
        for (String p : Intrinsics.fieldNames(r.properties())) {
            if (!TABLE_PROPERTIES.contains(p)) {
                warnings.add("table " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(name);
        JsonNode attrs = in.property(r, "AttributeDefinitions");
        List<AttributeDefinition> definitions = new ArrayList<>();
        for (JsonNode a : attrs) {
            definitions.add(AttributeDefinition.builder().attributeName(a.path("AttributeName").asText())
                    .attributeType(a.path("AttributeType").asText()).build());
        }
        b.attributeDefinitions(definitions);
        JsonNode keySchema = in.property(r, "KeySchema");
        if (!keySchema.isArray() || keySchema.isEmpty()) {
            throw new TemplateException(at(r) + ": the table " + name + " has no KeySchema");
        }
        b.keySchema(keys(keySchema));
        String billing = in.propertyText(r, "BillingMode");
        boolean provisioned = billing == null || billing.equals("PROVISIONED");
        b.billingMode(provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST);
        if (provisioned) {
            b.provisionedThroughput(throughput(in.property(r, "ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (JsonNode g : in.property(r, "GlobalSecondaryIndexes")) {
            GlobalSecondaryIndex.Builder gb = GlobalSecondaryIndex.builder().indexName(g.path("IndexName").asText())
                    .keySchema(keys(g.path("KeySchema"))).projection(projection(g.path("Projection")));
            if (provisioned) {
                gb.provisionedThroughput(throughput(g.path("ProvisionedThroughput")));
            }
            gsis.add(gb.build());
        }
        if (!gsis.isEmpty()) {
            b.globalSecondaryIndexes(gsis);
        }
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        for (JsonNode l : in.property(r, "LocalSecondaryIndexes")) {
            lsis.add(LocalSecondaryIndex.builder().indexName(l.path("IndexName").asText())
                    .keySchema(keys(l.path("KeySchema"))).projection(projection(l.path("Projection"))).build());
        }
        if (!lsis.isEmpty()) {
            b.localSecondaryIndexes(lsis);
        }
        JsonNode stream = in.property(r, "StreamSpecification");
        boolean hasStream = stream.isObject() && stream.hasNonNull("StreamViewType");
        if (hasStream) {
            b.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(stream.path("StreamViewType").asText()).build());
        }
        List<Tag> tags = new ArrayList<>();
        for (JsonNode t : in.property(r, "Tags")) {
            tags.add(Tag.builder().key(t.path("Key").asText()).value(t.path("Value").asText()).build());
        }
        if (!tags.isEmpty()) {
            b.tags(tags);
        }
        JsonNode ttlNode = in.property(r, "TimeToLiveSpecification");
        TimeToLiveSpecification ttl = ttlNode.isObject() && ttlNode.path("Enabled").asBoolean(false)
                ? TimeToLiveSpecification.builder().enabled(true).attributeName(ttlNode.path("AttributeName").asText()).build()
                : null;
        String streamArn = backend.ensureTable(b.build(), ttl);
        if (hasStream) {
            if (streamArn == null) {
                throw new TemplateException(at(r) + ": moto created the table " + name + " without a stream");
            }
            in.setAttribute(r.logicalId(), "StreamArn", streamArn);
        }
        return new StackModel.Table(r.logicalId(), name, in.getAtt(r.logicalId(), "Arn", at(r)), hasStream ? streamArn : null);
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (JsonNode k : schema) {
            out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                    .keyType(k.path("KeyType").asText()).build());
        }
        return out;
    }

    private static Projection projection(JsonNode p) {
        Projection.Builder b = Projection.builder().projectionType(p.path("ProjectionType").asText("ALL"));
        if (p.path("NonKeyAttributes").isArray()) {
            List<String> names = new ArrayList<>();
            p.path("NonKeyAttributes").forEach(n -> names.add(n.asText()));
            b.nonKeyAttributes(names);
        }
        return b.build();
    }

    private static ProvisionedThroughput throughput(JsonNode t) {
        return ProvisionedThroughput.builder().readCapacityUnits(t.path("ReadCapacityUnits").asLong(5))
                .writeCapacityUnits(t.path("WriteCapacityUnits").asLong(5)).build();
    }

    // ------------------------------------------------------------------ SQS

    private StackModel.Queue queue(Template.Resource r, Backend backend) {
        String name = in.getAtt(r.logicalId(), "QueueName", at(r));
        Map<String, String> attributes = new TreeMap<>();
        Map<String, String> tags = new TreeMap<>();
        for (String p : Intrinsics.fieldNames(r.properties())) {
            JsonNode v = in.property(r, p);
            if (p.equals("QueueName") || v.isMissingNode()) {
                continue;
            }
            if (p.equals("Tags")) {
                v.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
            } else if (QUEUE_ATTRIBUTES.containsKey(p)) {
                attributes.put(QUEUE_ATTRIBUTES.get(p), v.isContainerNode() ? v.toString() : v.asText());
            } else {
                warnings.add("queue " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        String url = backend.ensureQueue(name, attributes, tags);
        String publicUrl = publicEndpoint + URI.create(url).getRawPath();
        in.setRef(r.logicalId(), publicUrl);
        in.setAttribute(r.logicalId(), "QueueUrl", publicUrl);
        return new StackModel.Queue(r.logicalId(), name, in.getAtt(r.logicalId(), "Arn", at(r)), publicUrl);
    }

    // ------------------------------------------------------------------ Lambda

    private FunctionSpec function(Template.Resource r) {
        String name = in.ref(r.logicalId(), at(r));
        String packageType = in.propertyText(r, "PackageType");
        if ("Image".equals(packageType)) {
            throw new TemplateException(at(r) + ": the function " + name + " is a container image; the local stack"
                    + " runs java runtimes from a jar asset only");
        }
        String runtime = in.propertyText(r, "Runtime");
        if (runtime == null || !runtime.startsWith("java")) {
            throw new TemplateException(at(r) + ": the function " + name + " has runtime " + runtime
                    + "; the local stack runs java runtimes only (java8.al2, java11, java17, java21...)");
        }
        String handler = in.propertyText(r, "Handler");
        if (handler == null || handler.isBlank()) {
            throw new TemplateException(at(r) + ": the function " + name + " has no Handler");
        }
        Path code = code(r, name);
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode variables = in.property(r, "Environment").path("Variables");
        for (Map.Entry<String, JsonNode> e : variables.properties()) {
            environment.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        JsonNode logging = in.property(r, "LoggingConfig");
        environment.putAll(FunctionSpec.loggingEnvironment(logging.path("LogFormat").asText(null),
                logging.path("ApplicationLogLevel").asText(null)));
        if (!in.property(r, "Layers").isMissingNode() && !in.property(r, "Layers").isEmpty()) {
            warnings.add("function " + name + ": Layers are not loaded locally");
        }
        if (!in.property(r, "ReservedConcurrentExecutions").isMissingNode()) {
            warnings.add("function " + name + ": ReservedConcurrentExecutions is not enforced (the bound is --max-envs)");
        }
        int timeout = intValue(in.propertyText(r, "Timeout"), 3, at(r) + ".Properties.Timeout");
        int memory = intValue(in.propertyText(r, "MemorySize"), 128, at(r) + ".Properties.MemorySize");
        return new FunctionSpec(name, in.getAtt(r.logicalId(), "Arn", at(r)), handler, code, environment, timeout, memory);
    }

    private Path code(Template.Resource r, String name) {
        String assetPath = r.metadata("aws:asset:path");
        String assetProperty = r.metadata("aws:asset:property");
        if (assetPath != null && (assetProperty == null || assetProperty.equals("Code"))) {
            Path p = template.assetDir().resolve(assetPath).normalize();
            if (!Files.exists(p)) {
                throw new TemplateException(at(r) + ": the code of function " + name + " (" + p + ") is missing:"
                        + " synthesize again (npx cdk synth, or scripts/local-up.sh)");
            }
            return p;
        }
        JsonNode codeNode = r.property("Code");
        if (codeNode.has("ZipFile")) {
            throw new TemplateException(at(r) + ": the function " + name + " has inline code (Code.ZipFile); the"
                    + " local stack runs jar assets only");
        }
        String key = in.text(codeNode.path("S3Key"), at(r) + ".Properties.Code.S3Key");
        if (key != null) {
            Path p = template.assetDir().resolve("asset." + key);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new TemplateException(at(r) + ": cannot find the code of function " + name + " in "
                + template.assetDir() + ": the resource has no aws:asset:path metadata (synthesize with asset"
                + " metadata on, as `cdk synth` does by default)");
    }

    private static int intValue(String text, int def, String where) {
        if (text == null) {
            return def;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(where + " must be a whole number, got " + text);
        }
    }

    private static String functionName(String nameOrArn) {
        // arn:aws:lambda:region:account:function:NAME[:qualifier], account:function:NAME, NAME[:qualifier]
        int i = nameOrArn.indexOf("function:");
        String s = i >= 0 ? nameOrArn.substring(i + "function:".length()) : nameOrArn;
        int colon = s.indexOf(':');
        return colon >= 0 ? s.substring(0, colon) : s;
    }

    private static FunctionSpec findFunction(List<FunctionSpec> functions, String nameOrArn) {
        String name = functionName(nameOrArn);
        return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ event source mappings

    private EsmSpec mapping(Template.Resource r, List<FunctionSpec> functions) {
        String source = in.propertyText(r, "EventSourceArn");
        if (source == null || !source.contains(":dynamodb:") || !source.contains("/stream/")) {
            throw new TemplateException(at(r) + ": the event source " + source + " is not a DynamoDB stream; the local"
                    + " stack polls DynamoDB streams only (EventSourceArn: Fn::GetAtt [Table, StreamArn])");
        }
        String target = in.propertyText(r, "FunctionName");
        FunctionSpec fn = target == null ? null : findFunction(functions, target);
        if (fn == null) {
            throw new TemplateException(at(r) + ": the mapping's FunctionName " + target + " is not a function of the template");
        }
        for (String unsupported : List.of("FilterCriteria", "TumblingWindowInSeconds", "SelfManagedEventSource")) {
            if (!in.property(r, unsupported).isMissingNode()) {
                throw new TemplateException(at(r) + ": " + unsupported + " of an event source mapping is not supported"
                        + " by the local stack");
            }
        }
        String where = at(r) + ".Properties.";
        int parallelization = intValue(in.propertyText(r, "ParallelizationFactor"), 1, where + "ParallelizationFactor");
        if (parallelization > 1) {
            warnings.add("event source mapping " + r.logicalId() + ": ParallelizationFactor " + parallelization
                    + " is not emulated (one batch per shard at a time)");
        }
        String onFailure = in.text(in.property(r, "DestinationConfig").path("OnFailure").path("Destination"),
                where + "DestinationConfig.OnFailure.Destination");
        if (onFailure != null && !onFailure.contains(":sqs:")) {
            throw new TemplateException(at(r) + ": the on-failure destination " + onFailure + " is not an SQS queue;"
                    + " the local stack sends failed batches to SQS queues only");
        }
        boolean reportItemFailures = false;
        for (JsonNode t : in.property(r, "FunctionResponseTypes")) {
            reportItemFailures |= t.asText().equals("ReportBatchItemFailures");
        }
        String startingPosition = in.propertyText(r, "StartingPosition");
        String enabled = in.propertyText(r, "Enabled");
        return new EsmSpec(checkpointId(r.logicalId(), source), fn.name(), fn.arn(), source,
                startingPosition == null ? "LATEST" : startingPosition,
                intValue(in.propertyText(r, "BatchSize"), 100, where + "BatchSize"),
                intValue(in.propertyText(r, "MaximumBatchingWindowInSeconds"), 0, where + "MaximumBatchingWindowInSeconds"),
                Boolean.parseBoolean(in.propertyText(r, "BisectBatchOnFunctionError")),
                intValue(in.propertyText(r, "MaximumRetryAttempts"), -1, where + "MaximumRetryAttempts"),
                intValue(in.propertyText(r, "MaximumRecordAgeInSeconds"), -1, where + "MaximumRecordAgeInSeconds"),
                reportItemFailures, onFailure, enabled == null || Boolean.parseBoolean(enabled));
    }

    /**
     * The mapping's checkpoint id: its logical id plus a hash of the stream ARN. A new stream (moto starts empty
     * on every start) therefore starts from its StartingPosition instead of an old stream's sequence numbers.
     */
    public static String checkpointId(String logicalId, String streamArn) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(streamArn.getBytes(StandardCharsets.UTF_8));
            return logicalId + "_" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ API Gateway

    private RestApiModel restApi(Template.Resource api, List<FunctionSpec> functions,
                                 Map<String, RestApiModel.ApiKey> keys) {
        String apiId = in.ref(api.logicalId(), at(api));
        if (!api.property("Body").isMissingNode() || !api.property("BodyS3Location").isMissingNode()) {
            throw new TemplateException(at(api) + ": a RestApi defined by an OpenAPI Body is not supported by the local"
                    + " stack; declare its resources and methods (as the CDK RestApi construct does)");
        }
        String apiKeySource = in.propertyText(api, "ApiKeySourceType");
        if (apiKeySource != null && !apiKeySource.equals("HEADER")) {
            throw new TemplateException(at(api) + ": ApiKeySourceType " + apiKeySource + " is not supported (HEADER is)");
        }
        String name = in.propertyText(api, "Name");
        String root = in.getAtt(api.logicalId(), "RootResourceId", at(api));
        List<String> binary = new ArrayList<>();
        in.property(api, "BinaryMediaTypes").forEach(t -> binary.add(t.asText().replace("~1", "/")));

        // resources and their full paths
        Map<String, String[]> parentAndPart = new LinkedHashMap<>();
        for (Template.Resource r : ofApi("AWS::ApiGateway::Resource", apiId)) {
            parentAndPart.put(in.ref(r.logicalId(), at(r)),
                    new String[]{in.propertyText(r, "ParentId"), in.propertyText(r, "PathPart")});
        }
        List<RestApiModel.Resource> resources = new ArrayList<>();
        resources.add(new RestApiModel.Resource(root, null, "", "/"));
        for (Map.Entry<String, String[]> e : parentAndPart.entrySet()) {
            resources.add(new RestApiModel.Resource(e.getKey(), e.getValue()[0], e.getValue()[1],
                    path(e.getKey(), root, parentAndPart, 0)));
        }

        // validators and models
        Map<String, boolean[]> validators = new LinkedHashMap<>();
        for (Template.Resource r : ofApi("AWS::ApiGateway::RequestValidator", apiId)) {
            validators.put(in.ref(r.logicalId(), at(r)), new boolean[]{
                    Boolean.parseBoolean(in.propertyText(r, "ValidateRequestParameters")),
                    Boolean.parseBoolean(in.propertyText(r, "ValidateRequestBody"))});
        }
        Map<String, JsonNode> models = new LinkedHashMap<>();
        for (Template.Resource r : ofApi("AWS::ApiGateway::Model", apiId)) {
            JsonNode schema = in.property(r, "Schema");
            if (schema.isTextual()) {
                try {
                    schema = Template.JSON.readTree(schema.asText());
                } catch (JsonProcessingException e) {
                    throw new TemplateException(at(r) + ": the model's Schema is not valid JSON: " + e.getOriginalMessage());
                }
            }
            models.put(in.ref(r.logicalId(), at(r)), schema);
        }

        // methods
        List<RestApiModel.Method> methods = new ArrayList<>();
        for (Template.Resource r : ofApi("AWS::ApiGateway::Method", apiId)) {
            methods.add(method(r, functions, validators, models));
        }

        // stages, keys, usage plans
        Map<String, String> stageDeployment = new LinkedHashMap<>();
        Map<String, Map<String, String>> stageVariables = new LinkedHashMap<>();
        for (Template.Resource r : ofApi("AWS::ApiGateway::Deployment", apiId)) {
            String stageName = in.propertyText(r, "StageName");
            if (stageName != null) {
                stageDeployment.put(stageName, in.ref(r.logicalId(), at(r)));
                stageVariables.put(stageName, strings(in.property(r, "StageDescription").path("Variables")));
            }
        }
        for (Template.Resource r : ofApi("AWS::ApiGateway::Stage", apiId)) {
            String stageName = in.ref(r.logicalId(), at(r));
            stageDeployment.put(stageName, in.propertyText(r, "DeploymentId"));
            stageVariables.put(stageName, strings(in.property(r, "Variables")));
        }
        Map<String, List<RestApiModel.ApiKey>> keysByStage = keysByStage(apiId, keys);
        Map<String, RestApiModel.Stage> stages = new LinkedHashMap<>();
        stageDeployment.forEach((stage, deployment) -> stages.put(stage, new RestApiModel.Stage(stage, deployment,
                stageVariables.getOrDefault(stage, Map.of()), keysByStage.getOrDefault(stage, List.of()))));
        if (stages.isEmpty()) {
            warnings.add("REST API " + name + " (" + api.logicalId() + ") has no stage: it cannot be called");
        }
        boolean keyRequired = methods.stream().anyMatch(RestApiModel.Method::apiKeyRequired);
        for (RestApiModel.Stage s : stages.values()) {
            if (keyRequired && s.apiKeys().isEmpty()) {
                warnings.add("REST API " + name + ", stage " + s.name() + ": methods require an API key, but no usage plan"
                        + " grants a key on this stage, so they all answer 403");
            }
        }

        // gateway responses
        Map<String, RestApiModel.GatewayResponseSpec> responses = new LinkedHashMap<>();
        for (Template.Resource r : ofApi("AWS::ApiGateway::GatewayResponse", apiId)) {
            String type = in.propertyText(r, "ResponseType");
            String status = in.propertyText(r, "StatusCode");
            Map<String, String> headers = new LinkedHashMap<>();
            strings(in.property(r, "ResponseParameters")).forEach((k, v) -> {
                if (k.startsWith("gatewayresponse.header.")) {
                    headers.put(k.substring("gatewayresponse.header.".length()), v);
                }
            });
            responses.put(type, new RestApiModel.GatewayResponseSpec(type,
                    status == null ? null : intValue(status, 0, at(r) + ".Properties.StatusCode"), headers,
                    strings(in.property(r, "ResponseTemplates"))));
        }
        return new RestApiModel(apiId, name == null ? api.logicalId() : name, root, binary, stages, resources, methods,
                responses);
    }

    private List<Template.Resource> ofApi(String type, String apiId) {
        List<Template.Resource> out = new ArrayList<>();
        for (Template.Resource r : resources(type)) {
            if (apiId.equals(in.propertyText(r, "RestApiId"))) {
                out.add(r);
            }
        }
        return out;
    }

    private static String path(String id, String root, Map<String, String[]> parentAndPart, int depth) {
        if (id.equals(root)) {
            return "";
        }
        String[] pp = parentAndPart.get(id);
        if (pp == null || depth > 100) {
            throw new TemplateException("the API resource " + id + " has a parent that is not in the template");
        }
        String parent = path(pp[0], root, parentAndPart, depth + 1);
        return parent + "/" + pp[1];
    }

    private RestApiModel.Method method(Template.Resource r, List<FunctionSpec> functions,
                                       Map<String, boolean[]> validators, Map<String, JsonNode> models) {
        String httpMethod = in.propertyText(r, "HttpMethod");
        JsonNode integration = in.property(r, "Integration");
        String type = integration.path("Type").asText("");
        if (!type.equals("AWS_PROXY")) {
            throw new TemplateException(at(r) + ": the " + httpMethod + " method has a " + (type.isEmpty() ? "missing" : type)
                    + " integration; the local API Gateway supports AWS_PROXY integrations with a Lambda function only");
        }
        String uri = integration.path("Uri").asText("");
        Matcher m = INTEGRATION_URI.matcher(uri);
        FunctionSpec fn = m.matches() ? findFunction(functions, m.group(1)) : null;
        if (fn == null) {
            throw new TemplateException(at(r) + ": the integration Uri " + uri + " does not name a Lambda function of"
                    + " the template");
        }
        String authorization = in.propertyText(r, "AuthorizationType");
        if (authorization != null && !authorization.equals("NONE")) {
            warnings.add("method " + r.logicalId() + ": AuthorizationType " + authorization + " is not enforced locally");
        }
        Map<String, Boolean> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : in.property(r, "RequestParameters").properties()) {
            parameters.put(e.getKey(), e.getValue().asBoolean(false) || "true".equals(e.getValue().asText()));
        }
        boolean[] validator = new boolean[2];
        String validatorId = in.propertyText(r, "RequestValidatorId");
        if (validatorId != null) {
            boolean[] v = validators.get(validatorId);
            if (v == null) {
                throw new TemplateException(at(r) + ": the RequestValidatorId " + validatorId + " is not a validator of the API");
            }
            validator = v;
        }
        Map<String, JsonNode> requestModels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : in.property(r, "RequestModels").properties()) {
            String model = e.getValue().asText();
            JsonNode schema = models.get(model);
            if (schema == null) {
                if (model.equals("Empty") || model.equals("Error")) {
                    continue; // API Gateway's built-in models
                }
                throw new TemplateException(at(r) + ": the request model " + model + " is not a model of the API");
            }
            requestModels.put(e.getKey(), schema);
        }
        return new RestApiModel.Method(in.propertyText(r, "ResourceId"), httpMethod,
                Boolean.parseBoolean(in.propertyText(r, "ApiKeyRequired")), fn.name(), parameters, validator[0],
                validator[1], requestModels);
    }

    private Map<String, RestApiModel.ApiKey> apiKeys() {
        Map<String, RestApiModel.ApiKey> keys = new LinkedHashMap<>();
        for (Template.Resource r : resources("AWS::ApiGateway::ApiKey")) {
            String id = in.ref(r.logicalId(), at(r));
            String value = apiKeyOverride != null ? apiKeyOverride : in.propertyText(r, "Value");
            if (value == null) {
                value = randomKey();
            }
            String enabled = in.propertyText(r, "Enabled");
            String name = in.propertyText(r, "Name");
            keys.put(id, new RestApiModel.ApiKey(id, name == null ? r.logicalId() : name, value,
                    enabled == null || Boolean.parseBoolean(enabled)));
        }
        return keys;
    }

    private Map<String, List<RestApiModel.ApiKey>> keysByStage(String apiId, Map<String, RestApiModel.ApiKey> keys) {
        Map<String, Set<String>> byStage = new LinkedHashMap<>();
        // legacy StageKeys on the key itself
        for (Template.Resource r : resources("AWS::ApiGateway::ApiKey")) {
            String keyId = in.ref(r.logicalId(), at(r));
            for (JsonNode sk : in.property(r, "StageKeys")) {
                if (apiId.equals(sk.path("RestApiId").asText())) {
                    byStage.computeIfAbsent(sk.path("StageName").asText(), s -> new LinkedHashSet<>()).add(keyId);
                }
            }
        }
        // usage plans: plan id -> stages of this API; usage plan keys: key -> plan
        Map<String, List<String>> planStages = new LinkedHashMap<>();
        for (Template.Resource r : resources("AWS::ApiGateway::UsagePlan")) {
            List<String> stages = new ArrayList<>();
            for (JsonNode s : in.property(r, "ApiStages")) {
                if (apiId.equals(s.path("ApiId").asText())) {
                    stages.add(s.path("Stage").asText());
                }
            }
            planStages.put(in.ref(r.logicalId(), at(r)), stages);
        }
        for (Template.Resource r : resources("AWS::ApiGateway::UsagePlanKey")) {
            String keyId = in.propertyText(r, "KeyId");
            for (String stage : planStages.getOrDefault(in.propertyText(r, "UsagePlanId"), List.of())) {
                byStage.computeIfAbsent(stage, s -> new LinkedHashSet<>()).add(keyId);
            }
        }
        Map<String, List<RestApiModel.ApiKey>> out = new LinkedHashMap<>();
        byStage.forEach((stage, ids) -> {
            List<RestApiModel.ApiKey> list = new ArrayList<>();
            ids.forEach(id -> {
                if (keys.containsKey(id)) {
                    list.add(keys.get(id));
                }
            });
            out.put(stage, list);
        });
        return out;
    }

    private String randomKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ outputs

    private Map<String, String> outputs() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : template.outputs().properties()) {
            JsonNode condition = e.getValue().path("Condition");
            if (condition.isTextual() && !in.condition(condition.asText(), "Outputs." + e.getKey())) {
                continue;
            }
            String value = in.text(e.getValue().path("Value"), "Outputs." + e.getKey() + ".Value");
            if (value != null) {
                out.put(e.getKey(), localUrl(value));
            }
        }
        return out;
    }

    /** An execute-api URL of the template rewritten to LocalStack's form on the edge; other values unchanged. */
    String localUrl(String value) {
        Matcher m = EXECUTE_API_URL.matcher(value);
        if (!m.matches()) {
            return value;
        }
        String rest = m.group(3) == null || m.group(3).equals("/") ? "" : m.group(3);
        return publicEndpoint + "/restapis/" + m.group(1) + "/" + m.group(2) + "/_user_request_" + rest;
    }
}
