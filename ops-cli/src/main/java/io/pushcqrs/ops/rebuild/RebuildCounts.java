package io.pushcqrs.ops.rebuild;

/** The counts of a rebuild; kept in the checkpoint so a resumed run reports the whole rebuild. */
public final class RebuildCounts {
    public long commandsScanned;
    public long created;
    public long replacedOlder;
    public long forced;
    /** Tombstones older than the stream's retention replaced by the view of their (re-created) command. */
    public long replacedTombstones;
    /** Views with the same data under index keys of another layout, re-keyed (their source_seq kept). */
    public long rekeyed;
    public long unchanged;
    public long skippedNewer;
    public long skippedDiffers;
    public long unmappable;
    public long viewsScanned;
    public long orphansDeleted;
    public long orphansChanged;
    /** Tombstones seen while looking for orphans (never orphans: kept for the stream's ordering guard, then TTL). */
    public long tombstones;

    /** Views written (or, in a dry run, that would be). */
    public long written() {
        return created + replacedOlder + forced + replacedTombstones + rekeyed;
    }

    /** True when the run changed (or would change) nothing. */
    public boolean nothingChanged() {
        return written() == 0 && orphansDeleted == 0;
    }
}
