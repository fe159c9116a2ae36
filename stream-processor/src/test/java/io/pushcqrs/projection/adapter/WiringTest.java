package io.pushcqrs.projection.adapter;

import io.pushcqrs.lambda.Env;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store as the function builds it from its environment. */
class WiringTest {

    @Test
    void withoutNotificationTableTheFunctionDoesNotStart() {
        assertThatThrownBy(() -> DynamoDbViewStore.fromEnvironment(Env.of(Map.of("NOTIFICATION_TABLE", ""))))
                .isInstanceOf(Env.MissingVariableException.class).hasMessageContaining("NOTIFICATION_TABLE");
    }

    @Test
    void onlyTheUrlConnectionHttpClientIsOnTheClasspath() {
        assertThat(UrlConnectionHttpClient.create()).isNotNull();
        assertThat(isPresent("software.amazon.awssdk.http.apache.ApacheHttpClient")).isFalse();
        assertThat(isPresent("software.amazon.awssdk.http.apache5.Apache5HttpClient")).isFalse();
        assertThat(isPresent("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient")).isFalse();
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, WiringTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
