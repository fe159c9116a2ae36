package io.pushcqrs.model;

import io.pushcqrs.model.mapping.NotificationMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CreateClaimTest {
    @Test
    void theReservedKeyIsAClaimAndNoNotificationKeyIs() {
        assertThat(CreateClaim.isClaim(NotificationMapper.commandKey("tx", CreateClaim.CREATED_AT))).isTrue();
        assertThat(CreateClaim.isClaim(Map.of(Attr.CREATED_AT, AttributeValue.fromN("-1.0")))).isTrue();
        assertThat(CreateClaim.isClaim(NotificationMapper.commandKey("tx", 0L))).isFalse();
        assertThat(CreateClaim.isClaim(NotificationMapper.commandKey("tx", 1L))).isFalse();
        assertThat(CreateClaim.isClaim(Map.of(Attr.CREATED_AT, AttributeValue.fromS("-1")))).isFalse();
        assertThat(CreateClaim.isClaim(Map.of())).isFalse();
        assertThat(CreateClaim.isClaim((Map<String, AttributeValue>) null)).isFalse();
        assertThat(CreateClaim.isClaim(-1L)).isTrue();
        assertThat(CreateClaim.isClaim(0L)).isFalse();
    }
}
