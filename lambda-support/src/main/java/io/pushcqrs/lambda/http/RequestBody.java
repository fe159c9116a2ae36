package io.pushcqrs.lambda.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.validation.Limits;
import io.pushcqrs.model.validation.ValidationException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decodes a proxy event's body (base64 when API Gateway says so) and enforces the 64 KiB limit (413). */
public final class RequestBody {
    private RequestBody() {
    }

    /** The body as UTF-8 text, or null when there is none. */
    public static String decode(String body, Boolean base64Encoded) {
        if (body == null) {
            return null;
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(base64Encoded)) {
            if (body.length() > Limits.MAX_BODY_BYTES * 4 / 3 + 4) {
                throw tooLarge(body.length() * 3L / 4);
            }
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("body", "is flagged base64 but is not valid base64");
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > Limits.MAX_BODY_BYTES) {
            throw tooLarge(bytes.length);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ValidationException("body", "is not valid UTF-8");
        }
    }

    private static ApiException tooLarge(long size) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                "body must be at most " + Limits.MAX_BODY_BYTES + " bytes (was " + size + ")");
    }
}
