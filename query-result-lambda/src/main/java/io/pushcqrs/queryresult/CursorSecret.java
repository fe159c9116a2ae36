package io.pushcqrs.queryresult;

import io.pushcqrs.lambda.Env;
import io.pushcqrs.model.Schema;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The HMAC key of the cursors: the SecretString (UTF-8 bytes) of the Secrets Manager secret named by
 * CURSOR_SECRET_ARN, generated for each deployment (infra's CursorSecret; the embedded stack generates it in moto
 * the same way). Read once, when the function starts; there is no default key. A missing variable, an unreadable or
 * empty secret fails the start with a message naming the variable or the secret, never the key itself.
 */
public final class CursorSecret {
    /** The shortest key accepted (the deployed one has 64 characters). */
    static final int MIN_LENGTH = 32;

    private CursorSecret() {
    }

    /** Why the cursor key cannot be had: the function cannot start. */
    public static final class MissingKeyException extends IllegalStateException {
        public MissingKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param secretStrings reads a secret's SecretString by ARN (null when it has none); may throw
     * @throws MissingKeyException naming what is missing or unreadable
     */
    public static byte[] read(Env env, Function<String, String> secretStrings) {
        String arn = env.get(Schema.ENV_CURSOR_SECRET_ARN);
        if (arn == null) {
            throw new MissingKeyException("environment variable " + Schema.ENV_CURSOR_SECRET_ARN + " is not set: it"
                    + " names the Secrets Manager secret that holds the cursor-signing key", null);
        }
        String secretId = arn.trim();
        String value;
        try {
            value = secretStrings.apply(secretId);
        } catch (RuntimeException e) {
            throw new MissingKeyException("cannot read the cursor-signing key from the Secrets Manager secret "
                    + secretId + " (" + Schema.ENV_CURSOR_SECRET_ARN + "): " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
        if (value == null || value.length() < MIN_LENGTH) {
            throw new MissingKeyException("the Secrets Manager secret " + secretId + " (" + Schema.ENV_CURSOR_SECRET_ARN
                    + ") holds no usable cursor-signing key: a SecretString of at least " + MIN_LENGTH
                    + " characters is needed, it has " + (value == null ? "none" : value.length()), null);
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
