package io.pushcqrs.lambda.aws;

import io.pushcqrs.lambda.Env;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsTest {

    @Test
    void theJdkKeepsAsManyIdleConnectionsAsTheProjectionWritesAtOnce() {
        AwsClients.region(Env.of(Map.of()));
        // set when the class loaded, unless the JVM was given a value (then that one stays)
        assertThat(System.getProperty(AwsClients.MAX_CONNECTIONS_PROPERTY)).isNotNull();
        if (!AwsClients.MAX_CONNECTIONS.equals(System.getProperty(AwsClients.MAX_CONNECTIONS_PROPERTY))) {
            assertThat(ProcessHandle.current().info().arguments().map(java.util.Arrays::asList).orElse(java.util.List.of()))
                    .anyMatch(a -> a.startsWith("-D" + AwsClients.MAX_CONNECTIONS_PROPERTY + "="));
        }
    }

    @Test
    void regionComesFromAwsRegionWithUsEast1AsDefault() {
        assertThat(AwsClients.region(Env.of(Map.of("AWS_REGION", " eu-west-3 ")))).isEqualTo(Region.EU_WEST_3);
        assertThat(AwsClients.region(Env.of(Map.of()))).isEqualTo(Region.US_EAST_1);
        assertThat(AwsClients.region(Env.of(Map.of("AWS_REGION", "")))).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void clientsUseTheRegionABoundedCallTimeoutAndTheAttempts() {
        try (DynamoDbClient c = AwsClients.build(DynamoDbClient.builder(), Env.of(Map.of("AWS_REGION", "ap-south-1")),
                AwsClients.Settings.DEFAULT)) {
            assertThat(c.serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTH_1);
            assertThat(c.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .contains(AwsClients.Settings.DEFAULT.apiCallTimeout());
            assertThat(c.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                    .map(RetryStrategy::maxAttempts).contains(3);
        }
    }

    @Test
    void aBoundedCallConnectsWithinTwoSecondsAtMost() {
        assertThat(AwsClients.Settings.bounded(Duration.ofSeconds(10), 2))
                .isEqualTo(new AwsClients.Settings(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), 2));
        assertThat(AwsClients.Settings.bounded(Duration.ofMillis(500), 1).connectTimeout()).isEqualTo(Duration.ofMillis(500));
    }
}
