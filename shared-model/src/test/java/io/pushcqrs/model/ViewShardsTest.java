package io.pushcqrs.model;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewShardsTest {

    @Test
    void theShardIsTheDocumentedHashOfTheViewSortKey() {
        // Python: int.from_bytes(hashlib.sha256(sk.encode()).digest()[:4], 'big') % n
        // 001764150000123#tx-1 -> 1360777492; 000000000001000#a -> 957386718; 000000000001000#b -> 1609621828
        assertThat(ViewShards.shardOf("001764150000123#tx-1", 8)).isEqualTo(1360777492 % 8);
        assertThat(ViewShards.shardOf("000000000001000#a", 16)).isEqualTo(957386718 % 16);
        assertThat(ViewShards.shardOf("000000000001000#b", 16)).isEqualTo(1609621828 % 16);
        assertThat(ViewShards.shardOf("000000000001000#a", 1)).isZero();
    }

    @Test
    void partitionValuesNameTheirShard() {
        assertThat(ViewShards.failurePartition(0)).isEqualTo("FAILED#0");
        assertThat(ViewShards.failurePartition("000000000001000#a")).isEqualTo("FAILED#" + (957386718 % ViewShards.FAILURE_SHARDS));
        assertThat(ViewShards.marketingPartition("camp-1", 15)).isEqualTo("camp-1#15");
        assertThat(ViewShards.marketingPartition("camp-1", "000000000001000#a"))
                .isEqualTo("camp-1#" + (957386718 % ViewShards.MARKETING_SHARDS));
        assertThat(ViewShards.failurePartitions()).hasSize(ViewShards.FAILURE_SHARDS).startsWith("FAILED#0")
                .endsWith("FAILED#" + (ViewShards.FAILURE_SHARDS - 1)).doesNotHaveDuplicates();
        assertThat(ViewShards.marketingPartitions("m")).hasSize(ViewShards.MARKETING_SHARDS).startsWith("m#0")
                .doesNotHaveDuplicates();
    }

    @Test
    void shardNumbersOutsideTheCountAreRefused() {
        assertThatThrownBy(() -> ViewShards.failurePartition(ViewShards.FAILURE_SHARDS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ViewShards.marketingPartition("m", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ViewShards.shardOf("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCampaignSpreadsEvenlyOverItsShards() {
        // 100,000 sends in one second of one campaign: each shard gets its share within a few percent
        int[] counts = new int[ViewShards.MARKETING_SHARDS];
        for (int i = 0; i < 100_000; i++) {
            counts[ViewShards.shardOf(ViewKeys.viewSk(1_764_150_000_000L + i / 100, "tx-" + i), ViewShards.MARKETING_SHARDS)]++;
        }
        double share = 100_000.0 / ViewShards.MARKETING_SHARDS;
        for (int c : counts) {
            assertThat(c).isBetween((int) (share * 0.95), (int) (share * 1.05));
        }
    }

    @Test
    void aTransactionsItemsOfOneMillisecondMayFallOnDifferentShards() {
        Set<Integer> shards = new HashSet<>();
        for (String tx : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            shards.add(ViewShards.shardOf(ViewKeys.viewSk(1_000, tx), ViewShards.FAILURE_SHARDS));
        }
        assertThat(shards).hasSizeGreaterThan(1);
    }
}
