package io.pushcqrs.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each event source mapping has got to in each shard: the sequence number of the last record that is
 * done with (delivered successfully, or handed to the on-failure destination / skipped), and whether the
 * shard has been read to its end.
 * <p>
 * One small JSON file per mapping ({@code <dir>/<uuid>.json}):
 * <pre>{"mapping":"..","shards":{"shardId-..":{"sequenceNumber":"..","ended":false}}}</pre>
 * Every change is written at once and atomically (temporary file, then an atomic rename), so a crash leaves
 * either the old or the new checkpoint, never a torn file. Thread-safe; several mappings may share a folder.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, Map<String, ShardCheckpoint>> cache = new HashMap<>();

    /** The position of one mapping in one shard. {@code sequenceNumber} is null when only {@code ended} is known. */
    public record ShardCheckpoint(String sequenceNumber, boolean ended) {
    }

    /** @param dir the folder of the checkpoint files; created when missing */
    public CheckpointStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint folder " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The file that holds the checkpoints of one mapping. */
    public Path file(String mappingUuid) {
        return dir.resolve(safe(mappingUuid) + ".json");
    }

    /** The last sequence number that is done with in the shard, if any. */
    public synchronized Optional<String> sequenceNumber(String mappingUuid, String shardId) {
        ShardCheckpoint c = load(mappingUuid).get(shardId);
        return c == null ? Optional.empty() : Optional.ofNullable(c.sequenceNumber());
    }

    /** True when the shard was closed and every record of it is done with. */
    public synchronized boolean isEnded(String mappingUuid, String shardId) {
        ShardCheckpoint c = load(mappingUuid).get(shardId);
        return c != null && c.ended();
    }

    /** Every shard of the mapping with its checkpoint (a copy). */
    public synchronized Map<String, ShardCheckpoint> shards(String mappingUuid) {
        return new LinkedHashMap<>(load(mappingUuid));
    }

    /** Records that everything up to and including {@code sequenceNumber} is done with; written before it returns. */
    public synchronized void put(String mappingUuid, String shardId, String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint needs a sequence number");
        }
        Map<String, ShardCheckpoint> shards = new LinkedHashMap<>(load(mappingUuid));
        ShardCheckpoint old = shards.get(shardId);
        shards.put(shardId, new ShardCheckpoint(sequenceNumber, old != null && old.ended()));
        write(mappingUuid, shards);
        cache.put(mappingUuid, shards); // only what is on disk counts
    }

    /** Records that the shard is closed and read to its end (its children may be read now). */
    public synchronized void markEnded(String mappingUuid, String shardId) {
        Map<String, ShardCheckpoint> shards = new LinkedHashMap<>(load(mappingUuid));
        ShardCheckpoint old = shards.get(shardId);
        shards.put(shardId, new ShardCheckpoint(old == null ? null : old.sequenceNumber(), true));
        write(mappingUuid, shards);
        cache.put(mappingUuid, shards);
    }

    /**
     * Deletes the checkpoint files of the same mapping on other streams. A mapping's id is its logical id, "_" and a
     * hash of its stream ARN; moto starts empty, so a new start has a new stream whose old checkpoints mean nothing.
     */
    /**
     * After a replay of a persisted backend (docs/reliability.md, "Persistence"): the table's stream has a new ARN but
     * the same shard and sequence numbers, so the checkpoint of the mapping's previous stream is taken over by the new
     * one, when there is exactly one and the new stream has none yet. Returns true when it did.
     */
    public synchronized boolean carryOver(String mappingUuid) throws IOException {
        int cut = mappingUuid.lastIndexOf('_');
        Path current = file(mappingUuid);
        if (cut < 0 || Files.exists(current)) {
            return false;
        }
        String prefix = safe(mappingUuid.substring(0, cut + 1));
        java.util.List<Path> others = new java.util.ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(prefix)) {
                    others.add(f);
                }
            }
        }
        if (others.size() != 1) {
            return false;
        }
        Files.move(others.get(0), current);
        cache.remove(mappingUuid);
        return true;
    }

    public synchronized void deleteOtherStreams(String mappingUuid) throws IOException {
        int cut = mappingUuid.lastIndexOf('_');
        if (cut < 0) {
            return;
        }
        String prefix = safe(mappingUuid.substring(0, cut + 1));
        Path current = file(mappingUuid);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(prefix) && !f.equals(current)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private Map<String, ShardCheckpoint> load(String mappingUuid) {
        Map<String, ShardCheckpoint> shards = cache.get(mappingUuid);
        if (shards != null) {
            return shards;
        }
        shards = new LinkedHashMap<>();
        Path file = file(mappingUuid);
        if (Files.exists(file)) {
            try {
                JsonNode root = JSON.readTree(Files.readAllBytes(file));
                JsonNode node = root == null ? null : root.get("shards");
                if (node == null || !node.isObject()) {
                    throw new IllegalStateException("the checkpoint file " + file + " has no \"shards\" object;"
                            + " delete it to read the stream from the mapping's starting position");
                }
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    JsonNode seq = e.getValue().get("sequenceNumber");
                    JsonNode ended = e.getValue().get("ended");
                    shards.put(e.getKey(), new ShardCheckpoint(seq == null || seq.isNull() ? null : seq.asText(),
                            ended != null && ended.asBoolean(false)));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the checkpoint file " + file + " (" + e.getMessage()
                        + "); delete it to read the stream from the mapping's starting position", e);
            }
        }
        cache.put(mappingUuid, shards);
        return shards;
    }

    private void write(String mappingUuid, Map<String, ShardCheckpoint> shards) {
        ObjectNode root = JSON.createObjectNode();
        root.put("mapping", mappingUuid);
        ObjectNode node = root.putObject("shards");
        shards.forEach((id, c) -> {
            ObjectNode s = node.putObject(id);
            if (c.sequenceNumber() != null) {
                s.put("sequenceNumber", c.sequenceNumber());
            }
            s.put("ended", c.ended());
        });
        Path file = file(mappingUuid);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String safe(String uuid) {
        if (uuid == null || uuid.isBlank()) {
            throw new IllegalArgumentException("a mapping needs a uuid to keep its checkpoints");
        }
        return uuid.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
