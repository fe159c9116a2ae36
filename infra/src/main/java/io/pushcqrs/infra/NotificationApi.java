package io.pushcqrs.infra;

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
import software.amazon.awscdk.services.lambda.Function;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API (README.md, "The HTTP API"): the command and query routes (proxy integrations), /health
 * without a key, request validators and the POST body model, API Gateway's own errors in the project's error
 * shape, the API key and its usage plan. Created in the stack's own scope: the logical ids stay those of the stack
 * before the split.
 */
final class NotificationApi {
    private final StackParts stack;
    private final Functions functions;
    private final RestApi api;
    private final ApiKey apiKey;

    NotificationApi(StackParts stack, Functions functions) {
        this.stack = stack;
        this.functions = functions;
        this.api = createRestApi();
        this.apiKey = apiKeyAndUsagePlan(api);
    }

    RestApi restApi() {
        return api;
    }

    ApiKey apiKey() {
        return apiKey;
    }

    private RestApi createRestApi() {
        RestApi restApi = RestApi.Builder.create(stack.scope(), "NotificationApi")
                .restApiName(stack.config().name("notification-api"))
                .description("Notification CQRS API (" + stack.config().stage() + ")")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // No account-wide CloudWatch role: a stack must not own that account setting.
                .cloudWatchRole(false)
                .apiKeySourceType(ApiKeySourceType.HEADER)
                .deployOptions(StageOptions.builder()
                        .stageName(stack.config().stage())
                        // Stage-wide ceiling, also covering /health which has no key (and so no plan).
                        .throttlingRateLimit(NotificationStack.STAGE_RATE_LIMIT)
                        .throttlingBurstLimit(NotificationStack.STAGE_BURST_LIMIT)
                        .build())
                .build();
        // RestApi adds an "Endpoint" output of its own; the stack's outputs are exactly the documented ones.
        restApi.getNode().tryRemoveChild("Endpoint");

        RequestValidator paramsValidator = restApi.addRequestValidator("ParametersValidator",
                RequestValidatorOptions.builder()
                        .requestValidatorName(stack.config().name("parameters"))
                        .validateRequestParameters(true)
                        .validateRequestBody(false)
                        .build());
        RequestValidator bodyValidator = restApi.addRequestValidator("BodyValidator",
                RequestValidatorOptions.builder()
                        .requestValidatorName(stack.config().name("body"))
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

        LambdaIntegration commands = integration(functions.get(LambdaModule.COMMAND));
        LambdaIntegration queries = integration(functions.get(LambdaModule.QUERY));

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

    private static LambdaIntegration integration(Function function) {
        return LambdaIntegration.Builder.create(function)
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
                "a valid API key is required in the " + NotificationStack.API_KEY_HEADER + " header");
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
                .templates(Map.of("application/json", NotificationStack.errorJson(code, message)))
                .build());
    }

    /** {"success":false,"error":{"code":"...","message":"..."}} */
    static String errorJson(String code, String message) {
        return "{\"success\":false,\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private ApiKey apiKeyAndUsagePlan(RestApi api) {
        ApiKey.Builder key = ApiKey.Builder.create(stack.scope(), "ApiKey")
                .apiKeyName(stack.config().name("notification-api-key"))
                .description("Client key of " + stack.config().name("notification-api"))
                .enabled(true);
        if (stack.config().apiKeyValue() != null) {
            key.value(stack.config().apiKeyValue());
        }
        ApiKey created = key.build();

        UsagePlan plan = api.addUsagePlan("UsagePlan", UsagePlanProps.builder()
                .name(stack.config().name("notification-api-usage-plan"))
                .description("Throttling and daily quota of " + stack.config().name("notification-api"))
                .throttle(ThrottleSettings.builder().rateLimit(NotificationStack.PLAN_RATE_LIMIT).burstLimit(NotificationStack.PLAN_BURST_LIMIT).build())
                .quota(QuotaSettings.builder().limit(NotificationStack.PLAN_DAILY_QUOTA).period(Period.DAY).build())
                .apiStages(List.of(UsagePlanPerApiStage.builder().api(api).stage(api.getDeploymentStage()).build()))
                .build());
        plan.addApiKey(created);
        return created;
    }
}
