package io.pushcqrs.lambda.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonMediaTypeTest {

    static ApiException refused(Map<String, String> headers) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> JsonMediaType.require(headers, null));
        assertThat(e).as("refused: %s", headers).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(e.code().httpStatus()).isEqualTo(415);
        return e;
    }

    @Test
    void jsonInAnyCaseWithParametersAndStructuredSuffixesIsAccepted() {
        for (String value : List.of("application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "application/merge-patch+json",
                "application/vnd.api+json; charset=utf-8", " application/json ")) {
            for (String name : List.of("Content-Type", "content-type", "CONTENT-TYPE", "cOnTeNt-TyPe")) {
                assertThatCode(() -> JsonMediaType.require(Map.of(name, value), null)).as("%s: %s", name, value)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void aMissingContentTypeCountsAsJson() {
        assertThatCode(() -> JsonMediaType.require(null, null)).doesNotThrowAnyException();
        assertThatCode(() -> JsonMediaType.require(Map.of("x-api-key", "k"), Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> JsonMediaType.require(Map.of("Content-Type", " "), null)).doesNotThrowAnyException();
    }

    @Test
    void everythingElseIs415() {
        for (String value : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "text/json", "application/jsonp", "application/+json", "json",
                "application/xml", "application/json-seq")) {
            assertThat(refused(Map.of("content-type", value)).getMessage()).contains("Content-Type").contains("application/json");
        }
        assertThat(refused(Map.of("Content-Type", "application/json; charset=iso-8859-1")).getMessage())
                .contains("charset 'iso-8859-1'");
    }

    @Test
    void theMultiValueMapIsReadWhenTheSingleOneHasNoContentType() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> JsonMediaType.require(Map.of(), Map.of("content-TYPE", List.of("text/plain"))));
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThatCode(() -> JsonMediaType.require(null, Map.of("Content-Type", List.of("application/json"))))
                .doesNotThrowAnyException();
    }
}
