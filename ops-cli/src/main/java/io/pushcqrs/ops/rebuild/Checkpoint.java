package io.pushcqrs.ops.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.OpsException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an interrupted rebuild stands: the tables, the phase (commands, then orphans) and the ExclusiveStartKey
 * of the next page, with the counts so far. Saved (atomically: temp file + move) after every page; deleted
 * when the rebuild completes.
 *
 * @param startKey the key to continue after, or null to start the phase from its beginning
 */
public record Checkpoint(String commandTable, String notificationTable, Phase phase,
                         Map<String, AttributeValue> startKey, RebuildCounts counts) {

    /** The rebuild's phases, in order. */
    public enum Phase { commands, orphans }

    /** The default file, relative to the repository root. */
    public static final String DEFAULT_FILE = ".local/rebuild-checkpoint.json";

    public static Checkpoint load(Path file) {
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            Phase phase = Phase.valueOf(root.path("phase").asText());
            Map<String, AttributeValue> key = null;
            JsonNode k = root.get("exclusive_start_key");
            if (k != null && k.isObject()) {
                key = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : k.properties()) {
                    key.put(e.getKey(), attribute(e.getValue()));
                }
            }
            RebuildCounts counts = Json.MAPPER.treeToValue(root.path("counts"), RebuildCounts.class);
            return new Checkpoint(text(root, "command_table"), text(root, "notification_table"), phase, key,
                    counts == null ? new RebuildCounts() : counts);
        } catch (IOException | RuntimeException e) {
            throw OpsException.usage("cannot read the checkpoint " + file + " (" + e.getMessage()
                    + "): delete it to start over");
        }
    }

    public void save(Path file) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("command_table", commandTable);
        root.put("notification_table", notificationTable);
        root.put("phase", phase.name());
        if (startKey == null) {
            root.putNull("exclusive_start_key");
        } else {
            ObjectNode k = root.putObject("exclusive_start_key");
            startKey.forEach((name, v) -> k.set(name, json(v)));
        }
        root.set("counts", Json.MAPPER.valueToTree(counts));
        root.put("updated_at", Instant.now().toString());
        try {
            Path abs = file.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root),
                    StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw OpsException.usage("cannot write the checkpoint " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return v.asText();
    }

    /** A key attribute (S, N or B) as JSON in DynamoDB's own notation. */
    static JsonNode json(AttributeValue v) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (v.s() != null) {
            n.put("S", v.s());
        } else if (v.n() != null) {
            n.put("N", v.n());
        } else if (v.b() != null) {
            n.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
        } else {
            throw new IllegalArgumentException("a key attribute is S, N or B, not " + v.type());
        }
        return n;
    }

    static AttributeValue attribute(JsonNode n) {
        if (n.hasNonNull("S")) {
            return AttributeValue.fromS(n.get("S").asText());
        }
        if (n.hasNonNull("N")) {
            return AttributeValue.fromN(n.get("N").asText());
        }
        if (n.hasNonNull("B")) {
            return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(n.get("B").asText())));
        }
        throw new IllegalArgumentException("key attribute " + n + " is not {\"S\"|\"N\"|\"B\": ...}");
    }
}
