package io.pushcqrs.queryresult;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CursorSecretTest {
    private final List<String> lines = new ArrayList<>();
    private final JsonLog log = new JsonLog(lines::add);

    @BeforeEach
    void forgetWarning() {
        CursorSecret.resetWarning();
    }

    @Test
    void theConfiguredSecretIsUsedSilently() {
        byte[] key = CursorSecret.fromEnvironment(Map.of("CURSOR_SECRET", "s3cr3t")::get, log);

        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("s3cr3t");
        assertThat(lines).isEmpty();
    }

    @Test
    void withoutASecretTheDevelopmentKeyIsUsedAndTheWarningLoggedOnce() {
        byte[] first = CursorSecret.fromEnvironment(name -> null, log);
        byte[] second = CursorSecret.fromEnvironment(Map.of("CURSOR_SECRET", "")::get, log);

        assertThat(first).isEqualTo(second).isEqualTo(CursorSecret.DEV_KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(lines).singleElement().satisfies(l -> assertThat(l)
                .contains("\"level\":\"WARN\"").contains("CURSOR_SECRET is not set").doesNotContain(CursorSecret.DEV_KEY));
    }
}
