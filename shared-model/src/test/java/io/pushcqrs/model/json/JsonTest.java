package io.pushcqrs.model.json;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.validation.ValidationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void readsSnakeCaseWithExactPayloadNumbers() {
        Notification n = Json.read("{\"user_id\":\"u\",\"platform\":\"ANDROID\",\"retry_cnt\":2,"
                + "\"payload\":{\"price\":0.1000000000000000055511151231257827}}", Notification.class);
        assertThat(n.userId()).isEqualTo("u");
        assertThat(n.platform()).isEqualTo(Platform.ANDROID);
        assertThat(n.retryCnt()).isEqualTo(2);
        assertThat(n.payload().get("price").decimalValue().toPlainString()).isEqualTo("0.1000000000000000055511151231257827");
        assertThat(Json.write(n)).contains("\"user_id\":\"u\"").doesNotContain("null");
    }

    @Test
    void malformedJsonIsAValidationErrorOnBody() {
        assertThatThrownBy(() -> Json.read("{\"user_id\":", Notification.class))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field).containsExactly("body"));
        assertThatThrownBy(() -> Json.read("", Notification.class)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("body");
        assertThatThrownBy(() -> Json.read("{} {}", Notification.class)).isInstanceOf(ValidationException.class);
    }

    @Test
    void nonObjectBodyIsRejected() {
        assertThatThrownBy(() -> Json.read("[1,2]", Notification.class))
                .isInstanceOf(ValidationException.class).hasMessageContaining("body: must be a JSON object");
    }

    @Test
    void wrongEnumNamesFieldAndAllowedValues() {
        assertThatThrownBy(() -> Json.read("{\"platform\":\"WINDOWS\"}", Notification.class))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("platform: must be one of IOS, ANDROID, WEBPUSH")
                .hasMessageContaining("WINDOWS");
    }

    @Test
    void wrongTypesAndUnknownFieldsNameTheField() {
        assertThatThrownBy(() -> Json.read("{\"retry_cnt\":\"two\"}", Notification.class))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("retry_cnt:");
        assertThatThrownBy(() -> Json.read("{\"retry_cnt\":1.5}", Notification.class))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("retry_cnt:");
        assertThatThrownBy(() -> Json.read("{\"userId\":\"u\"}", Notification.class))
                .isInstanceOf(ValidationException.class).hasMessage("userId: is not a known field");
        assertThatThrownBy(() -> Json.read("{\"user_id\":\"a\",\"user_id\":\"b\"}", Notification.class))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Duplicate");
    }
}
