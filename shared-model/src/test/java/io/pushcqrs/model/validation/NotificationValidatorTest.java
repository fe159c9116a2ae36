package io.pushcqrs.model.validation;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NotificationValidatorTest {

    static Notification.Builder valid() {
        return Notification.builder().userId("user-1").platform(Platform.WEBPUSH).deviceToken("t").status(Status.SENT);
    }

    @Test
    void aCompleteNotificationPasses() {
        assertThatCode(() -> NotificationValidator.validateNew(valid().transactionId("tx_1:a").retryCnt(0).build()))
                .doesNotThrowAnyException();
    }

    @Test
    void everyMissingRequiredFieldIsReportedAtOnce() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> NotificationValidator.validateNew(Notification.builder().build()));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactly("user_id", "platform", "device_token", "status");
    }

    @Test
    void boundsAreEnforced() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> NotificationValidator.validateNew(valid()
                .retryCnt(-1).notificationTitle("x".repeat(Limits.MAX_TITLE + 1)).transactionId("has space")
                .createdAt(-5L).version(4L).build()));
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("retry_cnt", "notification_title", "transaction_id", "created_at", "version");
        assertThat(e.getMessage()).contains("retry_cnt: must be between 0 and 1000 (was -1)");
    }

    @Test
    void oversizedPayloadIsRejected() {
        String big = "{\"x\":\"" + "a".repeat(Limits.MAX_PAYLOAD_BYTES) + "\"}";
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> NotificationValidator.validateNew(valid().payload(Json.readTree(big)).build()));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("payload");
    }

    @Test
    void overLongIdsAreRejected() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> NotificationValidator.validateNew(valid().userId("u".repeat(Limits.MAX_ID + 1)).build()));
        assertThat(e.getMessage()).contains("user_id: must be at most 128 characters");
    }
}
