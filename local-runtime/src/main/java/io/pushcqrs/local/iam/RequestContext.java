package io.pushcqrs.local.iam;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys of one request and their values ({@code aws:PrincipalArn}, {@code aws:SecureTransport},
 * {@code secretsmanager:SecretId}...). Key names are compared without regard to case, as IAM does; a key that is not
 * here is absent from the request.
 */
public final class RequestContext {
    private final Map<String, List<String>> keys = new LinkedHashMap<>();

    public RequestContext with(String key, String value) {
        if (value != null) {
            keys.put(key.toLowerCase(Locale.ROOT), List.of(value));
        }
        return this;
    }

    public RequestContext with(String key, List<String> values) {
        if (values != null) {
            keys.put(key.toLowerCase(Locale.ROOT), List.copyOf(values));
        }
        return this;
    }

    /** A copy with the other context's keys added (they win). */
    public RequestContext plus(RequestContext other) {
        RequestContext out = new RequestContext();
        out.keys.putAll(keys);
        if (other != null) {
            out.keys.putAll(other.keys);
        }
        return out;
    }

    /** The key's values, or null when the request does not have the key. */
    public List<String> values(String key) {
        return keys.get(key.toLowerCase(Locale.ROOT));
    }

    public Map<String, List<String>> all() {
        return Collections.unmodifiableMap(keys);
    }

    /**
     * Substitutes the policy variables of a Resource entry or condition value: {@code ${aws:username}} and the like
     * (a single-valued key), {@code ${key, 'default'}}, and the escapes {@code ${*}}, {@code ${?}}, {@code ${$}}.
     * Returns null when a variable has no value and no default: IAM then treats the entry as not matching.
     */
    public String substitute(String text) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            int end = start < 0 ? -1 : text.indexOf('}', start);
            if (start < 0 || end < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            String inner = text.substring(start + 2, end).trim();
            switch (inner) {
                case "*", "?", "$" -> out.append(inner); // IAM's escapes (the character then still acts as a wildcard here)
                default -> {
                    String name = inner;
                    String fallback = null;
                    int comma = inner.indexOf(',');
                    if (comma > 0) {
                        name = inner.substring(0, comma).trim();
                        String d = inner.substring(comma + 1).trim();
                        if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'")) {
                            fallback = d.substring(1, d.length() - 1);
                        }
                    }
                    List<String> v = values(name);
                    if (v != null && v.size() == 1) {
                        out.append(v.get(0));
                    } else if (fallback != null) {
                        out.append(fallback);
                    } else {
                        return null;
                    }
                }
            }
            i = end + 1;
        }
        return out.toString();
    }
}
