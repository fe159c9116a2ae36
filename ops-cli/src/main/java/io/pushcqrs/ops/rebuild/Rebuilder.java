package io.pushcqrs.ops.rebuild;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.ops.aws.BatchReader;
import io.pushcqrs.ops.aws.TableScanner;
import io.pushcqrs.model.sync.Category;
import io.pushcqrs.model.sync.Finding;
import io.pushcqrs.model.sync.Projection;
import io.pushcqrs.ops.ui.Progress;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Re-projects the read side from command-records (for a missed stream window).
 * <ol>
 *   <li>Scans command-records page by page; for each command reads the view at its key (BatchGetItem) and
 *       writes its projection as {@link RebuildPolicy} decides, compare-and-set on the view as read (still absent,
 *       or still the same source_seq and source_version), so a rebuild racing the stream never overwrites what
 *       the stream wrote after the read.</li>
 *   <li>With deleteOrphans, scans notification-records and deletes the live views whose command is gone (or
 *       belongs to another user now), each only if it is still the view that was read. Tombstones are never
 *       orphans: they keep a deleted key's sequence number for the stream's guard until their TTL.</li>
 * </ol>
 * After every page the position is saved in the checkpoint file (not in a dry run); a resumed run continues
 * from there. Idempotent: a second run finds every view unchanged and writes nothing.
 */
public final class Rebuilder {

    /** How to rebuild. */
    public record Options(boolean force, boolean dryRun, boolean deleteOrphans, int pageSize, int examples) {
    }

    private final DynamoDbClient dynamoDb;
    private final String commandTable;
    private final String notificationTable;
    private final Options options;
    private final Path checkpointFile;
    private final Function<String, Progress> progress;
    private final Clock clock;

    /**
     * @param checkpointFile where to save the position after each page (null: nowhere)
     * @param progress       makes the progress of a scan, given the table's role
     */
    public Rebuilder(DynamoDbClient dynamoDb, String commandTable, String notificationTable, Options options,
                     Path checkpointFile, Function<String, Progress> progress) {
        this(dynamoDb, commandTable, notificationTable, options, checkpointFile, progress, Clock.systemUTC());
    }

    /** @param clock the time a tombstone's age is measured at */
    public Rebuilder(DynamoDbClient dynamoDb, String commandTable, String notificationTable, Options options,
                     Path checkpointFile, Function<String, Progress> progress, Clock clock) {
        this.clock = clock;
        this.dynamoDb = dynamoDb;
        this.commandTable = commandTable;
        this.notificationTable = notificationTable;
        this.options = options;
        this.checkpointFile = checkpointFile;
        this.progress = progress;
    }

    /**
     * Runs the rebuild from {@code resume} (null: from the start). The checkpoint file is deleted when it
     * completes, and left in place when it stops with an exception.
     */
    public RebuildReport run(Checkpoint resume) {
        RebuildCounts counts = resume == null ? new RebuildCounts() : resume.counts();
        Checkpoint.Phase phase = resume == null ? Checkpoint.Phase.commands : resume.phase();
        Map<String, AttributeValue> start = resume == null ? null : resume.startKey();
        Category skippedDiffers = new Category("skipped-differs", options.examples());
        Category skippedNewer = new Category("skipped-newer", options.examples());
        Category unmappable = new Category("unmappable", options.examples());
        Category orphans = new Category("orphans", options.examples());
        TableScanner scanner = new TableScanner(dynamoDb, options.pageSize());
        BatchReader reader = new BatchReader(dynamoDb);

        if (phase == Checkpoint.Phase.commands) {
            scanner.scan(commandTable, start, progress.apply("command-records"), (items, last) -> {
                commandPage(items, reader, counts, skippedDiffers, skippedNewer, unmappable);
                save(last == null ? (options.deleteOrphans() ? Checkpoint.Phase.orphans : null) : Checkpoint.Phase.commands,
                        last, counts);
            });
            start = null;
        }
        if (options.deleteOrphans()) {
            scanner.scan(notificationTable, start, progress.apply("notification-records"), (items, last) -> {
                orphanPage(items, reader, counts, orphans);
                save(last == null ? null : Checkpoint.Phase.orphans, last, counts);
            });
        }
        if (checkpointFile != null && !options.dryRun()) {
            try {
                Files.deleteIfExists(checkpointFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the checkpoint " + checkpointFile, e);
            }
        }
        return new RebuildReport(commandTable, notificationTable, options, counts, skippedDiffers, skippedNewer,
                unmappable, orphans);
    }

    private void save(Checkpoint.Phase next, Map<String, AttributeValue> last, RebuildCounts counts) {
        if (checkpointFile == null || options.dryRun() || next == null) {
            return;
        }
        new Checkpoint(commandTable, notificationTable, next, last, counts).save(checkpointFile);
    }

    private void commandPage(List<Map<String, AttributeValue>> items, BatchReader reader, RebuildCounts counts,
                             Category skippedDiffers, Category skippedNewer, Category unmappable) {
        List<Projection.Expected> expected = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            if (CreateClaim.isClaim(item)) {
                continue; // command-lambda's create claim (created_at -1): not a notification, never projected
            }
            counts.commandsScanned++;
            try {
                expected.add(Projection.of(item));
            } catch (Projection.UnmappableException e) {
                counts.unmappable++;
                if (unmappable.add()) {
                    unmappable.example(new Finding(Projection.transactionId(item), Projection.createdAt(item),
                            null, null, "cannot be projected: " + e.getMessage(), null, null, null));
                }
            }
        }
        Map<String, Map<String, AttributeValue>> views = reader.get(notificationTable,
                expected.stream().map(Projection.Expected::viewKey).toList(), Rebuilder::viewKeyText);
        for (Projection.Expected e : expected) {
            Map<String, AttributeValue> existing = views.get(viewKeyText(e.viewKey()));
            Long version = e.command().version();
            RebuildPolicy.Decision d = RebuildPolicy.decide(e.viewItem(), version, existing, options.force(),
                    clock.millis());
            RebuildPolicy.Action action = d.action();
            if (action.writes() && !options.dryRun() && !write(RebuildPolicy.item(action, e.viewItem(), existing),
                    RebuildPolicy.condition(action, version, existing))) {
                action = RebuildPolicy.Action.SKIP_NEWER;
                d = new RebuildPolicy.Decision(action, "the view changed while rebuilding (the stream wrote a newer"
                        + " projection or a tombstone after it was read)");
            }
            switch (action) {
                case CREATE -> counts.created++;
                case REPLACE_OLDER -> counts.replacedOlder++;
                case FORCE -> counts.forced++;
                case REPLACE_TOMBSTONE -> counts.replacedTombstones++;
                case REKEY -> counts.rekeyed++;
                case UNCHANGED -> counts.unchanged++;
                case SKIP_NEWER -> {
                    counts.skippedNewer++;
                    example(skippedNewer, e, d);
                }
                case SKIP_DIFFERS -> {
                    counts.skippedDiffers++;
                    example(skippedDiffers, e, d);
                }
                default -> throw new IllegalStateException("unknown action " + action);
            }
        }
    }

    private static void example(Category c, Projection.Expected e, RebuildPolicy.Decision d) {
        if (c.add()) {
            c.example(new Finding(e.command().transactionId(), e.command().createdAt(), e.command().userId(),
                    e.viewItem().get(Attr.VIEW_SK).s(), d.reason(), null, null, e.command().version()));
        }
    }

    private boolean write(Map<String, AttributeValue> viewItem, RebuildPolicy.Condition c) {
        try {
            PutItemRequest.Builder put = PutItemRequest.builder().tableName(notificationTable).item(viewItem)
                    .conditionExpression(c.expression()).expressionAttributeNames(c.names());
            if (!c.values().isEmpty()) {
                put.expressionAttributeValues(c.values());
            }
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException ex) {
            return false;
        }
    }

    private void orphanPage(List<Map<String, AttributeValue>> views, BatchReader reader, RebuildCounts counts,
                            Category orphans) {
        List<Map<String, AttributeValue>> commandKeys = new ArrayList<>();
        for (Map<String, AttributeValue> view : views) {
            Projection.ViewRef ref = Projection.viewRef(view);
            if (ref.transactionId() != null && !Tombstones.isTombstone(view)) {
                commandKeys.add(NotificationMapper.commandKey(ref.transactionId(), ref.createdAt()));
            }
        }
        Map<String, Map<String, AttributeValue>> commands = reader.get(commandTable, commandKeys, Projection::commandKey);
        for (Map<String, AttributeValue> view : views) {
            counts.viewsScanned++;
            if (Tombstones.isTombstone(view)) {
                counts.tombstones++; // a deleted view: never an orphan
                continue;
            }
            Projection.ViewRef ref = Projection.viewRef(view);
            Map<String, AttributeValue> command = ref.commandKey() == null ? null : commands.get(ref.commandKey());
            String why = orphanReason(ref, command);
            if (why == null) {
                continue;
            }
            boolean deleted = options.dryRun() || delete(view);
            if (deleted) {
                counts.orphansDeleted++;
                if (orphans.add()) {
                    orphans.example(new Finding(ref.transactionId(), ref.createdAt(), ref.userId(), ref.viewSk(), why,
                            null, null, null));
                }
            } else {
                counts.orphansChanged++;
            }
        }
    }

    /** Why a view is an orphan, or null when it belongs to its command (or to an unmappable one: kept). */
    static String orphanReason(Projection.ViewRef ref, Map<String, AttributeValue> command) {
        if (ref.transactionId() == null) {
            return "view_sk '" + ref.viewSk() + "' belongs to no command";
        }
        if (command == null) {
            return "no command item with this transaction_id and created_at";
        }
        try {
            String owner = Projection.of(command).command().userId();
            return owner.equals(ref.userId()) ? null : "the command now belongs to user " + owner;
        } catch (Projection.UnmappableException e) {
            return null;
        }
    }

    private boolean delete(Map<String, AttributeValue> view) {
        RebuildPolicy.Condition c = RebuildPolicy.unchangedSince(view);
        try {
            DeleteItemRequest.Builder del = DeleteItemRequest.builder().tableName(notificationTable)
                    .key(Map.of(Attr.USER_ID, view.get(Attr.USER_ID), Attr.VIEW_SK, view.get(Attr.VIEW_SK)))
                    .conditionExpression(c.expression()).expressionAttributeNames(c.names());
            if (!c.values().isEmpty()) {
                del.expressionAttributeValues(c.values());
            }
            dynamoDb.deleteItem(del.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static String viewKeyText(Map<String, AttributeValue> keyOrItem) {
        return keyOrItem.get(Attr.USER_ID).s() + '\u0000' + keyOrItem.get(Attr.VIEW_SK).s();
    }
}
