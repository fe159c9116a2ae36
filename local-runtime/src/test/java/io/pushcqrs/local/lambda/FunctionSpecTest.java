package io.pushcqrs.local.lambda;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The template's LoggingConfig reaches the function JVM as Lambda passes it on. */
class FunctionSpecTest {

    @Test
    void jsonLoggingConfigBecomesTheRuntimesFormatAndLevel() {
        assertThat(FunctionSpec.loggingEnvironment("JSON", "WARN"))
                .isEqualTo(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", "WARN"));
        assertThat(FunctionSpec.loggingEnvironment("JSON", null))
                .isEqualTo(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", "INFO"));
    }

    @Test
    void textFormatHasNoLevelAndNoLoggingConfigAddsNothing() {
        assertThat(FunctionSpec.loggingEnvironment("Text", "DEBUG")).isEqualTo(Map.of("AWS_LAMBDA_LOG_FORMAT", "TEXT"));
        assertThat(FunctionSpec.loggingEnvironment(null, null)).isEmpty();
    }
}
