package io.pushcqrs.model.query;

import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.validation.ValidationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class QueryValidatorTest {

    @Test
    void validRequestsPassAndLimitDefaultsTo30() {
        QueryRequest q = QueryRequest.user("u1", 1L, 2L, null, null);
        assertThatCode(() -> QueryValidator.validate(q)).doesNotThrowAnyException();
        assertThat(QueryValidator.effectiveLimit(q)).isEqualTo(30);
        assertThatCode(() -> QueryValidator.validate(QueryRequest.failures(null, 100, null))).doesNotThrowAnyException();
    }

    @Test
    void eachTypeNeedsItsId() {
        for (QueryRequest q : new QueryRequest[]{QueryRequest.user(null, null, null, null, null),
                QueryRequest.marketing(" ", null, null), QueryRequest.transaction(null, null, null),
                QueryRequest.sns(null, null, null)}) {
            ValidationException e = catchThrowableOfType(ValidationException.class, () -> QueryValidator.validate(q));
            assertThat(e.errors()).hasSize(1);
            assertThat(e.getMessage()).contains("is required");
        }
    }

    @Test
    void limitRangeAndTimeOrderAreChecked() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> QueryValidator.validate(QueryRequest.user("u", 10L, 5L, 101, null)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("limit", "from");
        e = catchThrowableOfType(ValidationException.class,
                () -> QueryValidator.validate(QueryRequest.user("u", null, null, 0, null)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit");
        e = catchThrowableOfType(ValidationException.class,
                () -> QueryValidator.validate(new QueryRequest(QueryType.SNS, null, null, null, "s", 1L, null, null, null)));
        assertThat(e.getMessage()).contains("from: is only supported on user queries");
    }

    @Test
    void timesAreEpochMillisecondsOfAtMost15Digits() {
        assertThatCode(() -> QueryValidator.validate(QueryRequest.user("u", 0L, 999_999_999_999_999L, null, null)))
                .doesNotThrowAnyException();
        // microseconds and nanoseconds of 2023
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> QueryValidator.validate(QueryRequest.user("u", 1_700_000_000_000_000L, 1_700_000_000_000_000_000L,
                        null, null)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("from", "to");
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.message()).contains("epoch milliseconds"));
        e = catchThrowableOfType(ValidationException.class,
                () -> QueryValidator.validate(QueryRequest.user("u", null, 1_000_000_000_000_000L, null, null)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("to");
    }

    @Test
    void theWireFormatIsSnakeCase() {
        String json = Json.write(QueryRequest.user("u1", 1L, null, 5, "c"));
        assertThat(json).isEqualTo("{\"type\":\"USER\",\"user_id\":\"u1\",\"from\":1,\"limit\":5,\"cursor\":\"c\"}");
        assertThat(Json.read(json, QueryRequest.class)).isEqualTo(QueryRequest.user("u1", 1L, null, 5, "c"));
        assertThat(Json.write(QueryResponse.page(java.util.List.of(), null))).isEqualTo("{\"success\":true,\"items\":[]}");
    }
}
