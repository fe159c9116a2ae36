package io.pushcqrs.local.cloudformation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request of AWS's query protocol, as the SDKs send CloudFormation calls: a form body ({@code Action=...&Version=...})
 * whose lists are {@code Name.member.N} and whose structures in lists are {@code Name.member.N.Field}. Blank values are
 * kept (an empty parameter value is a value).
 */
final class QueryRequest {
    private final Map<String, String> params;

    QueryRequest(Map<String, String> params) {
        this.params = params;
    }

    /** Parses a form body (and the query string, whose values a body value overrides). */
    static QueryRequest parse(String rawQuery, byte[] body) {
        Map<String, String> params = new LinkedHashMap<>();
        add(params, rawQuery);
        add(params, new String(body, StandardCharsets.UTF_8));
        return new QueryRequest(params);
    }

    private static void add(Map<String, String> params, String form) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
    }

    /** Every parameter (to build a derived request). */
    Map<String, String> all() {
        return new LinkedHashMap<>(params);
    }

    String action() {
        return params.get("Action");
    }

    /** A value, or null. */
    String get(String name) {
        return params.get(name);
    }

    /** A value, or the default when absent or blank. */
    String get(String name, String def) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? def : v;
    }

    boolean bool(String name) {
        return "true".equalsIgnoreCase(params.get(name));
    }

    /** A value that must be there, else a ValidationError naming it. */
    String required(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw CfnException.validation("1 validation error detected: Value null at '" + lowerFirst(name)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    /** {@code Name.member.1}, {@code Name.member.2}...: the list of strings. */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; params.containsKey(name + ".member." + i); i++) {
            out.add(params.get(name + ".member." + i));
        }
        return out;
    }

    /** {@code Name.member.N.Field}: one map of fields per member. */
    List<Map<String, String>> structs(String name) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String prefix = name + ".member." + i + ".";
            Map<String, String> fields = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    fields.put(k.substring(prefix.length()), v);
                }
            });
            if (fields.isEmpty()) {
                return out;
            }
            out.add(fields);
        }
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
