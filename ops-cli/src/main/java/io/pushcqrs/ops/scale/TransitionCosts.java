package io.pushcqrs.ops.scale;

import io.pushcqrs.model.Notification;
import io.pushcqrs.ops.scale.Samples.Kind;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one command costs in DynamoDB, per store, for one kind of notification in one key layout: the writes
 * command-lambda makes to command-records (and the strongly consistent Query it reads with), the stream records they
 * produce, and the write the stream processor then makes to notification-records with what it makes each GSI write
 * ({@link WriteCosts}). Sizes come from the real items of {@link Samples}.
 */
public final class TransitionCosts {
    /** The commands of the mix, by the view change they cause. */
    public enum Transition {
        /** POST with a transaction_id: claim + item in one transaction; INSERT of a SENT view. */
        CREATE,
        /** PATCH to DELIVERED. */
        DELIVER,
        /** PATCH to FAILED: the view enters failures-index. */
        FAIL,
        /** PATCH of a FAILED one that failed again (retry_cnt + 1, a later failed_ts: a new failure_sk). */
        RETRY,
        /** DELETE: the item and its claim; a tombstone replaces the (delivered) view. */
        DELETE
    }

    private final Map<Transition, Map<Store, Long>> units = new EnumMap<>(Transition.class);
    private final Map<Transition, Double> commandReadUnits = new EnumMap<>(Transition.class);
    private final Map<Transition, Integer> streamRecords = new EnumMap<>(Transition.class);
    private final long viewBytes;
    private final long commandBytes;

    private TransitionCosts(Kind kind, Layout layout, Map<Store, WriteCosts.Projection> projections) {
        Notification created = Samples.created(kind);
        Notification delivered = Samples.delivered(kind);
        Notification failed = Samples.failed(kind);
        Notification retried = Samples.retriedAndFailed(kind);
        Map<String, AttributeValue> vCreated = layout.view(created, 1, Samples.seq(1));
        Map<String, AttributeValue> vDelivered = layout.view(delivered, 2, Samples.seq(2));
        Map<String, AttributeValue> vFailed = layout.view(failed, 2, Samples.seq(2));
        Map<String, AttributeValue> vRetried = layout.view(retried, 3, Samples.seq(3));
        Map<String, AttributeValue> tombstone = Samples.tombstone(delivered, Samples.seq(4));
        viewBytes = ItemSize.bytes(vDelivered);
        commandBytes = ItemSize.bytes(Samples.commandItem(delivered));

        long claim = ItemSize.writeUnits(ItemSize.bytes(Samples.claimItem(created)));
        long cCreated = ItemSize.bytes(Samples.commandItem(created));
        put(Transition.CREATE, WriteCosts.of(layout, null, vCreated, projections),
                2 * (claim + ItemSize.writeUnits(cCreated)), ItemSize.readUnits(0, true), 2);
        put(Transition.DELIVER, WriteCosts.of(layout, vCreated, vDelivered, projections),
                update(created, delivered), ItemSize.readUnits(cCreated, true), 1);
        put(Transition.FAIL, WriteCosts.of(layout, vCreated, vFailed, projections),
                update(created, failed), ItemSize.readUnits(cCreated, true), 1);
        put(Transition.RETRY, WriteCosts.of(layout, vFailed, vRetried, projections),
                update(failed, retried), ItemSize.readUnits(ItemSize.bytes(Samples.commandItem(failed)), true), 1);
        put(Transition.DELETE, WriteCosts.of(layout, vDelivered, tombstone, projections),
                ItemSize.writeUnits(ItemSize.bytes(Samples.commandItem(delivered))) + claim,
                ItemSize.readUnits(ItemSize.bytes(Samples.commandItem(delivered)), true), 2);
    }

    public static TransitionCosts of(Kind kind, Layout layout) {
        return new TransitionCosts(kind, layout, Map.of());
    }

    public static TransitionCosts of(Kind kind, Layout layout, Map<Store, WriteCosts.Projection> projections) {
        return new TransitionCosts(kind, layout, projections);
    }

    /** An UpdateItem of command-records: the larger of the old and new item. */
    private static long update(Notification before, Notification after) {
        return ItemSize.writeUnits(Math.max(ItemSize.bytes(Samples.commandItem(before)),
                ItemSize.bytes(Samples.commandItem(after))));
    }

    private void put(Transition t, Map<Store, Long> viewSide, long commandWrites, double commandReads, int records) {
        Map<Store, Long> all = new EnumMap<>(viewSide);
        all.put(Store.COMMANDS, commandWrites);
        units.put(t, all);
        commandReadUnits.put(t, commandReads);
        streamRecords.put(t, records);
    }

    /** Write request units the command costs in a store. */
    public long units(Transition t, Store store) {
        return units.get(t).getOrDefault(store, 0L);
    }

    /** Read request units of command-lambda's strongly consistent Query before the write. */
    public double commandReadUnits(Transition t) {
        return commandReadUnits.get(t);
    }

    /** Stream records the command's writes produce (a claim's included). */
    public int streamRecords(Transition t) {
        return streamRecords.get(t);
    }

    /** Bytes of a delivered view (what queries read). */
    public long viewBytes() {
        return viewBytes;
    }

    /** Bytes of a delivered command item. */
    public long commandBytes() {
        return commandBytes;
    }
}
