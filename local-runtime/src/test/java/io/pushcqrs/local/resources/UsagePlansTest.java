package io.pushcqrs.local.resources;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UsagePlansTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"/*, /*", "/, /", "/~1commands, /commands", "/~1commands~1{transaction_id}, /commands/{transaction_id}",
            "/~1query~1user, /query/user"})
    void methodSettingsResourcePathsAreDecodedAsCloudFormationEncodesThem(String encoded, String path) {
        assertThat(UsagePlans.resourcePath(encoded)).isEqualTo(path);
    }
}
