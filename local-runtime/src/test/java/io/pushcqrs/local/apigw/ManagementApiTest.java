package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import io.pushcqrs.local.edge.LambdaApi;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GetApiKey and friends, as scripts/deploy.sh and `aws apigateway get-api-key --include-value` call them. */
class ManagementApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RestApiModel.ApiKey key = new RestApiModel.ApiKey("k1", "dev-key", "secret-value-0123456789", true);
    private final ManagementApi api = new ManagementApi(() -> List.of(new RestApiModel("api1", "test", "root", List.of(),
            Map.of("dev", new RestApiModel.Stage("dev", "d1", Map.of(), List.of(key))), List.of(), List.of(), Map.of())));

    private JsonNode call(String method, String path, String query, int status) throws Exception {
        LambdaApi.Answer a = api.handle(method, path, query, new Headers(), new byte[0]);
        assertThat(a.status()).as(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return JSON.readTree(a.body());
    }

    @Test
    void getApiKeyAnswersTheValueOnlyWhenAskedFor() throws Exception {
        JsonNode withValue = call("GET", "/apikeys/k1", "includeValue=true", 200);
        assertThat(withValue.path("value").asText()).isEqualTo("secret-value-0123456789");
        assertThat(withValue.path("name").asText()).isEqualTo("dev-key");
        assertThat(withValue.path("enabled").asBoolean()).isTrue();
        assertThat(call("GET", "/apikeys/k1", null, 200).has("value")).isFalse();
        assertThat(call("GET", "/apikeys", "includeValues=false", 200).path("item")).hasSize(1);
        assertThat(call("GET", "/restapis", null, 200).path("item").get(0).path("id").asText()).isEqualTo("api1");
    }

    @Test
    void unknownKeysAndOperationsAnswerApiGatewaysErrors() throws Exception {
        LambdaApi.Answer missing = api.handle("GET", "/apikeys/nope", "includeValue=true", new Headers(), new byte[0]);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers()).containsEntry("x-amzn-ErrorType", "NotFoundException");
        assertThat(JSON.readTree(missing.body()).path("message").asText()).isEqualTo("Invalid API Key identifier specified");
        JsonNode unsupported = call("POST", "/apikeys", null, 400);
        assertThat(unsupported.path("message").asText()).contains("not emulated");
    }
}
