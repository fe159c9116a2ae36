package io.pushcqrs.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.ApiKey;
import software.amazon.awscdk.services.apigateway.ApiKeySourceType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.IModel;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonSchemaVersion;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.ModelOptions;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.UsagePlanProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that is deployed, for one stage: the write and read tables, the four functions with
 * least-privilege roles, the stream mapping with its on-failure queue, the REST API with API key and
 * usage plan, alarms, a dashboard and the outputs that scripts and the embedded runtime read.
 *
 * <p>Every physical name starts with the stage, so two stages live side by side in one account.
 */
public class NotificationStack extends Stack {

    // Index names: the same strings as io.pushcqrs.model.Schema (shared-model), which the functions read.
    public static final String MARKETING_INDEX = "marketing-index";
    public static final String TRANSACTION_INDEX = "transaction-index";
    public static final String SNS_INDEX = "sns-index";
    public static final String FAILURES_INDEX = "failures-index";
    /** notification-records' TTL attribute: tombstones of deleted views expire (shared-model's Attr.EXPIRES_AT). */
    public static final String TTL_ATTRIBUTE = "expires_at";

    /** The API key header API Gateway checks. */
    public static final String API_KEY_HEADER = "x-api-key";

    // Usage plan and stage throttling (requests per second, burst) and the daily quota per key.
    static final int PLAN_RATE_LIMIT = 50;
    static final int PLAN_BURST_LIMIT = 100;
    static final int PLAN_DAILY_QUOTA = 100_000;
    static final int STAGE_RATE_LIMIT = 100;
    static final int STAGE_BURST_LIMIT = 200;

    private final InfraConfig config;
    private final RemovalPolicy removalPolicy;
    private final Table commandTable;
    private final Table notificationTable;
    private final Queue streamDlq;
    private final Secret cursorSecret;
    private final Map<LambdaModule, Function> functions = new EnumMap<>(LambdaModule.class);
    private final RestApi api;
    private final ApiKey apiKey;
    private final List<IAlarm> alarms = new ArrayList<>();

    public NotificationStack(Construct scope, String id, StackProps props, InfraConfig config) {
        super(scope, id, props);
        this.config = config;
        // One switch for everything that holds data: RETAIN unless the stage is declared throw-away.
        this.removalPolicy = config.ephemeral() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

        this.commandTable = commandRecordsTable();
        this.notificationTable = notificationRecordsTable();
        this.streamDlq = streamProcessorDlq();
        this.cursorSecret = cursorSecret();

        createFunctions();
        grantAccess();
        grantCursorSecret();
        connectStream();

        this.api = restApi();
        this.apiKey = apiKeyAndUsagePlan();

        monitoring();
        outputs();

    }

    // ---------------------------------------------------------------------------------------------
    // Tables

    /** command-records, the write model: PK transaction_id, SK created_at (epoch ms), streamed. */
    private Table commandRecordsTable() {
        return Table.Builder.create(this, "CommandRecords")
                .tableName(config.name("command-records"))
                .partitionKey(attr("transaction_id", AttributeType.STRING))
                .sortKey(attr("created_at", AttributeType.NUMBER))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .stream(StreamViewType.NEW_AND_OLD_IMAGES)
                .pointInTimeRecoverySpecification(pitr())
                .removalPolicy(removalPolicy)
                .build();
    }

    /** notification-records, the read model: PK user_id, SK view_sk, and the four query GSIs. */
    private Table notificationRecordsTable() {
        Table table = Table.Builder.create(this, "NotificationRecords")
                .tableName(config.name("notification-records"))
                .partitionKey(attr("user_id", AttributeType.STRING))
                // view_sk = zero-padded created_at + '#' + transaction_id: unique and time-ordered per user.
                .sortKey(attr("view_sk", AttributeType.STRING))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(pitr())
                // Tombstones of deleted views carry expires_at (epoch seconds, 48 h after the delete): DynamoDB
                // removes them once no stream record can contradict them any more (the stream keeps 24 h).
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .removalPolicy(removalPolicy)
                .build();
        // By campaign, newest first (ScanIndexForward=false on view_sk).
        table.addGlobalSecondaryIndex(gsi(MARKETING_INDEX, "marketing_id", AttributeType.STRING,
                "view_sk", AttributeType.STRING));
        // By transaction.
        table.addGlobalSecondaryIndex(gsi(TRANSACTION_INDEX, "transaction_id", AttributeType.STRING,
                "created_at", AttributeType.NUMBER));
        // By SNS message id; sparse (only views with an sns_id).
        table.addGlobalSecondaryIndex(gsi(SNS_INDEX, "sns_id", AttributeType.STRING,
                "created_at", AttributeType.NUMBER));
        // Failed records, recent first; sparse (only FAILED views carry failure_status / failure_sk).
        table.addGlobalSecondaryIndex(gsi(FAILURES_INDEX, "failure_status", AttributeType.STRING,
                "failure_sk", AttributeType.STRING));
        return table;
    }

    private static Attribute attr(String name, AttributeType type) {
        return Attribute.builder().name(name).type(type).build();
    }

    private static PointInTimeRecoverySpecification pitr() {
        return PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build();
    }

    private static GlobalSecondaryIndexProps gsi(String name, String pk, AttributeType pkType, String sk,
                                                 AttributeType skType) {
        return GlobalSecondaryIndexProps.builder()
                .indexName(name)
                .partitionKey(attr(pk, pkType))
                .sortKey(attr(sk, skType))
                .projectionType(ProjectionType.ALL)
                .build();
    }

    /** Where the stream mapping sends the metadata of batches it gave up on (replay from there). */
    private Queue streamProcessorDlq() {
        return Queue.Builder.create(this, "StreamProcessorDlq")
                .queueName(config.name("stream-processor-dlq"))
                // The maximum SQS allows: time to notice the alarm, fix and replay (the stream itself keeps 24 h).
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .removalPolicy(removalPolicy)
                .build();
    }

    // ---------------------------------------------------------------------------------------------
    // Functions

    private void createFunctions() {
        // command-lambda: behind API Gateway (29 s integration limit). One conditional write (or the create
        // claim's transaction), maybe a read for the idempotency comparison: 15 s leaves room for a cold start plus SDK retries
        // and still answers before the gateway gives up. 1024 MB: Lambda's CPU share grows with memory
        // and a Java cold start is CPU-bound.
        function(LambdaModule.COMMAND, 1024, Duration.seconds(15), env(
                "COMMAND_TABLE", commandTable.getTableName()));

        // stream-processor: not user facing. A batch is at most 100 records of conditional writes;
        // 60 s bounds a stuck batch well below the 1 h record age while never cutting a normal one.
        function(LambdaModule.STREAM_PROCESSOR, 512, Duration.seconds(60), env(
                "NOTIFICATION_TABLE", notificationTable.getTableName()));

        // query-result-lambda: invoked synchronously by query-lambda; one DynamoDB Query per call.
        // 10 s, shorter than query-lambda's, so query-lambda outlives it and answers a clean 503.
        function(LambdaModule.QUERY_RESULT, 1024, Duration.seconds(10), env(
                "NOTIFICATION_TABLE", notificationTable.getTableName(),
                "MARKETING_INDEX", MARKETING_INDEX,
                "TRANSACTION_INDEX", TRANSACTION_INDEX,
                "SNS_INDEX", SNS_INDEX,
                "FAILURES_INDEX", FAILURES_INDEX,
                "CURSOR_SECRET_ARN", cursorSecret.getSecretArn()));

        // query-lambda: behind API Gateway; waits for query-result-lambda (10 s) plus its own cold
        // start and the invoke round trip: 20 s, below the gateway's 29 s integration timeout.
        function(LambdaModule.QUERY, 1024, Duration.seconds(20), env(
                "QUERY_RESULT_FUNCTION", functions.get(LambdaModule.QUERY_RESULT).getFunctionName()));
    }

    private void function(LambdaModule module, int memoryMb, Duration timeout, Map<String, String> environment) {
        String functionName = module.functionName(config.stage());
        // An explicit log group (not the deprecated logRetention custom resource): retention and removal
        // are plain CloudFormation, and the role below may write to this group only.
        LogGroup logGroup = LogGroup.Builder.create(this, module.constructId() + "Logs")
                .logGroupName("/aws/lambda/" + functionName)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(removalPolicy)
                .build();
        // A role of its own with no managed policy: every permission is added explicitly below.
        Role role = Role.Builder.create(this, module.constructId() + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Execution role of " + functionName)
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());

        Map<String, String> variables = new LinkedHashMap<>(environment);
        // C1 only: shorter cold starts for short-lived request handlers (the AWS-recommended setting).
        variables.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        Function fn = Function.Builder.create(this, module.constructId())
                .functionName(functionName)
                .description(module.moduleName() + " (" + config.stage() + ")")
                .runtime(Runtime.JAVA_21) // the jars are Java 17 bytecode; java21 is the newer managed runtime
                .architecture(Architecture.X86_64)
                .handler(module.handler())
                .code(Code.fromAsset(config.jar(module).toString()))
                .memorySize(memoryMb)
                .timeout(timeout)
                .role(role)
                .logGroup(logGroup)
                .environment(variables)
                .build();
        functions.put(module, fn);
    }

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /**
     * Each role reaches only the table, indexes or function its code calls, with only the actions it calls: the
     * calls each function module's tests recorded, in {@code <module>/aws-calls.json} (IamTest checks that these
     * grants allow every one of them and nothing else). Batches and transactions are authorized per item: the
     * create claim's TransactWriteItems of two Puts needs PutItem only.
     */
    private void grantAccess() {
        // command-lambda: GetItem and Query (consistent reads: idempotent create, PATCH/DELETE without created_at),
        // PutItem (create, and the claim + item transaction), UpdateItem (status change), DeleteItem (delete, claim release).
        allow(LambdaModule.COMMAND,
                List.of("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                        "dynamodb:UpdateItem"),
                List.of(commandTable.getTableArn()));

        // stream-processor: conditional PutItem of view items and of tombstones (it never deletes: see
        // docs/architecture.md, "A key's lifetimes"). Stream read and the DLQ's SendMessage are granted by the
        // event source mapping (connectStream).
        allow(LambdaModule.STREAM_PROCESSOR,
                List.of("dynamodb:PutItem"),
                List.of(notificationTable.getTableArn()));

        // query-result-lambda: reads only; Query on the table and on each of the four GSIs.
        allow(LambdaModule.QUERY_RESULT,
                List.of("dynamodb:Query"),
                List.of(notificationTable.getTableArn(), indexArn(MARKETING_INDEX), indexArn(TRANSACTION_INDEX),
                        indexArn(SNS_INDEX), indexArn(FAILURES_INDEX)));

        // query-lambda: invokes query-result-lambda, nothing else.
        allow(LambdaModule.QUERY,
                List.of("lambda:InvokeFunction"),
                List.of(functions.get(LambdaModule.QUERY_RESULT).getFunctionArn()));
    }

    /** query-result-lambda reads the cursor key at init: GetSecretValue on that one secret, nothing else. */
    private void grantCursorSecret() {
        allow(LambdaModule.QUERY_RESULT, List.of("secretsmanager:GetSecretValue"), List.of(cursorSecret.getSecretArn()));
    }

    /**
     * The HMAC key of the pagination cursors: generated by Secrets Manager for each deployment (64 letters and
     * digits), so no key is in the repository or the template. Deleted with the stack (a new deployment gets a new
     * key; cursors are short-lived, so nothing of value is lost). No name: a generated one never collides with a
     * secret of a deleted stack that is still in its recovery window.
     */
    private Secret cursorSecret() {
        return Secret.Builder.create(this, "CursorSecret")
                .description("HMAC key of the query API's pagination cursors (" + config.stage() + ")")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(64)
                        .excludePunctuation(true)
                        .includeSpace(false)
                        .build())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    private String indexArn(String indexName) {
        return notificationTable.getTableArn() + "/index/" + indexName;
    }

    private void allow(LambdaModule module, List<String> actions, List<String> resources) {
        functions.get(module).addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build());
    }

    /** command-records' stream -> stream-processor, with bounded retries and an on-failure queue. */
    private void connectStream() {
        functions.get(LambdaModule.STREAM_PROCESSOR).addEventSource(DynamoEventSource.Builder.create(commandTable)
                // From the oldest record still in the stream: nothing written before the mapping is lost.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(1))
                // A failing batch is split in halves until the poison record stands alone.
                .bisectBatchOnError(true)
                .retryAttempts(3)
                .maxRecordAge(Duration.hours(1))
                // The handler returns batchItemFailures: only the failed record and those after it retry.
                .reportBatchItemFailures(true)
                // One batch per shard at a time keeps the changes of one item in order.
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(streamDlq))
                .build());
    }

    // ---------------------------------------------------------------------------------------------
    // REST API

    private RestApi restApi() {
        RestApi restApi = RestApi.Builder.create(this, "NotificationApi")
                .restApiName(config.name("notification-api"))
                .description("Notification CQRS API (" + config.stage() + ")")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // No account-wide CloudWatch role: a stack must not own that account setting.
                .cloudWatchRole(false)
                .apiKeySourceType(ApiKeySourceType.HEADER)
                .deployOptions(StageOptions.builder()
                        .stageName(config.stage())
                        // Stage-wide ceiling, also covering /health which has no key (and so no plan).
                        .throttlingRateLimit(STAGE_RATE_LIMIT)
                        .throttlingBurstLimit(STAGE_BURST_LIMIT)
                        .build())
                .build();
        // RestApi adds an "Endpoint" output of its own; the stack's outputs are exactly the documented ones.
        restApi.getNode().tryRemoveChild("Endpoint");

        RequestValidator paramsValidator = restApi.addRequestValidator("ParametersValidator",
                RequestValidatorOptions.builder()
                        .requestValidatorName(config.name("parameters"))
                        .validateRequestParameters(true)
                        .validateRequestBody(false)
                        .build());
        RequestValidator bodyValidator = restApi.addRequestValidator("BodyValidator",
                RequestValidatorOptions.builder()
                        .requestValidatorName(config.name("body"))
                        .validateRequestParameters(false)
                        .validateRequestBody(true)
                        .build());
        IModel createCommandModel = restApi.addModel("CreateCommandModel", ModelOptions.builder()
                .modelName("CreateCommand")
                .contentType("application/json")
                .description("POST /commands body: the fields API Gateway checks before command-lambda "
                        + "validates the rest")
                .schema(createCommandSchema())
                .build());

        LambdaIntegration commands = integration(LambdaModule.COMMAND);
        LambdaIntegration queries = integration(LambdaModule.QUERY);

        IResource root = restApi.getRoot();
        Resource commandsResource = root.addResource("commands");
        commandsResource.addMethod("POST", commands, keyed()
                .requestValidator(bodyValidator)
                .requestModels(Map.of("application/json", createCommandModel))
                .build());
        Resource commandById = commandsResource.addResource("{transaction_id}");
        commandById.addMethod("PATCH", commands, keyed().build());
        commandById.addMethod("DELETE", commands, keyed().build());

        Resource query = root.addResource("query");
        query.addResource("user").addMethod("GET", queries, requiredQueryParam(paramsValidator, "user_id"));
        query.addResource("marketing").addMethod("GET", queries,
                requiredQueryParam(paramsValidator, "marketing_id"));
        query.addResource("failures").addMethod("GET", queries, keyed().build());
        root.addResource("tx").addMethod("GET", queries, requiredQueryParam(paramsValidator, "transaction_id"));
        root.addResource("sns").addMethod("GET", queries, requiredQueryParam(paramsValidator, "sns_id"));
        // The one route without a key: load balancers and smoke checks.
        root.addResource("health").addMethod("GET", queries, MethodOptions.builder().apiKeyRequired(false).build());

        gatewayResponses(restApi);
        return restApi;
    }

    private LambdaIntegration integration(LambdaModule module) {
        return LambdaIntegration.Builder.create(functions.get(module))
                .proxy(true)
                // Only the deployed methods may invoke; no extra permission for console test calls.
                .allowTestInvoke(false)
                .build();
    }

    private static MethodOptions.Builder keyed() {
        return MethodOptions.builder().apiKeyRequired(true);
    }

    private static MethodOptions requiredQueryParam(RequestValidator validator, String name) {
        return keyed()
                .requestValidator(validator)
                .requestParameters(Map.of("method.request.querystring." + name, true))
                .build();
    }

    /**
     * Deliberately permissive: required fields and enums only. command-lambda validates everything
     * (ids, lengths, device_token, payload size) and answers with field-level messages.
     */
    private static JsonSchema createCommandSchema() {
        // An ordered map: the schema feeds the deployment's hash, which must not change between runs.
        Map<String, JsonSchema> properties = new LinkedHashMap<>();
        properties.put("user_id", JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1).build());
        properties.put("platform", JsonSchema.builder().type(JsonSchemaType.STRING)
                .enumValue(List.of("IOS", "ANDROID", "WEBPUSH")).build());
        properties.put("status", JsonSchema.builder().type(JsonSchemaType.STRING)
                .enumValue(List.of("SENT", "DELIVERED", "FAILED")).build());
        return JsonSchema.builder()
                .schema(JsonSchemaVersion.DRAFT4)
                .title("CreateCommand")
                .type(JsonSchemaType.OBJECT)
                .required(List.of("user_id", "platform", "status"))
                .properties(properties)
                .build();
    }

    /** API Gateway's own errors in the project's error shape. */
    private static void gatewayResponses(RestApi restApi) {
        // validationErrorString of a body check can contain double quotes (enum lists), which a gateway
        // response template cannot escape: the body error message is fixed. Parameter errors are quote-free.
        gatewayResponse(restApi, "BadRequestBody", ResponseType.BAD_REQUEST_BODY, "400", "VALIDATION_ERROR",
                "request body is invalid: user_id, platform (IOS|ANDROID|WEBPUSH) and status "
                        + "(SENT|DELIVERED|FAILED) are required");
        gatewayResponse(restApi, "BadRequestParameters", ResponseType.BAD_REQUEST_PARAMETERS, "400",
                "VALIDATION_ERROR", "$context.error.validationErrorString");
        // An unknown path or method (API Gateway reports it as a missing authentication token).
        gatewayResponse(restApi, "MissingAuthenticationToken", ResponseType.MISSING_AUTHENTICATION_TOKEN, "404",
                "NOT_FOUND", "no such route");
        gatewayResponse(restApi, "InvalidApiKey", ResponseType.INVALID_API_KEY, "403", "FORBIDDEN",
                "a valid API key is required in the " + API_KEY_HEADER + " header");
        gatewayResponse(restApi, "AccessDenied", ResponseType.ACCESS_DENIED, "403", "FORBIDDEN",
                "access denied");
        gatewayResponse(restApi, "Throttled", ResponseType.THROTTLED, "429", "THROTTLED",
                "too many requests, retry later");
        gatewayResponse(restApi, "QuotaExceeded", ResponseType.QUOTA_EXCEEDED, "429", "THROTTLED",
                "the API key's daily quota is used up");
        gatewayResponse(restApi, "RequestTooLarge", ResponseType.REQUEST_TOO_LARGE, "413", "PAYLOAD_TOO_LARGE",
                "request is too large");
        // A body API Gateway cannot take for its content type: the same 415 command-lambda answers itself.
        gatewayResponse(restApi, "UnsupportedMediaType", ResponseType.UNSUPPORTED_MEDIA_TYPE, "415",
                "UNSUPPORTED_MEDIA_TYPE", "the request body must be JSON (Content-Type: application/json)");
        // Integration failures and timeouts: the client may retry.
        gatewayResponse(restApi, "Default5xx", ResponseType.DEFAULT_5_XX, "503", "UNAVAILABLE",
                "the service is unavailable, retry later");
    }

    private static void gatewayResponse(RestApi restApi, String id, ResponseType type, String status, String code,
                                        String message) {
        restApi.addGatewayResponse(id, GatewayResponseOptions.builder()
                .type(type)
                .statusCode(status)
                .responseHeaders(Map.of("Content-Type", "'application/json'"))
                .templates(Map.of("application/json", errorJson(code, message)))
                .build());
    }

    /** {"success":false,"error":{"code":"...","message":"..."}} */
    static String errorJson(String code, String message) {
        return "{\"success\":false,\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private ApiKey apiKeyAndUsagePlan() {
        ApiKey.Builder key = ApiKey.Builder.create(this, "ApiKey")
                .apiKeyName(config.name("notification-api-key"))
                .description("Client key of " + config.name("notification-api"))
                .enabled(true);
        if (config.apiKeyValue() != null) {
            key.value(config.apiKeyValue());
        }
        ApiKey created = key.build();

        UsagePlan plan = api.addUsagePlan("UsagePlan", UsagePlanProps.builder()
                .name(config.name("notification-api-usage-plan"))
                .description("Throttling and daily quota of " + config.name("notification-api"))
                .throttle(ThrottleSettings.builder().rateLimit(PLAN_RATE_LIMIT).burstLimit(PLAN_BURST_LIMIT).build())
                .quota(QuotaSettings.builder().limit(PLAN_DAILY_QUOTA).period(Period.DAY).build())
                .apiStages(List.of(UsagePlanPerApiStage.builder().api(api).stage(api.getDeploymentStage()).build()))
                .build());
        plan.addApiKey(created);
        return created;
    }

    // ---------------------------------------------------------------------------------------------
    // Monitoring

    private void monitoring() {
        Function streamProcessor = functions.get(LambdaModule.STREAM_PROCESSOR);

        // The projection lags behind the writes: a minute of age for 5 minutes means the views are stale.
        Metric iteratorAge = streamProcessor.metric("IteratorAge", MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
        alarm("StreamIteratorAgeAlarm", "stream-processor-iterator-age", iteratorAge, 60_000, 5,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                "stream-processor is more than 60 s behind command-records for 5 minutes");

        List<IMetric> errorMetrics = new ArrayList<>();
        List<IMetric> throttleMetrics = new ArrayList<>();
        List<IMetric> invocationMetrics = new ArrayList<>();
        List<IMetric> durationMetrics = new ArrayList<>();
        for (LambdaModule module : LambdaModule.values()) {
            Function fn = functions.get(module);
            // Alarms take the plain metric (a label would turn it into a metric-math alarm); graphs a labelled one.
            MetricOptions sum5m = MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build();
            MetricOptions labelled = MetricOptions.builder().label(module.moduleName()).build();
            Metric errors = fn.metricErrors(sum5m);
            Metric throttles = fn.metricThrottles(sum5m);
            alarm(module.constructId() + "ErrorsAlarm", module.moduleName() + "-errors", errors, 1, 1,
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    module.moduleName() + " failed (unhandled error or timeout) in the last 5 minutes");
            alarm(module.constructId() + "ThrottlesAlarm", module.moduleName() + "-throttles", throttles, 1, 1,
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    module.moduleName() + " was throttled in the last 5 minutes");
            errorMetrics.add(errors.with(labelled));
            throttleMetrics.add(throttles.with(labelled));
            invocationMetrics.add(fn.metricInvocations(sum5m).with(labelled));
            durationMetrics.add(fn.metricDuration(MetricOptions.builder().statistic("p99")
                    .period(Duration.minutes(5)).label(module.moduleName() + " p99").build()));
        }

        // Any message here is a batch the mapping gave up on: the views are missing changes until replayed.
        Metric dlqDepth = streamDlq.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
        alarm("StreamDlqDepthAlarm", "stream-processor-dlq-depth", dlqDepth, 0, 1,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                "records the stream mapping gave up on are waiting in " + config.name("stream-processor-dlq"));

        Metric api5xx = api.getDeploymentStage().metricServerError(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(5)).build());
        alarm("Api5xxAlarm", "api-5xx", api5xx, 5, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                config.name("notification-api") + " answered 5 or more 5XX errors in 5 minutes");
        Metric api4xx = api.getDeploymentStage().metricClientError(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(5)).build());
        Metric apiCount = api.getDeploymentStage().metricCount(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(5)).build());
        Metric apiLatency = api.getDeploymentStage().metricLatency(MetricOptions.builder()
                .statistic("p99").period(Duration.minutes(5)).build());

        List<IWidget> header = List.of(
                TextWidget.Builder.create()
                        .markdown("# Notification CQRS (" + config.stage() + ")\nWrites -> "
                                + config.name("command-records") + " -> stream -> "
                                + config.name("notification-records") + " -> queries")
                        .width(8).height(6).build(),
                AlarmStatusWidget.Builder.create().title("Alarms").alarms(alarms).width(16).height(6).build());
        List<IWidget> apiRow = List.of(
                graph("API requests", List.of(apiCount), 8),
                graph("API 4XX / 5XX", List.of(api4xx, api5xx), 8),
                graph("API latency p99 (ms)", List.of(apiLatency), 8));
        List<IWidget> lambdaRow = List.of(
                graph("Invocations", invocationMetrics, 6),
                graph("Errors", errorMetrics, 6),
                graph("Throttles", throttleMetrics, 6),
                graph("Duration p99 (ms)", durationMetrics, 6));
        List<IWidget> streamRow = List.of(
                graph("Stream iterator age (ms)", List.of(iteratorAge), 12),
                graph("Stream DLQ depth", List.of(dlqDepth), 12));

        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(config.name("notification-cqrs"))
                .widgets(List.of(header, apiRow, lambdaRow, streamRow))
                .build();
    }

    private void alarm(String id, String nameSuffix, IMetric metric, double threshold, int evaluationPeriods,
                       ComparisonOperator operator, String description) {
        alarms.add(Alarm.Builder.create(this, id)
                .alarmName(config.name(nameSuffix))
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(evaluationPeriods)
                .comparisonOperator(operator)
                // No data = no traffic = nothing wrong.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private static GraphWidget graph(String title, List<IMetric> metrics, int width) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(width).height(6).build();
    }

    // ---------------------------------------------------------------------------------------------
    // Outputs

    private void outputs() {
        output("ApiUrl", api.getUrl(), "Base URL of the API stage");
        output("ApiKeyId", apiKey.getKeyId(), "Id of the API key (aws apigateway get-api-key --include-value)");
        output("CommandTable", commandTable.getTableName(), "command-records table (write model)");
        output("NotificationTable", notificationTable.getTableName(), "notification-records table (read model)");
        output("DlqUrl", streamDlq.getQueueUrl(), "On-failure queue of the stream mapping");
        output("CommandStreamArn", commandTable.getTableStreamArn(), "Stream of command-records");
        for (LambdaModule module : LambdaModule.values()) {
            output(module.outputName(), functions.get(module).getFunctionName(), module.moduleName() + " function");
        }
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    // ---------------------------------------------------------------------------------------------
    // Accessors (tests, tools)

    public InfraConfig config() {
        return config;
    }

    public Table commandTable() {
        return commandTable;
    }

    public Table notificationTable() {
        return notificationTable;
    }

    public Function function(LambdaModule module) {
        return functions.get(module);
    }

    public RestApi api() {
        return api;
    }
}
