package io.pushcqrs.query.app;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.validation.Limits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based (jqwik): the query routes' parameter parsing takes any generated query string (known and unknown
 * names, several values, numbers of any size, times in any form, unicode) and either builds a request whose values
 * are in bounds and read back as given, or refuses with a 400; never another exception.
 */
class QueryParametersPropertiesTest {

    @Property(tries = 500)
    void anyParametersAreARequestOrA400(@ForAll("routes") QueryRoute route, @ForAll("parameters") Map<String, List<String>> values) {
        QueryRequest request;
        try {
            request = route.toRequest(new QueryParameters(values));
        } catch (ApiException e) {
            assertThat(e.code().httpStatus()).isEqualTo(400);
            assertThat(e.toBody().details()).isNotEmpty();
            return;
        }
        assertThat(request.limit()).isBetween(Limits.MIN_LIMIT, Limits.MAX_LIMIT);
        List<String> given = values.getOrDefault("limit", List.of()).stream().filter(v -> !v.isBlank()).distinct().toList();
        assertThat(request.limit()).isEqualTo(given.isEmpty() ? Limits.DEFAULT_LIMIT : Integer.valueOf(given.get(0).trim()));
        if (request.from() != null && request.to() != null) {
            assertThat(request.from()).isLessThanOrEqualTo(request.to());
        }
        if (request.from() != null) {
            assertThat(request.from()).isBetween(0L, 999_999_999_999_999L);
        }
    }

    @Property(tries = 300)
    void epochMillisAndIsoTimesOfTheSameInstantAreTheSameBound(@ForAll("instants") long millis) {
        String iso = Instant.ofEpochMilli(millis).toString();
        QueryRequest byMillis = QueryRoute.USER.toRequest(new QueryParameters(Map.of("user_id", List.of("u"),
                "from", List.of(Long.toString(millis)))));
        QueryRequest byIso = QueryRoute.USER.toRequest(new QueryParameters(Map.of("user_id", List.of("u"),
                "from", List.of(iso))));

        assertThat(byIso.from()).isEqualTo(byMillis.from()).isEqualTo(millis);
    }

    @Provide
    Arbitrary<QueryRoute> routes() {
        return Arbitraries.of(QueryRoute.class);
    }

    @Provide
    Arbitrary<Long> instants() {
        return Arbitraries.longs().between(0, 253_402_300_799_999L); // up to 9999-12-31T23:59:59.999Z
    }

    @Provide
    Arbitrary<Map<String, List<String>>> parameters() {
        Arbitrary<String> names = Arbitraries.of("user_id", "marketing_id", "transaction_id", "sns_id", "from", "to",
                "limit", "cursor", "other", "", "LIMIT");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25),
                Arbitraries.integers().between(-5, 130).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.longs().between(0, 253_402_300_799_999L).map(l -> Instant.ofEpochMilli(l).toString()),
                Arbitraries.of("", " ", "+5", "-0", "1e3", "0x10", "2026-13-01T00:00:00Z", "2026-01-01",
                        "9999999999999999999999", "NaN", "\u0000", "\uD83D\uDE00", "1.5", " 30 "),
                Arbitraries.strings().withChars("A").ofMinLength(6_000).ofMaxLength(7_000));
        return Arbitraries.maps(names, value.list().ofMinSize(1).ofMaxSize(2)).ofMaxSize(6);
    }
}
