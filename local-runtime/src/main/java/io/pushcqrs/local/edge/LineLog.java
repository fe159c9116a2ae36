package io.pushcqrs.local.edge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * A log file of timestamped lines (appended, flushed line by line), optionally echoed to a console. Thread-safe;
 * a write error never reaches the caller (the line is then only echoed).
 */
public final class LineLog implements Consumer<String>, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Path file;
    private final PrintStream echo;
    private BufferedWriter writer;

    /**
     * @param file the log file (its folder is created)
     * @param echo where each line is printed too, or null
     */
    public LineLog(Path file, PrintStream echo) {
        this.file = file;
        this.echo = echo;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void accept(String line) {
        String stamped = LocalDateTime.now().format(TIME) + " " + line;
        if (echo != null) {
            echo.println(stamped);
        }
        if (writer != null) {
            try {
                writer.write(stamped);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                writer = null;
                if (echo != null) {
                    echo.println("(cannot write " + file + " any more: " + e.getMessage() + ")");
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // closing a log
            }
            writer = null;
        }
    }
}
