package io.pushcqrs.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Write sharding of the two GSI partition keys that a single value would make hot (docs/architecture.md, "Write
 * sharding of the hot index keys"; docs/scaling.md has the numbers):
 * <ul>
 *   <li>failures-index: {@code failure_status} = {@code FAILED#k}, k in 0..{@link #FAILURE_SHARDS}-1, instead of the
 *       constant {@code FAILED} that put every failure of the system under one partition key;</li>
 *   <li>marketing-index: {@code marketing_shard} = {@code <marketing_id>#k}, k in 0..{@link #MARKETING_SHARDS}-1,
 *       instead of the marketing_id itself, under which a campaign send wrote all its views.</li>
 * </ul>
 * The shard of a view is a hash of its {@code view_sk} (zero-padded created_at {@code #} transaction_id): the
 * command's own key, which never changes for the item. So every write of an item (its creation, each status change,
 * a move to another user_id, a stream replay, a rebuild) puts it under the same shard, and the shard can be checked
 * from the item alone. The hash: the first four bytes of SHA-256 of the UTF-8 view_sk, read as an unsigned big-endian
 * integer, modulo the shard count (in Python: {@code int.from_bytes(sha256(sk.encode()).digest()[:4], 'big') % n}).
 * <p>
 * Changing a shard count changes the key of most views: the query would miss them until {@code rebuild} re-keys them
 * (docs/architecture.md). The counts are constants of the model for that reason, not settings.
 */
public final class ViewShards {
    private ViewShards() {
    }

    /** Shards of failures-index's partition key. */
    public static final int FAILURE_SHARDS = 8;
    /** Shards of marketing-index's partition key, per campaign. */
    public static final int MARKETING_SHARDS = 16;
    /** Between a partition value and its shard number. Ids cannot contain it (Limits.ID_PATTERN). */
    public static final char SEPARATOR = '#';

    /** The shard (0..shards-1) of the view with this view_sk. */
    public static int shardOf(String viewSk, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be positive: " + shards);
        }
        byte[] digest = sha256(viewSk.getBytes(StandardCharsets.UTF_8));
        long first = ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
                | (digest[3] & 0xffL);
        return (int) (first % shards);
    }

    /** failure_status of a FAILED view: {@code FAILED#k}. */
    public static String failurePartition(String viewSk) {
        return failurePartition(shardOf(viewSk, FAILURE_SHARDS));
    }

    /** failure_status of shard k: {@code FAILED#k}. */
    public static String failurePartition(int shard) {
        return Schema.FAILURE_PARTITION + SEPARATOR + checked(shard, FAILURE_SHARDS);
    }

    /** Every failures-index partition value, shard 0 first. */
    public static List<String> failurePartitions() {
        List<String> all = new ArrayList<>(FAILURE_SHARDS);
        for (int k = 0; k < FAILURE_SHARDS; k++) {
            all.add(failurePartition(k));
        }
        return Collections.unmodifiableList(all);
    }

    /** marketing_shard of a view of a campaign: {@code <marketing_id>#k}. */
    public static String marketingPartition(String marketingId, String viewSk) {
        return marketingPartition(marketingId, shardOf(viewSk, MARKETING_SHARDS));
    }

    /** marketing_shard of shard k of a campaign: {@code <marketing_id>#k}. */
    public static String marketingPartition(String marketingId, int shard) {
        return marketingId + SEPARATOR + checked(shard, MARKETING_SHARDS);
    }

    /** Every marketing-index partition value of a campaign, shard 0 first. */
    public static List<String> marketingPartitions(String marketingId) {
        List<String> all = new ArrayList<>(MARKETING_SHARDS);
        for (int k = 0; k < MARKETING_SHARDS; k++) {
            all.add(marketingPartition(marketingId, k));
        }
        return Collections.unmodifiableList(all);
    }

    private static int checked(int shard, int shards) {
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " is not in 0.." + (shards - 1));
        }
        return shard;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
