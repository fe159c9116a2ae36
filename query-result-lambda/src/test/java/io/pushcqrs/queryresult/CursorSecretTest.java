package io.pushcqrs.queryresult;

import io.pushcqrs.lambda.Env;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorSecretTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:CursorSecret-abc123";
    static final String KEY = "k".repeat(40) + "0123456789abcdefABCDEF";

    private final List<String> asked = new ArrayList<>();

    private Function<String, String> secrets(Map<String, String> values) {
        return id -> {
            asked.add(id);
            if (!values.containsKey(id)) {
                throw ResourceNotFoundException.builder().message("Secrets Manager can't find the specified secret.")
                        .build();
            }
            return values.get(id);
        };
    }

    @Test
    void theKeyIsTheSecretStringOfTheSecretNamedByTheEnvironment() {
        byte[] key = CursorSecret.read(Env.of(Map.of("CURSOR_SECRET_ARN", ARN)), secrets(Map.of(ARN, KEY)));

        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo(KEY);
        assertThat(asked).containsExactly(ARN);
    }

    @Test
    void withoutTheVariableThereIsNoKeyAndNoDefault() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("CURSOR_SECRET_ARN", " "),
                Map.of("CURSOR_SECRET", KEY))) {
            assertThatThrownBy(() -> CursorSecret.read(Env.of(env), secrets(Map.of(ARN, KEY))))
                    .isInstanceOf(CursorSecret.MissingKeyException.class)
                    .hasMessageContaining("CURSOR_SECRET_ARN is not set");
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void anUnreadableSecretIsNamedAndTheCauseKept() {
        assertThatThrownBy(() -> CursorSecret.read(Env.of(Map.of("CURSOR_SECRET_ARN", ARN)), secrets(Map.of())))
                .isInstanceOf(CursorSecret.MissingKeyException.class)
                .hasMessageContaining("cannot read the cursor-signing key from the Secrets Manager secret " + ARN)
                .hasMessageContaining("ResourceNotFoundException")
                .hasCauseInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void anEmptyShortOrBinarySecretIsRefusedWithoutShowingIt() {
        for (String value : new String[] {null, "", "short-key-0123456789"}) {
            Map<String, String> values = new java.util.HashMap<>();
            values.put(ARN, value);
            assertThatThrownBy(() -> CursorSecret.read(Env.of(Map.of("CURSOR_SECRET_ARN", ARN)), secrets(values)))
                    .isInstanceOf(CursorSecret.MissingKeyException.class)
                    .hasMessageContaining(ARN).hasMessageContaining("at least 32 characters")
                    .satisfies(e -> {
                        if (value != null && !value.isEmpty()) {
                            assertThat(e.getMessage()).doesNotContain(value);
                        }
                    });
        }
    }
}
