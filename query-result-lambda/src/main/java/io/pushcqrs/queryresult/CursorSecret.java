package io.pushcqrs.queryresult;

import io.pushcqrs.model.Schema;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The HMAC key of the cursors: CURSOR_SECRET (its UTF-8 bytes). When unset, a fixed development key is used and
 * a warning is logged once per JVM: cursors then stay tamper-evident only against callers who do not know the
 * (public) development key, so every shared deployment must set CURSOR_SECRET. The key itself is never logged.
 */
public final class CursorSecret {
    static final String DEV_KEY = "pushcqrs-dev-cursor-key:not-for-shared-deployments";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private CursorSecret() {
    }

    public static byte[] fromEnvironment(UnaryOperator<String> env, JsonLog log) {
        String secret = env.apply(Schema.ENV_CURSOR_SECRET);
        if (secret == null || secret.isEmpty()) {
            if (WARNED.compareAndSet(false, true)) {
                log.warn(null, Schema.ENV_CURSOR_SECRET + " is not set: cursors are signed with the fixed development key;"
                        + " set it in every shared deployment", Map.of());
            }
            return DEV_KEY.getBytes(StandardCharsets.UTF_8);
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** For tests: forget that the warning was logged. */
    static void resetWarning() {
        WARNED.set(false);
    }
}
