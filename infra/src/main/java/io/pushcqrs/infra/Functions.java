package io.pushcqrs.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sqs.Queue;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four functions (docs/architecture.md, "Modules"): each with its own log group, a role with no managed policy,
 * Lambda's JSON log format, and exactly the grants its module's aws-calls.json lists (IamTest keeps the two equal).
 * Created in the stack's own scope: the logical ids stay those of the stack before the split.
 */
final class Functions {
    private final StackParts stack;
    private final DataTables tables;
    private final Secret cursorSecret;
    private final Queue onFailureQueue;
    private final Map<LambdaModule, Function> functions = new EnumMap<>(LambdaModule.class);

    Functions(StackParts stack, DataTables tables, Secret cursorSecret, Queue onFailureQueue) {
        this.stack = stack;
        this.tables = tables;
        this.cursorSecret = cursorSecret;
        this.onFailureQueue = onFailureQueue;
        createFunctions();
        grantAccess();
        grantCursorSecret();
    }

    Function get(LambdaModule module) {
        return functions.get(module);
    }

    private void createFunctions() {
        // command-lambda: behind API Gateway (29 s integration limit). One conditional write (or the create
        // claim's transaction), maybe a read for the idempotency comparison: 15 s leaves room for a cold start plus SDK retries
        // and still answers before the gateway gives up. 1024 MB: Lambda's CPU share grows with memory
        // and a Java cold start is CPU-bound.
        function(LambdaModule.COMMAND, 1024, Duration.seconds(15), env(
                "COMMAND_TABLE", tables.commands().getTableName()));

        // stream-processor: not user facing. A batch is at most 100 records of conditional writes, written
        // concurrently by item key; a transient failure is retried inside the invocation for up to ~45 s before the
        // batch is answered (the mapping then retries it). Poison records go to the on-failure queue (its URL).
        function(LambdaModule.STREAM_PROCESSOR, 512, Duration.seconds(60), env(
                "NOTIFICATION_TABLE", tables.notifications().getTableName(),
                "ON_FAILURE_QUEUE_URL", onFailureQueue.getQueueUrl()));

        // query-result-lambda: invoked synchronously by query-lambda; a few DynamoDB Queries per page (a sharded query
        // reads its 8 or 16 shards at once, at most 2 per shard + 5 Queries a page).
        // 10 s, shorter than query-lambda's, so query-lambda outlives it and answers a clean 503.
        function(LambdaModule.QUERY_RESULT, 1024, Duration.seconds(10), env(
                "NOTIFICATION_TABLE", tables.notifications().getTableName(),
                "MARKETING_INDEX", NotificationStack.MARKETING_INDEX,
                "TRANSACTION_INDEX", NotificationStack.TRANSACTION_INDEX,
                "SNS_INDEX", NotificationStack.SNS_INDEX,
                "FAILURES_INDEX", NotificationStack.FAILURES_INDEX,
                "CURSOR_SECRET_ARN", cursorSecret.getSecretArn()));

        // query-lambda: behind API Gateway; waits for query-result-lambda (10 s) plus its own cold
        // start and the invoke round trip: 20 s, below the gateway's 29 s integration timeout.
        function(LambdaModule.QUERY, 1024, Duration.seconds(20), env(
                "QUERY_RESULT_FUNCTION", functions.get(LambdaModule.QUERY_RESULT).getFunctionName()));
    }

    private void function(LambdaModule module, int memoryMb, Duration timeout, Map<String, String> environment) {
        String functionName = module.functionName(stack.config().stage());
        // An explicit log group (not the deprecated logRetention custom resource): retention and removal
        // are plain CloudFormation, and the role below may write to this group only.
        LogGroup logGroup = LogGroup.Builder.create(stack.scope(), module.constructId() + "Logs")
                .logGroupName("/aws/lambda/" + functionName)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(stack.removalPolicy())
                .build();
        // A role of its own with no managed policy: every permission is added explicitly below.
        Role role = Role.Builder.create(stack.scope(), module.constructId() + "Role")
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

        Function fn = Function.Builder.create(stack.scope(), module.constructId())
                .functionName(functionName)
                .description(module.moduleName() + " (" + stack.config().stage() + ")")
                .runtime(Runtime.JAVA_21) // the jars are Java 17 bytecode; java21 is the newer managed runtime
                .architecture(Architecture.X86_64)
                .handler(module.handler())
                .code(Code.fromAsset(stack.config().jar(module).toString()))
                .memorySize(memoryMb)
                .timeout(timeout)
                .role(role)
                .logGroup(logGroup)
                // Lambda's JSON log format: the runtime (AWS_LAMBDA_LOG_FORMAT/_LEVEL) sends the functions' JSON lines
                // and its own in one shape, and drops application lines below INFO
                // (docs/architecture.md, "Logging as Lambda does it").
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.INFO)
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
                List.of(tables.commands().getTableArn()));

        // stream-processor: conditional PutItem of view items and of tombstones (it never deletes: see
        // docs/architecture.md, "A key's lifetimes"); SendMessage of poison records to the on-failure queue. Stream
        // read and the queue's grants for the mapping itself come with the event source mapping
        // (StreamProjection.connect).
        allow(LambdaModule.STREAM_PROCESSOR,
                List.of("dynamodb:PutItem"),
                List.of(tables.notifications().getTableArn()));
        allow(LambdaModule.STREAM_PROCESSOR,
                List.of("sqs:SendMessage"),
                List.of(onFailureQueue.getQueueArn()));

        // query-result-lambda: reads only; Query on the table and on each of the four GSIs.
        allow(LambdaModule.QUERY_RESULT,
                List.of("dynamodb:Query"),
                List.of(tables.notifications().getTableArn(), tables.indexArn(NotificationStack.MARKETING_INDEX),
                        tables.indexArn(NotificationStack.TRANSACTION_INDEX), tables.indexArn(NotificationStack.SNS_INDEX),
                        tables.indexArn(NotificationStack.FAILURES_INDEX)));

        // query-lambda: invokes query-result-lambda, nothing else.
        allow(LambdaModule.QUERY,
                List.of("lambda:InvokeFunction"),
                List.of(functions.get(LambdaModule.QUERY_RESULT).getFunctionArn()));
    }

    /** query-result-lambda reads the cursor key at init: GetSecretValue on that one secret, nothing else. */
    private void grantCursorSecret() {
        allow(LambdaModule.QUERY_RESULT, List.of("secretsmanager:GetSecretValue"), List.of(cursorSecret.getSecretArn()));
    }

    private void allow(LambdaModule module, List<String> actions, List<String> resources) {
        functions.get(module).addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build());
    }
}
