package io.pushcqrs.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvTest {
    private final Env env = Env.of(Map.of("TABLE", " dev-t ", "BLANK", "  ", "MS", "2500", "BAD_MS", "soon", "ZERO_MS", "0"));

    @Test
    void aRequiredVariableIsTrimmedAndAMissingOrBlankOneFailsNamingItAndItsPurpose() {
        assertThat(env.required("TABLE", "the table")).isEqualTo("dev-t");
        for (String name : new String[]{"BLANK", "UNSET"}) {
            assertThatThrownBy(() -> env.required(name, "the command-records table"))
                    .isInstanceOf(Env.MissingVariableException.class)
                    .hasMessage("environment variable " + name + " is not set (the command-records table): the function"
                            + " cannot start")
                    .satisfies(e -> assertThat(((Env.MissingVariableException) e).variable()).isEqualTo(name));
        }
    }

    @Test
    void anOptionalVariableFallsBackWhenUnsetOrBlank() {
        assertThat(env.optional("TABLE", "x")).isEqualTo("dev-t");
        assertThat(env.optional("BLANK", "x")).isEqualTo("x");
        assertThat(env.optional("UNSET", null)).isNull();
    }

    @Test
    void millisArePositiveNumbersElseTheDefault() {
        Duration fallback = Duration.ofSeconds(10);
        assertThat(env.millis("MS", fallback)).isEqualTo(Duration.ofMillis(2500));
        assertThat(env.millis("BAD_MS", fallback)).isEqualTo(fallback);
        assertThat(env.millis("ZERO_MS", fallback)).isEqualTo(fallback);
        assertThat(env.millis("UNSET", fallback)).isEqualTo(fallback);
    }
}
