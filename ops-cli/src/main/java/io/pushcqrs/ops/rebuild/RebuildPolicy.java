package io.pushcqrs.ops.rebuild;

import io.pushcqrs.model.Attr;
import io.pushcqrs.ops.sync.Projection;
import io.pushcqrs.ops.sync.ViewDiff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * What a rebuild does with one command and the view found at its key, and the condition that makes the write
 * safe against the stream processor running at the same time. A rebuild writes like the stream processor does
 * for a write without a stream sequence number: the view of the command, with {@code source_version} = the
 * command's version and no {@code source_seq}.
 * <p>
 * Versioned command (version V): the view is written when
 * <pre>
 * attribute_not_exists(user_id)
 *   OR (attribute_not_exists(source_seq) AND (attribute_not_exists(source_version) OR source_version &lt; :v))
 *   OR source_version &lt; :v
 * </pre>
 * that is: there is none; or it came from another rebuild or tool and is older or versionless; or it came from
 * the stream (source_seq) but from an older version. A view with a newer source_version is a newer projection
 * and is kept. The stream processor's own guard then still admits every later stream change over the rebuilt
 * view (it has no source_seq and source_version V, lower than any later version), and refuses a replay of an
 * older one.
 * <p>
 * Versionless command (put by operators' tools): only a missing view is written ({@code
 * attribute_not_exists(user_id)}). Nothing proves that a differing view is older than the command as read (the
 * stream may have projected a later versionless change since the scan), so it is overwritten only with
 * {@code --force}, and then only if the view is still the one that was read (same source_seq and
 * source_version). The same holds for a versioned command whose view differs but is not older by the rule above
 * (same source_version, or a stream view without version).
 */
public final class RebuildPolicy {
    /** The write condition of a versioned command. */
    public static final String VERSIONED_CONDITION = "attribute_not_exists(#user)"
            + " OR (attribute_not_exists(#seq) AND (attribute_not_exists(#sv) OR #sv < :v)) OR #sv < :v";
    /** The write condition of a versionless command: only where there is no view. */
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
        /** The view comes from a newer version of the command: keep it. */
        SKIP_NEWER,
        /** The view differs and is not provably older: kept unless --force. */
        SKIP_DIFFERS,
        /** --force: overwrite a differing view that is not provably older. */
        FORCE;

        public boolean writes() {
            return this == CREATE || this == REPLACE_OLDER || this == FORCE;
        }
    }

    /** An action and why. */
    public record Decision(Action action, String reason) {
    }

    /** A condition expression with its names and values. */
    public record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    /**
     * Decides for one command.
     *
     * @param desired  the command's view item (no source_seq)
     * @param version  the command's version, or null
     * @param existing the view item at the key, or null / empty when there is none
     * @param force    --force
     */
    public static Decision decide(Map<String, AttributeValue> desired, Long version, Map<String, AttributeValue> existing,
                                  boolean force) {
        if (existing == null || existing.isEmpty()) {
            return new Decision(Action.CREATE, "no view");
        }
        if (ViewDiff.same(desired, existing)) {
            return new Decision(Action.UNCHANGED, "view matches");
        }
        String fields = ViewDiff.describe(ViewDiff.differingFields(desired, existing));
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

    /** The versioned write condition ({@link #VERSIONED_CONDITION}) evaluated in Java. */
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

    /** The condition of a write decided as {@code action}. */
    public static Condition condition(Action action, Long version, Map<String, AttributeValue> existing) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#user", Attr.USER_ID);
        switch (action) {
            case CREATE, REPLACE_OLDER -> {
                if (version == null) {
                    return new Condition(MISSING_CONDITION, names, values);
                }
                names.put("#seq", Attr.SOURCE_SEQ);
                names.put("#sv", Attr.SOURCE_VERSION);
                values.put(":v", AttributeValue.fromN(Long.toString(version)));
                return new Condition(VERSIONED_CONDITION, names, values);
            }
            case FORCE -> {
                return unchangedSince(existing);
            }
            default -> throw new IllegalArgumentException(action + " does not write");
        }
    }

    /**
     * "The item is still the one that was read": it exists with the same source_seq and source_version (or
     * still without them). Guards --force overwrites and orphan deletes against a concurrent stream write.
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
