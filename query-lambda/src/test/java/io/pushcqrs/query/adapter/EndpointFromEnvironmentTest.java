package io.pushcqrs.query.adapter;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.query.QueryApiHandler;
import io.pushcqrs.query.adapter.FakeLambdaService.Answer;
import io.pushcqrs.query.adapter.FakeLambdaService.Call;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production wiring, as the Lambda runtime builds it: the handler's no-arg constructor in a
 * fresh JVM whose environment carries QUERY_RESULT_FUNCTION, AWS_REGION and AWS_ENDPOINT_URL (as
 * LocalStack and the embedded local stack set them). Proves that the SDK takes the endpoint from
 * AWS_ENDPOINT_URL for the Lambda client and the region from AWS_REGION.
 */
class EndpointFromEnvironmentTest {

    /** Runs in the child JVM: one GET /tx through the handler built from the environment. */
    public static void main(String[] args) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("GET").withPath("/tx").withResource("/tx")
                .withQueryStringParameters(Map.of("transaction_id", "tx-9"));
        APIGatewayProxyResponseEvent response = new QueryApiHandler().handleRequest(event, null);
        System.out.println("STATUS=" + response.getStatusCode());
        System.out.println("BODY=" + response.getBody());
    }

    @Test
    void theHandlerBuiltFromTheEnvironmentInvokesTheFunctionAtAwsEndpointUrl() throws Exception {
        try (FakeLambdaService service = new FakeLambdaService()) {
            service.answer(Answer.ok("""
                    {"success":true,"items":[{"notification":{"transaction_id":"tx-9","created_at":1795687200123,
                     "user_id":"u1","platform":"IOS","device_token":"d","status":"SENT"},"source_version":1}]}"""));

            ProcessBuilder pb = new ProcessBuilder(
                    System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    EndpointFromEnvironmentTest.class.getName());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("QUERY_RESULT_TIMEOUT_MS"));
            env.put("AWS_ENDPOINT_URL", service.endpoint().toString());
            env.put("AWS_REGION", "eu-west-1");
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_LAMBDA_FUNCTION_NAME", "env-query-lambda");
            env.put("QUERY_RESULT_FUNCTION", "env-query-result");
            pb.redirectErrorStream(true);
            Process child = pb.start();
            String output;
            try {
                output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }

            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("STATUS=200");
            String body = output.substring(output.indexOf("BODY=") + 5).trim();
            assertThat(Json.readTree(body).path("items").get(0).path("created_at_iso").asText())
                    .isEqualTo("2026-11-26T10:00:00.123Z");
            assertThat(service.calls).hasSize(1);
            Call call = service.calls.get(0);
            assertThat(call.path()).isEqualTo("/2015-03-31/functions/env-query-result/invocations");
            assertThat(call.header("Authorization")).contains("/eu-west-1/lambda/aws4_request");
            assertThat(Json.readTree(call.body())).isEqualTo(Json.readTree(
                    "{\"type\":\"TRANSACTION\",\"transaction_id\":\"tx-9\",\"limit\":30}"));
            // the request log line of the handler (stdout without a Lambda context)
            assertThat(output).contains("\"route\":\"/tx\"", "\"status\":200", "\"count\":1");
        }
    }
}
