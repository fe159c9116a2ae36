package io.pushcqrs.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * Everything that is deployed, for one stage, assembled from one class per job: {@link DataTables},
 * {@link StreamProjection} (the on-failure queue, then the mapping), {@link CursorKey}, {@link Functions} (roles, log
 * groups, grants), {@link NotificationApi} (REST API, key, usage plan), {@link Monitoring}, and the outputs that
 * scripts and the embedded runtime read. Each part creates its resources in this stack's scope, in the order the
 * stack always did, so the logical ids (and the template) are those of the single class it was before
 * (docs/architecture.md, "Infrastructure in constructs").
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
    private final DataTables tables;
    private final StreamProjection projection;
    private final Functions functions;
    private final NotificationApi api;

    public NotificationStack(Construct scope, String id, StackProps props, InfraConfig config) {
        super(scope, id, props);
        this.config = config;
        // One switch for everything that holds data: RETAIN unless the stage is declared throw-away.
        RemovalPolicy removalPolicy = config.ephemeral() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

        StackParts parts = new StackParts(this, config, removalPolicy);

        this.tables = new DataTables(parts);
        this.projection = new StreamProjection(parts);
        Secret cursorSecret = CursorKey.create(parts);
        this.functions = new Functions(parts, tables, cursorSecret, projection.dlq());
        projection.connect(tables.commands(), functions.get(LambdaModule.STREAM_PROCESSOR));
        this.api = new NotificationApi(parts, functions);
        new Monitoring(parts, functions, projection, api);
        outputs();
    }

    /** {"success":false,"error":{"code":"...","message":"..."}} */
    static String errorJson(String code, String message) {
        return "{\"success\":false,\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private void outputs() {
        output("ApiUrl", api.restApi().getUrl(), "Base URL of the API stage");
        output("ApiKeyId", api.apiKey().getKeyId(), "Id of the API key (aws apigateway get-api-key --include-value)");
        output("CommandTable", tables.commands().getTableName(), "command-records table (write model)");
        output("NotificationTable", tables.notifications().getTableName(), "notification-records table (read model)");
        output("DlqUrl", projection.dlq().getQueueUrl(), "On-failure queue of the stream mapping");
        output("CommandStreamArn", tables.commands().getTableStreamArn(), "Stream of command-records");
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
        return tables.commands();
    }

    public Table notificationTable() {
        return tables.notifications();
    }

    public Function function(LambdaModule module) {
        return functions.get(module);
    }

    public RestApi api() {
        return api.restApi();
    }
}
