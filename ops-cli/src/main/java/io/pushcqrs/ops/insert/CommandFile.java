package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.OpsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads commands from a file: a JSON array of objects, or JSON lines (one object a line; blank lines skipped). */
public final class CommandFile {
    private CommandFile() {
    }

    public static List<JsonNode> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw OpsException.usage("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static List<JsonNode> parse(String text, String name) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw OpsException.usage(name + " is empty: expected a JSON array of commands or JSON lines");
        }
        List<JsonNode> commands = new ArrayList<>();
        if (t.startsWith("[")) {
            JsonNode array;
            try {
                array = Json.MAPPER.readTree(t);
            } catch (JsonProcessingException e) {
                throw OpsException.usage(name + " is not valid JSON: " + e.getOriginalMessage());
            }
            for (int i = 0; i < array.size(); i++) {
                commands.add(object(array.get(i), name + "[" + i + "]"));
            }
        } else {
            String[] lines = t.split("\\R");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    commands.add(object(Json.MAPPER.readTree(lines[i]), name + ":" + (i + 1)));
                } catch (JsonProcessingException e) {
                    throw OpsException.usage(name + ":" + (i + 1) + " is not valid JSON: " + e.getOriginalMessage());
                }
            }
        }
        if (commands.isEmpty()) {
            throw OpsException.usage(name + " holds no commands");
        }
        return commands;
    }

    private static JsonNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw OpsException.usage(where + " is not a JSON object");
        }
        return node;
    }
}
