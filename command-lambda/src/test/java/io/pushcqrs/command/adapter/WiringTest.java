package io.pushcqrs.command.adapter;

import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository as the function builds it from its environment. */
class WiringTest {

    @Test
    void withoutCommandTableTheFunctionDoesNotStart() {
        assertThatThrownBy(() -> DynamoDbCommandRepository.fromEnvironment(Env.of(Map.of("COMMAND_TABLE", " "))))
                .isInstanceOf(Env.MissingVariableException.class).hasMessageContaining("COMMAND_TABLE");
    }

    @Test
    void usesTheUrlConnectionClientOnly() {
        // the jar carries no other HTTP client: Apache and Netty are excluded from the build
        assertThat(classExists(UrlConnectionHttpClient.class.getName())).isTrue();
        assertThat(classExists("software.amazon.awssdk.http.apache.ApacheHttpClient")).isFalse();
        assertThat(classExists("software.amazon.awssdk.http.apache5.Apache5HttpClient")).isFalse();
        assertThat(classExists("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient")).isFalse();
    }

    /**
     * The SDK reads the endpoint from AWS_ENDPOINT_URL (what the embedded stack and LocalStack set) or
     * the aws.endpointUrl system property, through the same setting; the property is what a test can set.
     */
    @Test
    @Tag(Tiers.MOTO)
    void endpointComesFromTheSdkEndpointSetting() {
        String endpoint = MotoServer.shared().endpoint().toString();
        SdkSettings.withEndpoint(endpoint, () -> {
            DynamoDbCommandRepository repo = DynamoDbCommandRepository.fromEnvironment(
                    Env.of(Map.of("COMMAND_TABLE", "wiring-test-command-records", "AWS_REGION", "eu-west-3")));
            assertThat(repo.table()).isEqualTo("wiring-test-command-records");
            assertThat(repo.client().serviceClientConfiguration().region().id()).isEqualTo("eu-west-3");
            assertThat(repo.client().serviceClientConfiguration().endpointOverride()).hasValueSatisfying(
                    uri -> assertThat(uri.toString()).isEqualTo(endpoint));
            assertThat(repo.client().listTables().tableNames()).isNotNull(); // answered by moto
        });
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, WiringTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
