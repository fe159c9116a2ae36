package io.pushcqrs.local.esm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheLastSequenceNumberPerMappingAndShardAcrossInstances() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("cp"));
        assertThat(store.sequenceNumber("m1", "shard-a")).isEmpty();
        store.put("m1", "shard-a", "100");
        store.put("m1", "shard-a", "200");
        store.put("m1", "shard-b", "50");
        store.put("m2", "shard-a", "7");
        store.markEnded("m1", "shard-b");

        CheckpointStore reopened = new CheckpointStore(dir.resolve("cp"));
        assertThat(reopened.sequenceNumber("m1", "shard-a")).contains("200");
        assertThat(reopened.sequenceNumber("m1", "shard-b")).contains("50");
        assertThat(reopened.isEnded("m1", "shard-b")).isTrue();
        assertThat(reopened.isEnded("m1", "shard-a")).isFalse();
        assertThat(reopened.sequenceNumber("m2", "shard-a")).contains("7");
        assertThat(reopened.shards("m1")).containsOnlyKeys("shard-a", "shard-b");
        try (var files = Files.list(dir.resolve("cp"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m1.json", "m2.json");
        }
        assertThat(Files.readString(store.file("m1"))).contains("\"sequenceNumber\" : \"200\"", "\"ended\" : true");
    }

    @Test
    void anEndedShardWithoutRecordsHasNoSequenceNumber() {
        CheckpointStore store = new CheckpointStore(dir);
        store.markEnded("m", "s");
        assertThat(new CheckpointStore(dir).isEnded("m", "s")).isTrue();
        assertThat(new CheckpointStore(dir).sequenceNumber("m", "s")).isEmpty();
    }

    @Test
    void namesTheFileSafelyAfterTheUuid() {
        CheckpointStore store = new CheckpointStore(dir);
        assertThat(store.file("a/b:c d").getFileName().toString()).isEqualTo("a_b_c_d.json");
        assertThatThrownBy(() -> store.put(" ", "s", "1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uuid");
        assertThatThrownBy(() -> store.put("m", "s", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence number");
    }

    @Test
    void saysWhatToDoWithACorruptFile() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{not json");
        Files.writeString(dir.resolve("odd.json"), "{\"mapping\":\"odd\"}");
        CheckpointStore store = new CheckpointStore(dir);
        assertThatThrownBy(() -> store.sequenceNumber("bad", "s")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read the checkpoint file").hasMessageContaining("delete it");
        assertThatThrownBy(() -> store.sequenceNumber("odd", "s")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no \"shards\" object");
    }

    @Test
    void saysWhenTheFolderCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> new CheckpointStore(file.resolve("sub")))
                .hasMessageContaining("cannot create the checkpoint folder");
    }

    @Test
    void saysWhenACheckpointCannotBeWritten() throws Exception {
        Path cp = dir.resolve("ro");
        CheckpointStore store = new CheckpointStore(cp);
        store.put("m", "s", "1");
        Files.createDirectory(cp.resolve("m.json.tmp")); // the temporary file cannot be written
        assertThatThrownBy(() -> store.put("m", "s", "2")).hasMessageContaining("cannot write the checkpoint file");
        assertThatThrownBy(() -> store.markEnded("m", "s")).hasMessageContaining("cannot write the checkpoint file");
        assertThat(store.sequenceNumber("m", "s")).as("what was not written does not count").contains("1");
        assertThat(store.isEnded("m", "s")).isFalse();
    }
}
