package io.pushcqrs.ops.rebuild;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.sync.Projection;
import io.pushcqrs.model.sync.ViewDiff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rebuild does with one command and the view found at its key, and the condition that makes the write
 * safe against the stream processor running at the same time. A rebuild writes the view of the command with
 * {@code source_version} = the command's version and no {@code source_seq} (docs/architecture.md, "Rebuild").
 * <p>
 * The decision is made in Java on the view as read:
 * <ul>
 *   <li>no view: write it;</li>
 *   <li>a view that differs only in the index keys (failure_status, failure_sk, marketing_shard): the same data keyed
 *       for another index layout, such as a view projected before the indexes were write-sharded: re-key it, keeping
 *       its source_seq and source_version, without {@code --force} ({@link #item});</li>
 *   <li>a live view that is older: with version V, when it came from another rebuild or tool without source_seq
 *       and has no or a lower source_version, or when it came from the stream with a lower source_version
 *       ({@link #admitsVersioned}); a newer one is kept; a differing one that is not provably older (same version,
 *       a versionless command or view) only with {@code --force};</li>
 *   <li>a tombstone (the command was deleted, or moved to another user, and the stream projected it): it is
 *       overwritten only when its change is older than the stream's 24 h retention ({@link Tombstones#settled}),
 *       because then no record left in the stream can contradict the rebuilt view; a younger one is kept (the
 *       stream still holds the records after it and projects them), {@code --force} or not.</li>
 * </ul>
 * Every write is then compare-and-set on the state that was read ({@link #condition}): the view is still absent
 * ({@code attribute_not_exists(user_id)}), or still has the source_seq and source_version that were read
 * ({@link #unchangedSince}). A rebuild racing the stream therefore never overwrites a projection or a tombstone the
 * stream wrote after the read: such a write is refused and reported as changed while rebuilding. The stream
 * processor's own guard still admits every later stream change over a rebuilt view (it has no source_seq and
 * source_version V, lower than any later version of the item) and refuses a replay of an older one.
 */
public final class RebuildPolicy {
    /** The write condition where no view was read: there is still none. */
    public static final String MISSING_CONDITION = "attribute_not_exists(#user)";

    private RebuildPolicy() {
    }

    /** What to do with one command. */
    public enum Action {
        /** No view: write it. */
        CREATE,
        /** An older view: replace it. */
        REPLACE_OLDER,
        /** The view equals the command's projection (but for source_seq): nothing to do. */
        UNCHANGED,
        /** The view comes from a newer version of the command, or is a recent tombstone: keep it. */
        SKIP_NEWER,
        /** The view differs and is not provably older: kept unless --force. */
        SKIP_DIFFERS,
        /** --force: overwrite a differing view that is not provably older. */
        FORCE,
        /** A tombstone older than the stream's retention, where the command exists: write the view over it. */
        REPLACE_TOMBSTONE,
        /** The same data under index keys of another layout: write the current keys, keep the stream bookkeeping. */
        REKEY;

        public boolean writes() {
            return this == CREATE || this == REPLACE_OLDER || this == FORCE || this == REPLACE_TOMBSTONE || this == REKEY;
        }
    }

    /** An action and why. */
    public record Decision(Action action, String reason) {
    }

    /** A condition expression with its names and values. */
    public record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    /** {@link #decide(Map, Long, Map, boolean, long)} at the current time. */
    public static Decision decide(Map<String, AttributeValue> desired, Long version, Map<String, AttributeValue> existing,
                                  boolean force) {
        return decide(desired, version, existing, force, System.currentTimeMillis());
    }

    /**
     * Decides for one command.
     *
     * @param desired   the command's view item (no source_seq)
     * @param version   the command's version, or null
     * @param existing  the item at the view's key, or null / empty when there is none
     * @param force     --force
     * @param nowMillis the time, for a tombstone's age
     */
    public static Decision decide(Map<String, AttributeValue> desired, Long version, Map<String, AttributeValue> existing,
                                  boolean force, long nowMillis) {
        if (existing == null || existing.isEmpty()) {
            return new Decision(Action.CREATE, "no view");
        }
        if (Tombstones.isTombstone(existing)) {
            Long deletedAt = Tombstones.deletedAt(existing);
            String age = deletedAt == null ? "at an unknown time" : ago(nowMillis - deletedAt);
            if (Tombstones.settled(existing, nowMillis)) {
                return new Decision(Action.REPLACE_TOMBSTONE, "a tombstone of a change " + age
                        + ", older than the stream's " + Tombstones.STREAM_RETENTION.toHours() + " h retention");
            }
            return new Decision(Action.SKIP_NEWER, "the view was deleted or moved " + age + " (a tombstone younger than"
                    + " the stream's " + Tombstones.STREAM_RETENTION.toHours() + " h retention): the stream projects"
                    + " what came after it; rerun once it is older");
        }
        if (ViewDiff.same(desired, existing)) {
            return new Decision(Action.UNCHANGED, "view matches");
        }
        List<String> differing = ViewDiff.differingFields(desired, existing);
        String fields = ViewDiff.describe(differing);
        if (NotificationMapper.INDEX_KEYS.containsAll(differing)) {
            return new Decision(Action.REKEY, fields + ": only the index keys, the view was keyed for another index"
                    + " layout (before the indexes were write-sharded)");
        }
        if (version != null) {
            if (admitsVersioned(version, existing)) {
                return new Decision(Action.REPLACE_OLDER, fields + "; the view is older");
            }
            Long viewVersion = Projection.integer(existing.get(Attr.SOURCE_VERSION));
            if (viewVersion != null && viewVersion > version) {
                return new Decision(Action.SKIP_NEWER, "the view has source_version " + viewVersion
                        + ", newer than the command's version " + version);
            }
            String why = viewVersion != null
                    ? fields + " at the same version " + version
                    : fields + "; the view was projected from a change without version";
            return force ? new Decision(Action.FORCE, why) : new Decision(Action.SKIP_DIFFERS, why + " (--force overwrites)");
        }
        String why = fields + "; the command has no version, so the view cannot be proven older";
        return force ? new Decision(Action.FORCE, why) : new Decision(Action.SKIP_DIFFERS, why + " (--force overwrites)");
    }

    /**
     * The item a write decided as {@code action} puts: the command's view; for {@link Action#REKEY} with the
     * existing view's source_seq, so that the stream's ordering guard sees the same state as before (only the index
     * keys change).
     */
    public static Map<String, AttributeValue> item(Action action, Map<String, AttributeValue> desired,
                                                   Map<String, AttributeValue> existing) {
        if (action != Action.REKEY || existing == null || !existing.containsKey(Attr.SOURCE_SEQ)) {
            return desired;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(desired);
        item.put(Attr.SOURCE_SEQ, existing.get(Attr.SOURCE_SEQ));
        return item;
    }

    /** The rule for a versioned command over a live view as read: is the view older than version V? */
    public static boolean admitsVersioned(long version, Map<String, AttributeValue> existing) {
        if (existing == null || existing.isEmpty()) {
            return true;
        }
        AttributeValue sv = existing.get(Attr.SOURCE_VERSION);
        boolean lower = sv != null && sv.n() != null
                && new BigDecimal(sv.n()).compareTo(BigDecimal.valueOf(version)) < 0;
        if (!existing.containsKey(Attr.SOURCE_SEQ) && (sv == null || lower)) {
            return true;
        }
        return lower;
    }

    /**
     * The condition of a write decided as {@code action}: compare-and-set on the state that was read. Where no view
     * was read, there must still be none; otherwise the item must still be the one that was read
     * ({@link #unchangedSince}).
     */
    public static Condition condition(Action action, Long version, Map<String, AttributeValue> existing) {
        if (!action.writes()) {
            throw new IllegalArgumentException(action + " does not write");
        }
        if (existing == null || existing.isEmpty()) {
            Map<String, String> names = new HashMap<>();
            names.put("#user", Attr.USER_ID);
            return new Condition(MISSING_CONDITION, names, new HashMap<>());
        }
        return unchangedSince(existing);
    }

    private static String ago(long millis) {
        long minutes = Math.max(0, millis) / 60_000;
        return minutes < 120 ? minutes + " min ago" : minutes / 60 + " h ago";
    }

    /**
     * "The item is still the one that was read": it exists with the same source_seq and source_version (or
     * still without them). Guards every rebuild write over an item, and orphan deletes, against a concurrent
     * stream write (the stream writes every change, a tombstone's included, with its own source_seq).
     */
    public static Condition unchangedSince(Map<String, AttributeValue> existing) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#user", Attr.USER_ID);
        names.put("#seq", Attr.SOURCE_SEQ);
        names.put("#sv", Attr.SOURCE_VERSION);
        StringBuilder e = new StringBuilder("attribute_exists(#user)");
        AttributeValue seq = existing.get(Attr.SOURCE_SEQ);
        if (seq == null) {
            e.append(" AND attribute_not_exists(#seq)");
        } else {
            e.append(" AND #seq = :seq");
            values.put(":seq", seq);
        }
        AttributeValue sv = existing.get(Attr.SOURCE_VERSION);
        if (sv == null) {
            e.append(" AND attribute_not_exists(#sv)");
        } else {
            e.append(" AND #sv = :sv");
            values.put(":sv", sv);
        }
        return new Condition(e.toString(), names, values);
    }
}
