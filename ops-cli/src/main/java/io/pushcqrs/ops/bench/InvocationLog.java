package io.pushcqrs.ops.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold and warm invoke durations per function, read from the embedded stack's {@code invocations.log} (one line per
 * invocation: {@code <time> INVOKE <function> req=... env=N duration=Nms outcome=... cold=true|false}); the cold
 * duration includes the JVM's start and the function's init phase.
 */
public final class InvocationLog {
    private static final Pattern LINE = Pattern.compile(
            " INVOKE (\\S+) .*?duration=(\\d+)ms outcome=(\\S+)(?: cold=(true|false))?");

    private InvocationLog() {
    }

    /** Per function (sorted by name): {"cold": {...}, "warm": {...}} of the successful invocations. */
    public static Map<String, Map<String, Object>> summarize(List<String> lines) {
        Map<String, Latency[]> byFunction = new TreeMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.find() || m.group(4) == null || !m.group(3).equalsIgnoreCase("ok")) {
                continue;
            }
            Latency[] l = byFunction.computeIfAbsent(m.group(1), f -> new Latency[] {new Latency(), new Latency()});
            l[Boolean.parseBoolean(m.group(4)) ? 0 : 1].record(Long.parseLong(m.group(2)));
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        byFunction.forEach((function, l) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cold", l[0].summary());
            m.put("warm", l[1].summary());
            out.put(function, m);
        });
        return out;
    }

    public static Map<String, Map<String, Object>> read(Path file) throws IOException {
        return summarize(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
}
