package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.ApiRequest;
import io.pushcqrs.local.apigw.ApiResponse;
import io.pushcqrs.local.apigw.FakeInvoker;
import io.pushcqrs.local.apigw.RestApiModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.pushcqrs.local.iam.IamFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

/** API Gateway invokes a function only where an AWS::Lambda::Permission allows it, and fails as AWS fails otherwise. */
class ApiGatewayPermissionsTest {
    private static final String ACCT = "000000000000";

    /** One permission on function f, from a row; the invocation is always POST /commands/{id} of api abc, stage dev. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "exact method and path|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/commands/*|-|-|-|true",
            "any stage and method|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/*/*/*|-|-|-|true",
            "the path parameter as written|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/commands/{id}|-|-|-|true",
            "no SourceArn|lambda:InvokeFunction|apigateway.amazonaws.com|-|-|-|-|true",
            "lambda:*|lambda:*|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/*|-|-|-|true",
            "principal *|lambda:InvokeFunction|*|arn:aws:execute-api:us-east-1:000000000000:abc/*|-|-|-|true",
            "SourceAccount of the account|lambda:InvokeFunction|apigateway.amazonaws.com|-|000000000000|-|-|true",
            "other method|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/commands/*|-|-|-|false",
            "other stage|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/prod/POST/commands/*|-|-|-|false",
            "other API|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:xyz/*|-|-|-|false",
            "other region|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:eu-west-1:000000000000:abc/*|-|-|-|false",
            "other path|lambda:InvokeFunction|apigateway.amazonaws.com|arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/commands|-|-|-|false",
            "other action|lambda:GetFunction|apigateway.amazonaws.com|-|-|-|-|false",
            "other principal|lambda:InvokeFunction|s3.amazonaws.com|-|-|-|-|false",
            "other SourceAccount|lambda:InvokeFunction|apigateway.amazonaws.com|-|111111111111|-|-|false",
            "on an alias|lambda:InvokeFunction|apigateway.amazonaws.com|-|-|live|-|false",
            "with an EventSourceToken|lambda:InvokeFunction|apigateway.amazonaws.com|-|-|-|EventSourceToken|false"})
    void aPermissionAllowsTheInvocationOrNot(String name, String action, String principal, String sourceArn,
                                             String sourceAccount, String qualifier, String other, boolean allowed) {
        LambdaPermission p = new LambdaPermission("Perm", "f", qualifier, action, principal, sourceArn, sourceAccount, other);
        IamModel model = new IamModel(Map.of(), Map.of(), Map.of("f", List.of(p)), Map.of(), Map.of(), List.of(), List.of());
        List<String> log = new ArrayList<>();
        ApiGatewayPermissions permissions = new ApiGatewayPermissions(model, new IamTrail(IamMode.ENFORCE, log::add),
                IamMode.ENFORCE);
        String denial = permissions.denial("abc", "dev", "POST", "/commands/{id}", "f");
        if (allowed) {
            assertThat(denial).isNull();
            assertThat(log).isEmpty();
        } else {
            assertThat(denial).startsWith("Execution failed due to configuration error: Invalid permissions on Lambda function f:")
                    .contains("from arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/commands/{id}");
            assertThat(log).singleElement().asString().startsWith("DENIED lambda:InvokeFunction on arn:aws:lambda:us-east-1:"
                    + ACCT + ":function:f for API Gateway (arn:aws:execute-api:");
        }
    }

    @Test
    void theSourceArnIsTheMethodsExecuteApiArn() {
        assertThat(ApiGatewayPermissions.sourceArn("abc", "dev", "GET", "/"))
                .isEqualTo("arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/");
        assertThat(ApiGatewayPermissions.sourceArn("abc", "dev", "PATCH", "/commands/{transaction_id}"))
                .isEqualTo("arn:aws:execute-api:us-east-1:000000000000:abc/dev/PATCH/commands/{transaction_id}");
    }

    @Test
    void everyRouteOfTheSynthesizedTemplateIsAllowedWhereCdkGrantedIt() {
        IamFixture fx = IamFixture.load();
        RestApiModel api = fx.model.apis().get(0);
        ApiGatewayPermissions permissions = new ApiGatewayPermissions(fx.iam(), new IamTrail(IamMode.ENFORCE, l -> {
        }), IamMode.ENFORCE);
        for (RestApiModel.Method m : api.methods()) {
            String path = api.resource(m.resourceId()).orElseThrow().path();
            assertThat(permissions.denial(api.id(), "dev", m.httpMethod(), path, m.functionName()))
                    .as(m.httpMethod() + " " + path).isNull();
            assertThat(permissions.denial(api.id(), "other-stage", m.httpMethod(), path, m.functionName()))
                    .as(m.httpMethod() + " " + path + " on another stage").isNotNull();
        }
    }

    private static ApiResponse call(ApiGateway gateway, String method, String path, String body) {
        return gateway.handle(new ApiRequest(method, null, "dev", path, null,
                Map.of("Host", List.of("127.0.0.1:4566"), "X-Api-Key", List.of(gatewayKey), "Content-Type",
                        List.of("application/json")), body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1", "HTTP/1.1"));
    }

    private static String gatewayKey;

    @Test
    void aRouteWithoutPermissionFailsAsAwsFailsItAndApiLogSaysWhy() throws Exception {
        IamFixture fx = IamFixture.load(root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("Resources"))
                .remove(id(root, "NotificationApicommandstransactionidPATCHApiPermission")));
        gatewayKey = fx.model.apis().get(0).stages().get("dev").apiKeys().get(0).value();
        FakeInvoker invoker = new FakeInvoker();
        List<String> apiLog = new CopyOnWriteArrayList<>();
        List<String> iamLog = new CopyOnWriteArrayList<>();
        ApiGateway gateway = new ApiGateway(fx.model.apis(), invoker, apiLog::add,
                new ApiGatewayPermissions(fx.iam(), new IamTrail(IamMode.ENFORCE, iamLog::add), IamMode.ENFORCE));

        ApiResponse r = call(gateway, "PATCH", "/commands/tx-1", "{\"user_id\":\"u\"}");
        // API_CONFIGURATION_ERROR falls back to the template's DEFAULT_5XX, whose status (503) all 5XX responses take
        assertThat(r.status()).isEqualTo(503);
        JsonNode body = IamFixture.JSON.readTree(r.body());
        assertThat(body.path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(invoker.calls).isEmpty();
        assertThat(apiLog).anySatisfy(l -> assertThat(l).startsWith("ERROR API PATCH /commands/tx-1: Execution failed due to"
                + " configuration error: Invalid permissions on Lambda function fx-command-lambda: no AWS::Lambda::Permission"
                + " allows apigateway.amazonaws.com to invoke it from arn:aws:execute-api:us-east-1:000000000000:")
                .contains("/dev/PATCH/commands/{transaction_id}"));
        assertThat(iamLog).singleElement().asString().startsWith("DENIED lambda:InvokeFunction");
        // the other routes of the same function still have theirs
        assertThat(call(gateway, "DELETE", "/commands/tx-1", null).status()).isEqualTo(200);
        assertThat(invoker.calls).hasSize(1);

        // AWS's own answer, without the template's gateway responses: 500 Internal server error
        RestApiModel a = fx.model.apis().get(0);
        ApiGateway plain = new ApiGateway(List.of(new RestApiModel(a.id(), a.name(), a.rootResourceId(), a.binaryMediaTypes(),
                a.stages(), a.resources(), a.methods(), Map.of())), invoker, apiLog::add,
                new ApiGatewayPermissions(fx.iam(), new IamTrail(IamMode.ENFORCE, iamLog::add), IamMode.ENFORCE));
        ApiResponse raw = call(plain, "PATCH", "/commands/tx-1", "{}");
        assertThat(raw.status()).isEqualTo(500);
        assertThat(new String(raw.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"Internal server error\"}");
        assertThat(raw.header("x-amzn-ErrorType")).isEqualTo("InternalServerErrorException");
    }

    @Test
    void auditInvokesAndRecordsThatAwsWouldRefuse() {
        IamFixture fx = IamFixture.load(root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("Resources"))
                .remove(id(root, "NotificationApihealthGETApiPermission")));
        gatewayKey = fx.model.apis().get(0).stages().get("dev").apiKeys().get(0).value();
        FakeInvoker invoker = new FakeInvoker();
        List<String> iamLog = new CopyOnWriteArrayList<>();
        ApiGateway gateway = new ApiGateway(fx.model.apis(), invoker, l -> {
        }, new ApiGatewayPermissions(fx.iam(), new IamTrail(IamMode.AUDIT, iamLog::add), IamMode.AUDIT));
        assertThat(call(gateway, "GET", "/health", null).status()).isEqualTo(200);
        assertThat(invoker.calls).hasSize(1);
        assertThat(iamLog).singleElement().asString().startsWith("WOULD DENY lambda:InvokeFunction on arn:aws:lambda:us-east-1:"
                + ACCT + ":function:fx-query-lambda for API Gateway");
    }
}
