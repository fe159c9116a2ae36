package io.pushcqrs.lambda.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.validation.Limits;
import io.pushcqrs.model.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpTest {

    @Test
    void errorAnswersHaveTheSharedShapeAndStatus() {
        ApiAnswer a = ApiAnswer.error(new ValidationException("limit", "must be between 1 and 100"));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"VALIDATION_ERROR\","
                + "\"message\":\"limit: must be between 1 and 100\",\"details\":[{\"field\":\"limit\",\"message\":\"must be between 1 and 100\"}]}}");
        ApiAnswer conflict = ApiAnswer.error(ErrorCode.CONFLICT, "stale");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"CONFLICT\",\"message\":\"stale\"}}");
        assertThat(ApiAnswer.json(200, Map.of("success", true)).body()).isEqualTo("{\"success\":true}");
    }

    @Test
    void bodiesDecodeAndOversizedOnesAre413() {
        assertThat(RequestBody.decode(null, false)).isNull();
        assertThat(RequestBody.decode("{\"a\":1}", false)).isEqualTo("{\"a\":1}");
        String b64 = Base64.getEncoder().encodeToString("{\"é\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(RequestBody.decode(b64, true)).isEqualTo("{\"é\":1}");

        String big = "x".repeat(Limits.MAX_BODY_BYTES + 1);
        assertThatThrownBy(() -> RequestBody.decode(big, false)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        String bigB64 = Base64.getEncoder().encodeToString(big.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RequestBody.decode(bigB64, true)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code().httpStatus()).isEqualTo(413));
        assertThat(RequestBody.decode("x".repeat(Limits.MAX_BODY_BYTES), false)).hasSize(Limits.MAX_BODY_BYTES);
    }

    @Test
    void badBase64AndBadUtf8Are400() {
        assertThatThrownBy(() -> RequestBody.decode("not base64!!", true)).isInstanceOf(ValidationException.class);
        String invalidUtf8 = Base64.getEncoder().encodeToString(new byte[]{(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> RequestBody.decode(invalidUtf8, true)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("UTF-8");
    }
}
