package io.pushcqrs.model.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbClientsTest {

    @Test
    void regionComesFromAwsRegionWithUsEast1AsDefault() {
        assertThat(DynamoDbClients.region(Map.of("AWS_REGION", " eu-west-3 ")::get)).isEqualTo(Region.EU_WEST_3);
        assertThat(DynamoDbClients.region(name -> null)).isEqualTo(Region.US_EAST_1);
        assertThat(DynamoDbClients.region(Map.of("AWS_REGION", "")::get)).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void clientsUseTheRegionAndABoundedCallTimeout() {
        try (DynamoDbClient c = DynamoDbClients.fromEnvironment(Map.of("AWS_REGION", "ap-south-1")::get)) {
            assertThat(c.serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTH_1);
            assertThat(c.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .contains(DynamoDbClients.API_CALL_TIMEOUT);
        }
    }
}
