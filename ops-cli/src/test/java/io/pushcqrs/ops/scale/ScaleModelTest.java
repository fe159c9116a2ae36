package io.pushcqrs.ops.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.scale.Samples.Kind;
import io.pushcqrs.ops.scale.TransitionCosts.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scale model's arithmetic on cases small enough to work out by hand. */
class ScaleModelTest {

    // ---- item sizes -------------------------------------------------------------------------------

    @Test
    void itemSizesFollowDynamoDbsRules() {
        // name + value: "id" + "abc" = 5; "n" + 123 (3 digits: 2 bytes + 1) = 4; "t" + true = 2;
        // "m" + map{"k": "vw"}: 3 + (1 + 1 + 2) = 7, + 1 for the name = 8; "l" + [1, "x"]: 3 + (1 + 2) + (1 + 1) = 8, + 1
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.fromS("abc"));
        item.put("n", AttributeValue.fromN("123"));
        item.put("t", AttributeValue.fromBool(true));
        item.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("vw"))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("x"))));
        assertThat(ItemSize.bytes(item)).isEqualTo(5 + 4 + 2 + 8 + 9);
        // leading and trailing zeros do not count; one byte per two significant digits, plus one
        assertThat(ItemSize.number("1000")).isEqualTo(2);
        assertThat(ItemSize.number("0.0012")).isEqualTo(2);
        assertThat(ItemSize.number("1764150000123")).isEqualTo(8);
        assertThat(ItemSize.number("-12345")).isEqualTo(4);
        assertThat(ItemSize.value(ItemSize.binary(new byte[10]))).isEqualTo(10);
        // a non-ASCII string counts its UTF-8 bytes
        assertThat(ItemSize.bytes(Map.of("é", AttributeValue.fromS("中")))).isEqualTo(2 + 3);
    }

    @Test
    void writeUnitsAreKilobytesAndReadUnitsFourKilobyteBlocks() {
        assertThat(ItemSize.writeUnits(1)).isEqualTo(1);
        assertThat(ItemSize.writeUnits(1024)).isEqualTo(1);
        assertThat(ItemSize.writeUnits(1025)).isEqualTo(2);
        assertThat(ItemSize.readUnits(4096, false)).isEqualTo(0.5);
        assertThat(ItemSize.readUnits(4097, false)).isEqualTo(1.0);
        assertThat(ItemSize.readUnits(4097, true)).isEqualTo(2.0);
        assertThat(ItemSize.readUnits(0, true)).as("a read costs at least one unit").isEqualTo(1.0);
    }

    // ---- what a write makes the indexes write -----------------------------------------------------

    private static Map<String, AttributeValue> view(int padTo, String... keyValues) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(Attr.USER_ID, AttributeValue.fromS("u"));
        item.put(Attr.VIEW_SK, AttributeValue.fromS("sk"));
        for (int i = 0; i < keyValues.length; i += 2) {
            item.put(keyValues[i], AttributeValue.fromS(keyValues[i + 1]));
        }
        long size = ItemSize.bytes(item);
        item.put("pad", AttributeValue.fromS("x".repeat((int) (padTo - size - 3))));
        assertThat(ItemSize.bytes(item)).isEqualTo(padTo);
        return item;
    }

    @Test
    void gsiWritesFollowTheRulesForPutsUpdatesKeyChangesAndDeletes() {
        Map<String, AttributeValue> small = view(600, Attr.TRANSACTION_ID, "t", Attr.CREATED_AT, "1");
        Map<String, AttributeValue> big = view(1500, Attr.TRANSACTION_ID, "t", Attr.CREATED_AT, "1");
        Map<String, AttributeValue> failed = view(1500, Attr.TRANSACTION_ID, "t", Attr.CREATED_AT, "1",
                Attr.FAILURE_STATUS, "FAILED#3", Attr.FAILURE_SK, "a");
        Map<String, AttributeValue> refailed = view(1500, Attr.TRANSACTION_ID, "t", Attr.CREATED_AT, "1",
                Attr.FAILURE_STATUS, "FAILED#3", Attr.FAILURE_SK, "b");
        Map<Store, WriteCosts.Projection> all = Map.of();

        Map<Store, Long> insert = WriteCosts.of(Layout.SHARDED, null, small, all);
        assertThat(insert).containsEntry(Store.VIEWS, 1L).containsEntry(Store.TRANSACTION_INDEX, 1L)
                .containsEntry(Store.FAILURES_INDEX, 0L).containsEntry(Store.SNS_INDEX, 0L);
        // the table bills the larger of the old and the new item; same keys, changed attributes: one write
        Map<String, AttributeValue> grown = new HashMap<>(big);
        assertThat(WriteCosts.of(Layout.SHARDED, small, grown, all)).containsEntry(Store.VIEWS, 2L)
                .containsEntry(Store.TRANSACTION_INDEX, 2L);
        assertThat(WriteCosts.of(Layout.SHARDED, big, small, all)).containsEntry(Store.VIEWS, 2L)
                .containsEntry(Store.TRANSACTION_INDEX, 1L);
        // entering a sparse index: a put; its sort key changing: a delete and a put; leaving it: a delete
        assertThat(WriteCosts.of(Layout.SHARDED, big, failed, all)).containsEntry(Store.FAILURES_INDEX, 2L);
        assertThat(WriteCosts.of(Layout.SHARDED, failed, refailed, all)).containsEntry(Store.FAILURES_INDEX, 4L);
        assertThat(WriteCosts.of(Layout.SHARDED, failed, small, all)).containsEntry(Store.FAILURES_INDEX, 2L);
        // nothing changed: the table still pays the put, an index nothing
        assertThat(WriteCosts.of(Layout.SHARDED, small, new HashMap<>(small), all))
                .containsEntry(Store.VIEWS, 1L).containsEntry(Store.TRANSACTION_INDEX, 0L);
        // KEYS_ONLY: an entry of the keys alone, written only when they change
        Map<Store, WriteCosts.Projection> keysOnly = Map.of(Store.TRANSACTION_INDEX, WriteCosts.Projection.KEYS_ONLY);
        assertThat(WriteCosts.of(Layout.SHARDED, null, big, keysOnly)).containsEntry(Store.TRANSACTION_INDEX, 1L);
        assertThat(WriteCosts.of(Layout.SHARDED, small, big, keysOnly)).containsEntry(Store.TRANSACTION_INDEX, 0L);
        // a delete (a tombstone without index keys) deletes from every index that held the view
        assertThat(WriteCosts.of(Layout.SHARDED, failed, Map.of(Attr.USER_ID, AttributeValue.fromS("u"),
                Attr.VIEW_SK, AttributeValue.fromS("sk")), all))
                .containsEntry(Store.TRANSACTION_INDEX, 2L).containsEntry(Store.FAILURES_INDEX, 2L);
    }

    @Test
    void theRealItemsAreSizedAndKeyedByTheLayout() {
        TransitionCosts campaign = TransitionCosts.of(Kind.CAMPAIGN, Layout.SHARDED);
        // a campaign view is just under 1 KB; FAILED adds the error and the failure keys: 2 units
        assertThat(campaign.viewBytes()).isBetween(900L, 1024L);
        assertThat(campaign.units(Transition.CREATE, Store.MARKETING_INDEX)).isEqualTo(1);
        assertThat(campaign.units(Transition.FAIL, Store.FAILURES_INDEX)).isEqualTo(2);
        // a create: claim and item in one transaction, each write counted twice
        assertThat(campaign.units(Transition.CREATE, Store.COMMANDS)).isEqualTo(2 * (1 + 1));
        assertThat(campaign.streamRecords(Transition.CREATE)).isEqualTo(2);
        // a transactional push carries no marketing_id: marketing-index never sees it
        assertThat(TransitionCosts.of(Kind.TRANSACTIONAL, Layout.SHARDED).units(Transition.DELIVER, Store.MARKETING_INDEX))
                .isZero();
        // the old layout keys the campaign by marketing_id and every failure under FAILED
        assertThat(Layout.UNSHARDED.view(Samples.failed(Kind.CAMPAIGN), 2, null))
                .containsEntry(Attr.FAILURE_STATUS, AttributeValue.fromS("FAILED")).doesNotContainKey(Attr.MARKETING_SHARD);
        assertThat(Layout.UNSHARDED.marketingKey("c", "sk")).isEqualTo("c");
        assertThat(Layout.SHARDED.marketingKey("c", "000000000000001#t"))
                .isEqualTo("c#" + ViewShards.shardOf("000000000000001#t", ViewShards.MARKETING_SHARDS));
    }

    // ---- the simulation -----------------------------------------------------------------------------

    /** Every background notification in one campaign, to one user; no failures, retries or deletes. */
    private static Mix oneKey() {
        return new Mix(0, 0, 0, 0, Map.of(), 30, 1.0, 1, 1.0, 1, 0.8, 1);
    }

    @Test
    void aSecondsUnitsAreTheSumOfItsCommandsOnTheKeysTheyWrite() {
        Map<Kind, TransitionCosts> costs = costs(Layout.UNSHARDED);
        Scenario s = new Scenario("tiny", "10 a second, 3 seconds", 3, 10, 0, 0, 0, 0);

        Simulation.Result r = new Simulation(oneKey(), 1).run(s, Layout.UNSHARDED, costs);

        TransitionCosts c = costs.get(Kind.CAMPAIGN);
        for (Store store : Store.values()) {
            double perNotification = c.units(Transition.CREATE, store) + c.units(Transition.DELIVER, store);
            assertThat(r.stores().get(store).peakUnitsPerSecond()).as(store.name()).isEqualTo(10 * perNotification);
            assertThat(r.stores().get(store).meanUnitsPerSecond()).as(store.name()).isEqualTo(10 * perNotification);
        }
        Simulation.StoreLoad marketing = r.stores().get(Store.MARKETING_INDEX);
        assertThat(marketing.hottestKey()).isEqualTo("bg-campaign-0");
        assertThat(marketing.hottestKeyPeak()).isEqualTo(10.0 * (c.units(Transition.CREATE, Store.MARKETING_INDEX)
                + c.units(Transition.DELIVER, Store.MARKETING_INDEX)));
        assertThat(r.stores().get(Store.VIEWS).hottestKey()).isEqualTo("user-0");
        assertThat(r.notifications()).isEqualTo(30);
    }

    @Test
    void shardingSpreadsTheSameUnitsOverTheShards() {
        Scenario s = new Scenario("one-second", "2,000 a second", 1, 2_000, 0, 0, 0, 0);
        Simulation.Result before = new Simulation(oneKey(), 1).run(s, Layout.UNSHARDED, costs(Layout.UNSHARDED));
        Simulation.Result after = new Simulation(oneKey(), 1).run(s, Layout.SHARDED, costs(Layout.SHARDED));

        double total = before.stores().get(Store.MARKETING_INDEX).peakUnitsPerSecond();
        assertThat(before.stores().get(Store.MARKETING_INDEX).hottestKeyPeak()).isEqualTo(total);
        assertThat(after.stores().get(Store.MARKETING_INDEX).peakUnitsPerSecond()).isEqualTo(total);
        // 16 shards: the hottest holds about a 16th (the hash's spread: within a third of it)
        assertThat(after.stores().get(Store.MARKETING_INDEX).hottestKeyPeak())
                .isBetween(total / ViewShards.MARKETING_SHARDS, total / ViewShards.MARKETING_SHARDS * 1.34);
        assertThat(after.stores().get(Store.MARKETING_INDEX).hottestKey()).startsWith("bg-campaign-0#");
        assertThat(before.stores().get(Store.MARKETING_INDEX).secondsOverLimit()).isEqualTo(total > 1_000 ? 1 : 0);
    }

    @Test
    void aCampaignSendsAtAnEvenPaceAndItsStatusChangesFollow() {
        Mix mix = new Mix(0, 0, 0, 0, Map.of(), 30, 0, 1, 1.0, 1, 0.8, 2);
        Scenario s = new Scenario("campaign", "100 users in 10 s", 14, 0, 0, 100, 10, 0);
        Map<Kind, TransitionCosts> costs = costs(Layout.UNSHARDED);
        TransitionCosts c = costs.get(Kind.CAMPAIGN);
        long create = c.units(Transition.CREATE, Store.MARKETING_INDEX);
        long deliver = c.units(Transition.DELIVER, Store.MARKETING_INDEX);

        Simulation.Result r = new Simulation(mix, 1).run(s, Layout.UNSHARDED, costs);

        // seconds 0..9: 10 sends; from second 2 on 10 changes (delay 1..2 s, evenly); 10 and 11 only changes
        assertThat(r.notifications()).isEqualTo(100);
        assertThat(r.stores().get(Store.MARKETING_INDEX).peakUnitsPerSecond()).isEqualTo(10.0 * (create + deliver));
        double total = 100.0 * (create + deliver);
        assertThat(r.stores().get(Store.MARKETING_INDEX).meanUnitsPerSecond() * 14).isCloseTo(total, within(1e-9));
    }

    private static Map<Kind, TransitionCosts> costs(Layout layout) {
        Map<Kind, TransitionCosts> costs = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            costs.put(k, TransitionCosts.of(k, layout));
        }
        return costs;
    }

    // ---- capacity and cost --------------------------------------------------------------------------

    @Test
    void capacityIsTheMixTimesTheUnitsAndCostIsUnitsTimesPrices() {
        Mix mix = new Mix(0, 0, 0, 0, Map.of(), 30, 1.0, 1, 1.0, 1, 0.8, 1);
        Map<Kind, TransitionCosts> costs = costs(Layout.SHARDED);
        Prices prices = new Prices(1, 1, 0, 0, 0, 0, 0, 0, 0);
        Capacity.Functions fns = new Capacity.Functions(1024, 512, 1024, 1024, 0, 0, 0, 0, 0, 100, 0);

        Capacity.AtRate r = new Capacity(mix, costs, prices, fns).at(1_000);

        TransitionCosts c = costs.get(Kind.CAMPAIGN);
        double units = 0;
        for (Store store : Store.values()) {
            double expected = 1_000.0 * (c.units(Transition.CREATE, store) + c.units(Transition.DELIVER, store));
            assertThat(r.writeUnitsPerSecond().get(store)).as(store.name()).isEqualTo(expected);
            units += expected;
        }
        assertThat(r.commandsPerSecond()).isEqualTo(2_000);
        assertThat(r.streamRecordsPerSecond()).isEqualTo(3_000); // a create's item and claim, a change
        double reads = 1_000.0 * (c.commandReadUnits(Transition.CREATE) + c.commandReadUnits(Transition.DELIVER));
        // $1 per million units of either kind, nothing else: the cost is the units
        assertThat(r.costPerSecond().get("dynamodb_writes")).isCloseTo(units / 1e6, within(1e-12));
        assertThat(r.costPerSecond().get("dynamodb_reads")).isCloseTo(reads / 1e6, within(1e-12));
        assertThat(r.costPerMillionCommands()).isCloseTo((units + reads) / 2_000, within(1e-9));
        // shards: command-records' write units over 1,000, at least 4
        assertThat(r.streamShards()).isEqualTo((int) Math.max(4, Math.ceil(r.writeUnitsPerSecond().get(Store.COMMANDS) / 1_000)));
    }

    @Test
    void aShardedQueryReadsEveryShardForItsShareOfThePage() {
        // 16 shards, a page of 31: each read asks for 3 items of 1,000 bytes (under 4 KB): 16 half units
        assertThat(Capacity.sharded(16, 31, 1_000)).isEqualTo(8.0);
        assertThat(Capacity.sharded(8, 31, 1_000)).isEqualTo(8 * 1.0); // 5 items, 5,000 bytes: two blocks
    }

    // ---- the command ------------------------------------------------------------------------------

    @Test
    void theCommandExplainsItselfAndRefusesABadDate(@TempDir Path dir) {
        Cli.Result help = Cli.run(Map.of(), "scale-model", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--out-dir").contains("--seed").contains("1M-user campaign");

        Cli.Result bad = Cli.run(Map.of(), "scale-model", "--out-dir", dir.toString(), "--date", "05.12.2026");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--date must be YYYY-MM-DD");
    }

    @Test
    void theModelWritesItsResultAsJsonAndMarkdown() {
        Mix mix = Mix.standard();
        ScaleModel model = new ScaleModel(mix, Prices.usEast1(), Capacity.Functions.template(), 3)
                .run(List.of(new Scenario("small", "a small campaign", 5, 100, 0.02, 1_000, 3, 0.05)), line -> { });

        JsonNode json = Json.readTree(Json.write(model.toJson("2026-12-05", "cmd")));
        assertThat(json.at("/capacity").size()).isEqualTo(3);
        assertThat(json.at("/scenarios/0/UNSHARDED/marketing-index/hottest_key").asText()).isEqualTo("campaign-1M");
        assertThat(json.at("/scenarios/0/SHARDED/marketing-index/hottest_key").asText()).startsWith("campaign-1M#");
        assertThat(json.at("/price_sources/dynamodb_on_demand").asText()).contains("aws.amazon.com/dynamodb/pricing");
        assertThat(model.toMarkdown("2026-12-05", "cmd", "x.json")).contains("| small | marketing-index | campaign-1M |");
    }
}
