package io.pushcqrs.model.sync;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the two tables item by item: feed every command item ({@link #addCommand}), then every view item
 * ({@link #addView}), then {@link #finish}. Holds per command only its key, user, version and a fingerprint of
 * its expected view, so a few 100k items fit in a small heap.
 * <ul>
 *   <li>missing: a command with no view at (user_id, view_sk);</li>
 *   <li>stale: the view differs from {@code toViewItem(NotificationView.of(command))} in any attribute but
 *       source_seq (the differing fields and source_version vs version are reported);</li>
 *   <li>orphan: a view whose key belongs to no command (its transaction_id + created_at are not in
 *       command-records, or that command now belongs to another user);</li>
 *   <li>unmappable: a command item the mapper refuses (it cannot be projected: a poison record).</li>
 * </ul>
 * Tombstones (deleted views kept for the stream's ordering guard until their TTL) are counted, never compared: a
 * tombstone at the key of an existing command leaves that command missing (its view is deleted); one without a
 * command is what a delete leaves, not an orphan.
 */
public final class SyncComparison {

    /** Reads one command item again (for the fields of stale examples); null when it is gone. */
    @FunctionalInterface
    public interface CommandLookup {
        Map<String, AttributeValue> get(String transactionId, long createdAt);

        /** A consistent GetItem of the command's key in {@code commandTable} (check-sync's and the console's). */
        static CommandLookup consistentRead(DynamoDbClient dynamoDb, String commandTable) {
            return (transactionId, createdAt) -> {
                Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(commandTable)
                        .key(NotificationMapper.commandKey(transactionId, createdAt)).consistentRead(true)).item();
                return item == null || item.isEmpty() ? null : item;
            };
        }
    }

    private static final class Entry {
        final String userId;
        final Long version;
        final long fingerprint;
        final boolean unmappable;
        boolean seen;
        /** deleted_at of a tombstone found at the view's key (ms; -1 when unknown), or null when none was. */
        Long tombstone;

        Entry(String userId, Long version, long fingerprint, boolean unmappable) {
            this.userId = userId;
            this.version = version;
            this.fingerprint = fingerprint;
            this.unmappable = unmappable;
        }
    }

    private final String commandTable;
    private final String notificationTable;
    private final CommandLookup lookup;
    private final Map<String, Entry> commands = new LinkedHashMap<>();
    private final Category missing;
    private final Category stale;
    private final Category orphan;
    private final Category unmappable;
    private long commandCount;
    private long viewCount;
    private long matched;
    private long viewsOfUnmappable;
    private long tombstones;
    private boolean viewsStarted;

    public SyncComparison(String commandTable, String notificationTable, int examples, CommandLookup lookup) {
        this.commandTable = commandTable;
        this.notificationTable = notificationTable;
        this.lookup = lookup;
        this.missing = new Category("missing", examples);
        this.stale = new Category("stale", examples);
        this.orphan = new Category("orphan", examples);
        this.unmappable = new Category("unmappable", examples);
    }

    public void addCommand(Map<String, AttributeValue> item) {
        if (viewsStarted) {
            throw new IllegalStateException("every command item must be added before the first view item");
        }
        if (CreateClaim.isClaim(item)) {
            return; // command-lambda's create claim (created_at -1): not a notification, has no view
        }
        commandCount++;
        String key = Projection.commandKey(item);
        try {
            Projection.Expected e = Projection.of(item);
            if (key != null) {
                commands.put(key, new Entry(e.command().userId(), e.command().version(),
                        ViewDiff.fingerprint(e.viewItem()), false));
            }
        } catch (Projection.UnmappableException ex) {
            if (key != null) {
                commands.put(key, new Entry(null, null, 0, true));
            }
            if (unmappable.add()) {
                unmappable.example(new Finding(Projection.transactionId(item), Projection.createdAt(item),
                        stringOrNull(item, Attr.USER_ID), null, "cannot be projected: " + ex.getMessage(),
                        null, null, null));
            }
        }
    }

    public void addView(Map<String, AttributeValue> view) {
        viewsStarted = true;
        viewCount++;
        Projection.ViewRef ref = Projection.viewRef(view);
        String key = ref.commandKey();
        Entry e = key == null ? null : commands.get(key);
        if (Tombstones.isTombstone(view)) {
            tombstones++;
            if (e != null && !e.unmappable && e.userId.equals(ref.userId())) {
                Long at = Tombstones.deletedAt(view);
                e.tombstone = at == null ? -1L : at;
            }
            return;
        }
        if (e == null || (!e.unmappable && !e.userId.equals(ref.userId()))) {
            if (orphan.add()) {
                String detail = key == null
                        ? "view_sk '" + ref.viewSk() + "' is not <padded created_at>#<transaction_id>: no command has this view"
                        : e == null ? "no command item with this transaction_id and created_at"
                        : "the command now belongs to user " + e.userId;
                orphan.example(new Finding(ref.transactionId() != null ? ref.transactionId()
                        : stringOrNull(view, Attr.TRANSACTION_ID), ref.createdAt(), ref.userId(), ref.viewSk(), detail,
                        null, longOrNull(view, Attr.SOURCE_VERSION), null));
            }
            return;
        }
        if (e.unmappable) {
            viewsOfUnmappable++;
            return;
        }
        e.seen = true;
        if (ViewDiff.fingerprint(view) == e.fingerprint) {
            matched++;
            return;
        }
        if (stale.add()) {
            stale.example(staleFinding(ref, view, e));
        }
    }

    private Finding staleFinding(Projection.ViewRef ref, Map<String, AttributeValue> view, Entry e) {
        Long viewVersion = longOrNull(view, Attr.SOURCE_VERSION);
        List<String> fields = null;
        String detail;
        Map<String, AttributeValue> command = lookup == null ? null : lookup.get(ref.transactionId(), ref.createdAt());
        if (command == null) {
            detail = "view differs from the command (the command is gone now)";
        } else {
            try {
                fields = ViewDiff.differingFields(Projection.of(command).viewItem(), view);
                detail = fields.isEmpty() ? "view differed from the command (the command changed during the check)"
                        : ViewDiff.describe(fields);
            } catch (Projection.UnmappableException ex) {
                detail = "view differs from the command (the command cannot be projected now: " + ex.getMessage() + ")";
            }
        }
        detail += "; source_version " + (viewVersion == null ? "none" : viewVersion)
                + " vs version " + (e.version == null ? "none" : e.version);
        return new Finding(ref.transactionId(), ref.createdAt(), ref.userId(), ref.viewSk(), detail, fields,
                viewVersion, e.version);
    }

    public SyncReport finish(Duration elapsed) {
        for (Map.Entry<String, Entry> me : commands.entrySet()) {
            Entry e = me.getValue();
            if (e.seen || e.unmappable) {
                continue;
            }
            if (missing.add()) {
                String key = me.getKey();
                int nul = key.indexOf('\u0000');
                String tx = key.substring(0, nul);
                long created = Long.parseLong(key.substring(nul + 1));
                String viewSk = NotificationMapper.viewKey(e.userId, created, tx).get(Attr.VIEW_SK).s();
                String what = e.tombstone == null ? "no view"
                        : "a tombstone (deleted " + (e.tombstone < 0 ? "at an unknown time"
                        : "at " + Instant.ofEpochMilli(e.tombstone)) + ") where the command exists, so no view";
                missing.example(new Finding(tx, created, e.userId, viewSk,
                        what + " at user_id " + e.userId + ", view_sk " + viewSk
                                + " (version " + (e.version == null ? "none" : e.version) + ")",
                        null, null, e.version));
            }
        }
        return new SyncReport(commandTable, notificationTable, commandCount, viewCount, matched, missing, stale,
                orphan, unmappable, viewsOfUnmappable, tombstones, elapsed);
    }

    private static String stringOrNull(Map<String, AttributeValue> item, String field) {
        AttributeValue v = item.get(field);
        return v == null ? null : v.s();
    }

    private static Long longOrNull(Map<String, AttributeValue> item, String field) {
        try {
            return NotificationMapper.longValue(item, field);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
