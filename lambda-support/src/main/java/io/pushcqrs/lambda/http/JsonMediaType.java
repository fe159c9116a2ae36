package io.pushcqrs.lambda.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Content-Type rule of request bodies: JSON only, else 415 UNSUPPORTED_MEDIA_TYPE.
 * <ul>
 *   <li>accepted: {@code application/json} and any {@code application/*+json} (merge-patch+json,
 *       vnd.api+json, ...), in any case, with parameters; a {@code charset} parameter must be UTF-8
 *       (RFC 8259: JSON exchanged between systems is UTF-8);</li>
 *   <li>a missing (or blank) Content-Type counts as JSON, as API Gateway does when it picks the request
 *       model: the body must still parse as JSON;</li>
 *   <li>anything else (text/plain, form data, multipart, a malformed value) is refused.</li>
 * </ul>
 * Header names are matched in any case, in the single-valued and in the multi-valued map of the event.
 */
public final class JsonMediaType {
    public static final String HEADER = "Content-Type";

    private JsonMediaType() {
    }

    /** Throws 415 unless the request's Content-Type is JSON (or absent). */
    public static void require(Map<String, String> headers, Map<String, List<String>> multiValueHeaders) {
        String value = header(headers, multiValueHeaders);
        if (value == null || value.isBlank()) {
            return;
        }
        String problem = problem(value);
        if (problem != null) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + problem
                    + ": send the body as application/json");
        }
    }

    /** True when a Content-Type value names JSON (see the class comment). */
    public static boolean isJson(String value) {
        return problem(value) == null;
    }

    private static String problem(String value) {
        String[] parts = value.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        String subtype = slash < 0 ? "" : type.substring(slash + 1);
        boolean json = type.startsWith("application/")
                && (subtype.equals("json") || (subtype.endsWith("+json") && subtype.length() > "+json".length()));
        if (!json) {
            return "'" + shorten(value) + "' is not supported";
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(eq + 1).trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return "charset '" + shorten(charset) + "' is not supported (JSON is UTF-8)";
                }
            }
        }
        return null;
    }

    private static String header(Map<String, String> headers, Map<String, List<String>> multiValueHeaders) {
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (HEADER.equalsIgnoreCase(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        if (multiValueHeaders != null) {
            for (Map.Entry<String, List<String>> e : multiValueHeaders.entrySet()) {
                if (HEADER.equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
                    return e.getValue().get(e.getValue().size() - 1);
                }
            }
        }
        return null;
    }

    private static String shorten(String s) {
        String t = s.trim();
        return t.length() <= 100 ? t : t.substring(0, 100) + "...";
    }
}
