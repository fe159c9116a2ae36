package io.pushcqrs.ops.ui;

import io.pushcqrs.model.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The result files of a measuring tool (scale-model, bench, chaos): {@code <dir>/<day>-<name>.json}, pretty-printed
 * with a final newline, and the Markdown summary {@code .md} beside it.
 */
public record ResultFiles(Path json, Path markdown) {

    public static ResultFiles in(Path dir, String day, String name) {
        return new ResultFiles(dir.resolve(day + "-" + name + ".json"), dir.resolve(day + "-" + name + ".md"));
    }

    /** Writes both files, making their folder when it is missing. */
    public void write(Object result, String markdownText) throws IOException {
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(markdown, markdownText, StandardCharsets.UTF_8);
    }
}
