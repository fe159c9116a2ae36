package io.pushcqrs.local.esm.rules;

import io.pushcqrs.local.esm.rules.BatchOutcome.Kind;
import io.pushcqrs.local.lambda.InvokeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchOutcomeTest {
    static final List<String> SEQS = List.of("100", "200", "300", "1000");

    static InvokeResult ok(String payload) {
        return new InvokeResult(200, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), null, "req", 1);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "null", "{}", "{\"batchItemFailures\":[]}", "{\"batchItemFailures\":null}", "\"done\"", "not json"})
    void aResponseThatReportsNothingIsASuccess(String payload) {
        assertThat(BatchOutcome.of(ok(payload), SEQS, true).kind()).isEqualTo(Kind.SUCCESS);
    }

    @Test
    void theLowestReportedSequenceNumberIsWhereTheBatchFailed() {
        BatchOutcome o = BatchOutcome.of(ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"1000\"},{\"itemIdentifier\":\"200\"}]}"),
                SEQS, true);
        assertThat(o.kind()).isEqualTo(Kind.PARTIAL_FAILURE);
        assertThat(o.failedIndex()).isEqualTo(1);
        assertThat(o.detail()).contains("2 item failure(s)", "first 200");
        assertThat(o.functionError()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
            "{\"batchItemFailures\":[{\"itemId\":\"100\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"999\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":{\"x\":1}}]}",
            "{\"batchItemFailures\":[null]}",
            "{\"batchItemFailures\":\"100\"}"})
    void anInvalidReportFailsTheWholeBatch(String payload) {
        BatchOutcome o = BatchOutcome.of(ok(payload), SEQS, true);
        assertThat(o.kind()).isEqualTo(Kind.FUNCTION_ERROR);
        assertThat(o.detail()).startsWith("invalid partial batch response");
    }

    @Test
    void aReportIsIgnoredWhenTheMappingDoesNotAskForIt() {
        assertThat(BatchOutcome.of(ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"100\"}]}"), SEQS, false).kind())
                .isEqualTo(Kind.SUCCESS);
    }

    @Test
    void aFunctionErrorFailsTheWholeBatch() {
        InvokeResult r = new InvokeResult(200, "{\"errorMessage\":\"boom\\nline 2\",\"errorType\":\"java.lang.IllegalStateException\"}"
                .getBytes(StandardCharsets.UTF_8), "Unhandled", "req", 5);
        BatchOutcome o = BatchOutcome.of(r, SEQS, true);
        assertThat(o.kind()).isEqualTo(Kind.FUNCTION_ERROR);
        assertThat(o.functionError()).isEqualTo("Unhandled");
        assertThat(o.detail()).isEqualTo("function error Unhandled: java.lang.IllegalStateException boom line 2");
    }

    @Test
    void aStatusOtherThan200WithoutFunctionErrorNeverReachedTheFunction() {
        BatchOutcome o = BatchOutcome.of(new InvokeResult(429, "{\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8),
                null, "req", 1), SEQS, true);
        assertThat(o.kind()).isEqualTo(Kind.INVOKE_ERROR);
        assertThat(o.statusCode()).isEqualTo(429);
        assertThat(o.detail()).contains("429", "Rate exceeded");
        BatchOutcome thrown = BatchOutcome.invokerFailed(new IllegalStateException("connection refused"));
        assertThat(thrown.kind()).isEqualTo(Kind.INVOKE_ERROR);
        assertThat(thrown.detail()).contains("connection refused");
    }
}
