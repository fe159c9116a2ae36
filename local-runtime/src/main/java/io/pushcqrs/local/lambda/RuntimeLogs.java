package io.pushcqrs.local.lambda;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The runtime's log folder: {@code <function>.log} holds every environment's output, each line prefixed by
 * {@code [env-N]}; {@code invocations.log} holds one line per invocation, also printed to the runtime's stdout.
 */
final class RuntimeLogs implements AutoCloseable {

    static final String INVOCATIONS_LOG = "invocations.log";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final PrintStream console;
    private final Map<String, BufferedWriter> writers = new HashMap<>();
    private boolean closed;
    /** Told of every invocation (the console), besides the log. */
    volatile io.pushcqrs.local.console.ConsoleEvents events = io.pushcqrs.local.console.ConsoleEvents.NONE;

    RuntimeLogs(Path dir, PrintStream console) throws IOException {
        this.dir = dir;
        this.console = console;
        Files.createDirectories(dir);
    }

    Path functionLog(String function) {
        return dir.resolve(safe(function) + ".log");
    }

    Path invocationsLog() {
        return dir.resolve(INVOCATIONS_LOG);
    }

    /** A line of an environment's output (or a line the runtime writes about it). */
    void functionLine(String function, int envId, String line) {
        write(functionLog(function), "[env-" + envId + "] " + line);
    }

    /** {@code 2026-11-26T10:00:00.123Z INVOKE fn req=<id> env=2 duration=12ms outcome=OK cold=true} */
    void invocation(String function, String requestId, Integer envId, long durationMs, String outcome, Boolean cold) {
        StringBuilder line = new StringBuilder()
                .append(TIME.format(Instant.now())).append(" INVOKE ").append(function)
                .append(" req=").append(requestId)
                .append(" env=").append(envId == null ? "-" : envId.toString())
                .append(" duration=").append(durationMs).append("ms")
                .append(" outcome=").append(outcome);
        if (cold != null) {
            line.append(" cold=").append(cold);
        }
        String text = line.toString();
        events.invocation(function, durationMs, outcome, cold);
        write(invocationsLog(), text);
        if (console != null) {
            console.println(text);
        }
    }

    private void write(Path file, String line) {
        synchronized (writers) {
            if (closed) {
                return;
            }
            try {
                BufferedWriter writer = writers.get(file.toString());
                if (writer == null) {
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    writers.put(file.toString(), writer);
                }
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                if (console != null) {
                    console.println("local-runtime: cannot write " + file + ": " + e.getMessage());
                }
            }
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public void close() {
        synchronized (writers) {
            closed = true;
            for (BufferedWriter writer : writers.values()) {
                try {
                    writer.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            writers.clear();
        }
    }
}
