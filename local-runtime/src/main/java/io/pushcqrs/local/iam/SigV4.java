package io.pushcqrs.local.iam;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The credential of a Signature Version 4 request: from the {@code Authorization} header
 * ({@code AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...}) or a presigned URL's
 * {@code X-Amz-Credential}. The signature itself is not verified.
 *
 * @param accessKeyId the access key id
 * @param region      the scope's region
 * @param service     the scope's signing name (dynamodb, sqs, lambda, secretsmanager, logs, monitoring...)
 */
public record SigV4(String accessKeyId, String region, String service) {

    /** The request's credential, or null when it has none in SigV4 form. */
    public static SigV4 of(String authorization, String rawQuery) {
        String credential = null;
        if (authorization != null) {
            int at = authorization.indexOf("Credential=");
            if (at >= 0) {
                int end = authorization.indexOf(',', at);
                credential = authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end).trim();
            }
        }
        if (credential == null && rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("X-Amz-Credential=")) {
                    credential = URLDecoder.decode(pair.substring("X-Amz-Credential=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        if (credential == null) {
            return null;
        }
        String[] p = credential.split("/");
        if (p.length < 5 || p[0].isEmpty()) {
            return null;
        }
        return new SigV4(p[0], p[2], p[3]);
    }

    /** The access key id alone (cheap), or null. */
    public static String accessKeyId(String authorization, String rawQuery) {
        SigV4 s = of(authorization, rawQuery);
        return s == null ? null : s.accessKeyId();
    }
}
