package io.pushcqrs.ops.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.OpsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code .local/outputs.json}: the flat JSON object the embedded stack writes (and scripts/deploy-localstack.sh
 * flattens from {@code cdk deploy --outputs-file}): Endpoint, ApiUrl, ApiKey, CommandTable, NotificationTable,
 * DlqUrl. Names are matched without regard to case; an object of objects ({@code {"Stack": {...}}}, the
 * unflattened CDK form) is flattened one level.
 */
public final class Outputs {
    public static final String ENDPOINT = "Endpoint";
    public static final String API_URL = "ApiUrl";
    public static final String API_KEY = "ApiKey";
    public static final String COMMAND_TABLE = "CommandTable";
    public static final String NOTIFICATION_TABLE = "NotificationTable";
    public static final String DLQ_URL = "DlqUrl";

    private static final Outputs NONE = new Outputs(null, Map.of());

    private final Path file;
    private final Map<String, String> values;

    private Outputs(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** No outputs file. */
    public static Outputs none() {
        return NONE;
    }

    /** The outputs in {@code file}, or {@link #none()} when the file does not exist; malformed -> exit 2. */
    public static Outputs load(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw OpsException.usage("cannot read " + file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw OpsException.usage("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw OpsException.usage("cannot read " + file + ": expected a JSON object of outputs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        root.properties().forEach(e -> {
            if (e.getValue().isObject()) {
                e.getValue().properties().forEach(inner -> put(values, inner.getKey(), inner.getValue()));
            } else {
                put(values, e.getKey(), e.getValue());
            }
        });
        return new Outputs(file, values);
    }

    private static void put(Map<String, String> values, String key, JsonNode value) {
        if (value.isValueNode() && !value.isNull()) {
            values.putIfAbsent(key.toLowerCase(Locale.ROOT), value.asText());
        }
    }

    /** True when a file was read. */
    public boolean present() {
        return file != null;
    }

    public Path file() {
        return file;
    }

    /** The value of an output, or null. */
    public String get(String name) {
        String v = values.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isBlank() ? null : v;
    }
}
