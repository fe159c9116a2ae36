package io.pushcqrs.local.cloudformation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes the query protocol's XML answers: {@code <ActionResponse xmlns=...><ActionResult>...</ActionResult>
 * <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></ActionResponse>}, lists as {@code <member>}s, and the
 * {@code <ErrorResponse>} of a failed call.
 */
final class Xml {
    static final String NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private final StringBuilder sb = new StringBuilder();

    /** Opens an element. */
    Xml open(String name) {
        sb.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        sb.append("</").append(name).append('>');
        return this;
    }

    /** An element with text; nothing when the value is null. */
    Xml element(String name, Object value) {
        if (value != null) {
            sb.append('<').append(name).append('>').append(escape(value instanceof Instant i ? time(i) : value.toString()))
                    .append("</").append(name).append('>');
        }
        return this;
    }

    /** A list of strings as {@code <name><member>..</member>...</name>}. */
    Xml strings(String name, Iterable<String> values) {
        open(name);
        for (String v : values) {
            element("member", v);
        }
        return close(name);
    }

    static String time(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The answer of a successful call, with this body inside {@code <ActionResult>} (none when empty). */
    static String response(String action, String requestId, Xml result) {
        StringBuilder sb = new StringBuilder("<" + action + "Response xmlns=\"" + NAMESPACE + "\">");
        if (result != null) {
            sb.append('<').append(action).append("Result>").append(result.sb).append("</").append(action).append("Result>");
        }
        sb.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata></")
                .append(action).append("Response>");
        return sb.toString();
    }

    static String error(String type, String code, String message, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>" + type + "</Type><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>";
    }
}
