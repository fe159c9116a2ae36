package io.pushcqrs.queryresult.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pushcqrs.queryresult.Views.item;
import static io.pushcqrs.queryresult.Views.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write-sharded queries (a campaign, the failures): the merge of the shards, their cursor, its bounds. */
class ShardedQueryTest {
    private final CursorCodec codec = new CursorCodec("test-secret".getBytes(StandardCharsets.UTF_8));
    private final InMemoryViewQueries store = new InMemoryViewQueries();
    private final QueryService service = new QueryService(store, codec);

    private static int shardOf(long createdAt, String tx, int shards) {
        return ViewShards.shardOf(ViewKeys.viewSk(createdAt, tx), shards);
    }

    /** A campaign of n sends, at the given times (i -> created_at), to 37 users. */
    private void campaign(String id, int n, java.util.function.IntToLongFunction time) {
        for (int i = 0; i < n; i++) {
            store.add(item(notification("u" + (i % 37), time.applyAsLong(i), "tx-" + id + "-" + i).marketingId(id)));
        }
    }

    // ---- the merge --------------------------------------------------------------------------------

    @Test
    void theCampaignIsSpreadOverItsShardsAndMergedNewestFirst() {
        campaign("m1", 200, i -> 10_000 + i);
        Set<Integer> shards = new HashSet<>();
        store.items.forEach(i -> shards.add(Integer.parseInt(i.get(Attr.MARKETING_SHARD).s().replace("m1#", ""))));
        assertThat(shards).as("the 200 sends use every shard").hasSize(ViewShards.MARKETING_SHARDS);

        QueryPage page = service.query(QueryRequest.marketing("m1", 100, null));

        assertThat(page.items()).extracting(v -> v.notification().createdAt())
                .containsExactlyElementsOf(range(10_199, 10_100));
        assertThat(page.nextCursor()).isNotNull();
    }

    @Test
    void equalAndInterleavedTimesAcrossShardsKeepIndexOrderAndEveryItemOnce() {
        // 40 sends in the same millisecond (ordered by transaction_id within it), 40 interleaved around it
        campaign("m1", 40, i -> 50_000);
        for (int i = 0; i < 40; i++) {
            long t = i % 2 == 0 ? 49_990 + i : 50_010 + i;
            store.add(item(notification("v" + i, t, "tx-late-" + i).marketingId("m1")));
        }
        List<Map<String, AttributeValue>> expected = new ArrayList<>(store.items);
        expected.sort((a, b) -> ViewIndex.MARKETING.compare(b, a));

        for (int limit : new int[]{1, 3, 7, 30, 100}) {
            List<NotificationView> all = pages(QueryRequest.marketing("m1", limit, null)).stream()
                    .flatMap(p -> p.items().stream()).toList();
            assertThat(all).as("limit %d", limit).extracting(v -> v.viewSk())
                    .containsExactlyElementsOf(expected.stream().map(i -> i.get(Attr.VIEW_SK).s()).toList());
        }
    }

    @Test
    void failuresOfTheSameSortKeyOnDifferentShardsAreEachReturnedOnce() {
        // one transaction, 24 items failed in the same millisecond: equal failure_sk on several shards
        for (int i = 0; i < 24; i++) {
            store.add(item(notification("u" + i, 1_000 + i, "tx-same").status(Status.FAILED).failedTs(9_000L)));
        }
        Set<String> shards = store.items.stream().map(i -> i.get(Attr.FAILURE_STATUS).s()).collect(Collectors.toSet());
        assertThat(shards).hasSizeGreaterThan(1);

        for (int limit = 1; limit <= 25; limit++) {
            List<QueryPage> pages = pages(QueryRequest.failures(null, limit, null));
            List<Long> created = pages.stream().flatMap(p -> p.items().stream())
                    .map(v -> v.notification().createdAt()).toList();
            assertThat(created).as("limit %d", limit).hasSize(24).doesNotHaveDuplicates();
            assertThat(pages.stream().flatMap(p -> p.items().stream()).map(v -> ViewKeys.failureSk(v.notification())))
                    .containsOnly(ViewKeys.padTime(9_000) + "#tx-same");
        }
    }

    @Test
    void pagingThroughAShardedCampaignReturnsEveryItemExactlyOnceForEveryLimit() {
        campaign("m1", 150, i -> 20_000 + (i * 7L) % 61); // times repeat: ties within and across shards
        campaign("m2", 20, i -> 20_030);                   // another campaign in the same store
        List<String> expected = store.items.stream()
                .filter(i -> i.get(Attr.MARKETING_ID).s().equals("m1"))
                .sorted((a, b) -> ViewIndex.MARKETING.compare(b, a))
                .map(i -> i.get(Attr.VIEW_SK).s()).toList();

        for (int limit = 1; limit <= 100; limit++) {
            List<QueryPage> pages = pages(QueryRequest.marketing("m1", limit, null));
            assertThat(pages.stream().flatMap(p -> p.items().stream()).map(NotificationView::viewSk))
                    .as("limit %d", limit).containsExactlyElementsOf(expected);
            int full = 150 / limit;
            assertThat(pages).as("limit %d: full pages, then the rest without a cursor", limit)
                    .hasSize(150 % limit == 0 ? full : full + 1);
            for (QueryPage p : pages) {
                assertThat(p.rounds()).isLessThanOrEqualTo(ShardedRead.maxQueries(ViewShards.MARKETING_SHARDS));
            }
        }
    }

    // ---- the cursor -------------------------------------------------------------------------------

    @Test
    void aCursorResumesEveryShardRightAfterTheLastItemTakenFromIt() {
        campaign("m1", 60, i -> 30_000 + i);
        QueryPage first = service.query(QueryRequest.marketing("m1", 25, null));
        List<NotificationView> taken = first.items();
        store.calls.clear();

        service.query(QueryRequest.marketing("m1", 25, first.nextCursor()));

        // the first read of each shard on the second page starts right after the last item taken from that shard
        for (int k = 0; k < ViewShards.MARKETING_SHARDS; k++) {
            int shard = k;
            ViewQuery read = store.calls.stream().filter(q -> q.partitionValue().equals("m1#" + shard)).findFirst()
                    .orElse(null);
            List<NotificationView> fromShard = taken.stream().filter(v -> shardOf(v.notification().createdAt(),
                    v.notification().transactionId(), ViewShards.MARKETING_SHARDS) == shard).toList();
            long inShard = store.items.stream().filter(i -> i.get(Attr.MARKETING_SHARD).s().equals("m1#" + shard)).count();
            if (read == null) {
                assertThat(fromShard).as("shard %d is not read again only when the first page took all of it", k)
                        .hasSize((int) inShard);
            } else if (fromShard.isEmpty()) {
                assertThat(read.startKey()).as("shard %d: nothing taken yet", k).isNull();
            } else {
                NotificationView last = fromShard.get(fromShard.size() - 1);
                assertThat(read.startKey()).as("shard %d", k).isEqualTo(Map.of(
                        Attr.MARKETING_SHARD, AttributeValue.fromS("m1#" + k),
                        Attr.VIEW_SK, AttributeValue.fromS(last.viewSk()),
                        Attr.USER_ID, AttributeValue.fromS(last.notification().userId())));
            }
        }
        assertThat(store.calls).as("the second page reads every shard that has more").isNotEmpty();
    }

    @Test
    void aCursorFromAnEarlierPageStillResumesAllShardsThere() {
        campaign("m1", 90, i -> 40_000 + i);
        List<QueryPage> pages = pages(QueryRequest.marketing("m1", 20, null));
        String early = pages.get(1).nextCursor();
        // newer sends arrive after the cursor was issued: they are in front of it, not behind
        for (int i = 0; i < 10; i++) {
            store.add(item(notification("late" + i, 99_000 + i, "tx-late-" + i).marketingId("m1")));
        }

        List<QueryPage> again = new ArrayList<>();
        String cursor = early;
        while (cursor != null) {
            QueryPage p = service.query(QueryRequest.marketing("m1", 20, cursor));
            again.add(p);
            cursor = p.nextCursor();
        }

        assertThat(again.stream().flatMap(p -> p.items().stream()).map(v -> v.notification().createdAt()))
                .containsExactlyElementsOf(range(40_049, 40_000));
    }

    @Test
    void theLastPageOfAShardedQueryHasNoCursor() {
        campaign("m1", 32, i -> 1_000 + i);

        List<QueryPage> pages = pages(QueryRequest.marketing("m1", 16, null));

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(16, 16);
        assertThat(pages.get(1).nextCursor()).isNull();
        assertThat(service.query(QueryRequest.marketing("nobody", null, null)).nextCursor()).isNull();
    }

    @Test
    void doneShardsAreNotReadAgain() {
        store.add(item(notification("u1", 5, "only-one").marketingId("m1")));
        campaign("m1", 30, i -> 1_000 + i);
        int shardOfOldest = shardOf(5, "only-one", ViewShards.MARKETING_SHARDS);
        QueryPage first = service.query(QueryRequest.marketing("m1", 29, null));
        store.calls.clear();

        QueryPage last = service.query(QueryRequest.marketing("m1", 29, first.nextCursor()));

        assertThat(last.items()).hasSize(2);
        assertThat(store.calls).as("only shards that may hold more are read")
                .hasSizeLessThan(ViewShards.MARKETING_SHARDS)
                .anySatisfy(q -> assertThat(q.partitionValue()).isEqualTo("m1#" + shardOfOldest));
    }

    @Test
    void aForgedPerShardKeyIsRefusedBeforeAnyRead() {
        campaign("m1", 40, i -> 1_000 + i);
        QueryRequest request = QueryRequest.marketing("m1", 10, null);
        String genuine = service.query(request).nextCursor();
        ObjectNode payload = (ObjectNode) payload(genuine);
        store.calls.clear();

        // 1. altered without the key: the signature no longer matches
        ObjectNode altered = payload.deepCopy();
        ((ArrayNode) altered.get("s")).set(3, Json.MAPPER.createArrayNode().add(ViewKeys.viewSk(999_999, "x")).add("u1"));
        assertRefused(request, unsigned(altered, genuine), "cursor is invalid");
        // 2. signed, but a shard positioned at a view of another shard
        String elsewhere = ViewKeys.viewSk(1_000, "tx-elsewhere");
        int wrong = (ViewShards.shardOf(elsewhere, ViewShards.MARKETING_SHARDS) + 1) % ViewShards.MARKETING_SHARDS;
        List<ShardPosition> positions = new ArrayList<>(java.util.Collections.nCopies(ViewShards.MARKETING_SHARDS, ShardPosition.TOP));
        positions.set(wrong, ShardPosition.after(Map.of(Attr.MARKETING_SHARD, AttributeValue.fromS("m1#" + wrong),
                Attr.VIEW_SK, AttributeValue.fromS(elsewhere), Attr.USER_ID, AttributeValue.fromS("u1"))));
        assertRefused(request, codec.encode(QueryService.fingerprint(request), ViewIndex.MARKETING, positions),
                "cursor is invalid");
        // 3. signed, one shard too few / a shard with a missing attribute / a number / an empty id
        ArrayNode shards = (ArrayNode) payload.get("s");
        ObjectNode fewer = payload.deepCopy();
        ((ArrayNode) fewer.get("s")).remove(0);
        assertRefused(request, signed(fewer), "cursor is invalid");
        for (JsonNode bad : List.<JsonNode>of(Json.MAPPER.createArrayNode().add("x"),
                Json.MAPPER.createArrayNode().add(1).add("u"), Json.MAPPER.createArrayNode().add("").add("u"),
                Json.MAPPER.getNodeFactory().booleanNode(true), Json.MAPPER.getNodeFactory().numberNode(0),
                Json.MAPPER.createObjectNode())) {
            ObjectNode b = payload.deepCopy();
            ((ArrayNode) b.get("s")).set(shards.size() - 1, bad);
            assertRefused(request, signed(b), "cursor is invalid");
        }
        // 4. a genuine cursor of another campaign, or of the failures
        assertRefused(QueryRequest.marketing("m2", 10, null), genuine, "cursor belongs to another query");
        assertRefused(QueryRequest.failures(null, 10, null), genuine, "cursor belongs to another query");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void aSingleKeyCursorOfTheSameQueryIsNotASharedOne() {
        // what the campaign query issued before its index was sharded: {"v":1,...,"k":{marketing_id, view_sk, user_id}}
        QueryRequest request = QueryRequest.marketing("m1", 10, null);
        String old = codec.encode(QueryService.fingerprint(request), Map.of(Attr.MARKETING_ID, AttributeValue.fromS("m1"),
                Attr.VIEW_SK, AttributeValue.fromS(ViewKeys.viewSk(1, "t")), Attr.USER_ID, AttributeValue.fromS("u")));

        assertRefused(request, old, "cursor is invalid");
    }

    @Test
    void theLongestShardedCursorFitsTheCursorLimitAndAnApiUrl() {
        String id128 = "i".repeat(128);
        List<ShardPosition> marketing = new ArrayList<>();
        for (int k = 0; k < ViewShards.MARKETING_SHARDS; k++) {
            marketing.add(ShardPosition.after(Map.of(Attr.MARKETING_SHARD, AttributeValue.fromS(id128 + "#" + k),
                    Attr.VIEW_SK, AttributeValue.fromS(ViewKeys.viewSk(ViewKeys.MAX_TIME, id128)),
                    Attr.USER_ID, AttributeValue.fromS(id128))));
        }
        List<ShardPosition> failures = new ArrayList<>();
        for (int k = 0; k < ViewShards.FAILURE_SHARDS; k++) {
            failures.add(ShardPosition.after(Map.of(Attr.FAILURE_STATUS, AttributeValue.fromS("FAILED#" + k),
                    Attr.FAILURE_SK, AttributeValue.fromS(ViewKeys.viewSk(ViewKeys.MAX_TIME, id128)),
                    Attr.VIEW_SK, AttributeValue.fromS(ViewKeys.viewSk(ViewKeys.MAX_TIME, id128)),
                    Attr.USER_ID, AttributeValue.fromS(id128))));
        }
        String fp = QueryService.fingerprint(QueryRequest.marketing(id128, null, null));
        String longest = codec.encode(fp, ViewIndex.MARKETING, marketing);
        String failuresCursor = codec.encode(fp, ViewIndex.FAILURES, failures);

        assertThat(longest.length()).isLessThanOrEqualTo(CursorCodec.MAX_LENGTH);
        assertThat(failuresCursor.length()).isLessThanOrEqualTo(CursorCodec.MAX_LENGTH);
        String url = "https://abcdefghij.execute-api.eu-central-1.amazonaws.com/prod/query/marketing?marketing_id="
                + id128 + "&limit=100&cursor=" + longest;
        assertThat(url.length()).as("a regional REST API takes URLs of up to 10,240 characters").isLessThan(10_240);
        assertThat(codec.decode(longest, fp, ViewIndex.MARKETING, ViewShards.marketingPartitions(id128))).isEqualTo(marketing);
    }

    // ---- bounds -----------------------------------------------------------------------------------

    @Test
    void aShardedPageEndsAtTheBudgetAndResumesThere() {
        for (int i = 0; i < 30; i++) {
            store.add(QueryServiceTest.big("u" + i, 10_000 + i, "tx-" + i, "\"", 300_000));
            store.items.get(i).put(Attr.MARKETING_ID, AttributeValue.fromS("m1"));
            store.items.get(i).put(Attr.MARKETING_SHARD, AttributeValue.fromS(
                    ViewShards.marketingPartition("m1", ViewKeys.viewSk(10_000 + i, "tx-" + i))));
        }

        List<QueryPage> pages = pages(QueryRequest.marketing("m1", 100, null));

        assertThat(pages.get(0).cutBySize()).isTrue();
        assertThat(pages).allSatisfy(p -> assertThat(p.bytes()).isLessThanOrEqualTo(PageBudget.DEFAULT_BUDGET));
        assertThat(pages.stream().flatMap(p -> p.items().stream()).map(v -> v.notification().createdAt()))
                .containsExactlyElementsOf(range(10_029, 10_000));
    }

    @Test
    void theQueriesOfAShardedPageAreBoundedAndTheShortPageCarriesACursor() {
        // a store that never ends: every read returns nothing but a LastEvaluatedKey
        List<ViewQuery> calls = new ArrayList<>();
        QueryService endless = new QueryService(q -> {
            calls.add(q);
            Map<String, AttributeValue> lek = new HashMap<>();
            lek.put(Attr.FAILURE_STATUS, AttributeValue.fromS(q.partitionValue()));
            lek.put(Attr.FAILURE_SK, AttributeValue.fromS("x"));
            lek.put(Attr.USER_ID, AttributeValue.fromS("u"));
            lek.put(Attr.VIEW_SK, AttributeValue.fromS("v"));
            return new RawPage(List.of(), lek);
        }, codec);

        QueryPage page = endless.query(QueryRequest.failures(null, 10, null));

        assertThat(calls).hasSize(ShardedRead.maxQueries(ViewShards.FAILURE_SHARDS));
        assertThat(page.rounds()).isEqualTo(calls.size());
        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNotNull();
    }

    @Test
    void anUnreadableViewInAShardIsReportedAndPassed() {
        campaign("m1", 10, i -> 1_000 + i);
        store.items.get(4).put(Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"));

        List<QueryPage> pages = pages(QueryRequest.marketing("m1", 3, null));

        assertThat(pages.stream().flatMap(p -> p.items().stream())).hasSize(9);
        assertThat(pages.stream().flatMap(p -> p.skipped().stream())).singleElement()
                .satisfies(s -> assertThat(s.viewSk()).isEqualTo(ViewKeys.viewSk(1_004, "tx-m1-4")));
    }

    @Test
    void aFailingShardFailsThePage() {
        QueryService failing = new QueryService(q -> {
            if (q.partitionValue().equals("FAILED#5")) {
                throw new io.pushcqrs.model.error.UnavailableException("throttled", null);
            }
            return new RawPage(List.of(), null);
        }, codec);

        assertThatThrownBy(() -> failing.query(QueryRequest.failures(null, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static List<Long> range(long from, long downTo) {
        List<Long> out = new ArrayList<>();
        for (long t = from; t >= downTo; t--) {
            out.add(t);
        }
        return out;
    }

    private List<QueryPage> pages(QueryRequest first) {
        List<QueryPage> pages = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            QueryPage page = service.query(new QueryRequest(first.type(), first.userId(), first.marketingId(),
                    first.transactionId(), first.snsId(), first.from(), first.to(), first.limit(), cursor));
            pages.add(page);
            cursor = page.nextCursor();
            assertThat(cursor == null || cursors.add(cursor)).as("cursor repeats").isTrue();
            assertThat(pages).as("runaway paging").hasSizeLessThan(400);
        } while (cursor != null);
        return pages;
    }

    private void assertRefused(QueryRequest request, String cursor, String message) {
        QueryRequest withCursor = new QueryRequest(request.type(), request.userId(), request.marketingId(),
                request.transactionId(), request.snsId(), request.from(), request.to(), request.limit(), cursor);
        assertThatThrownBy(() -> service.query(withCursor))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private static JsonNode payload(String cursor) {
        return Json.readTree(new String(Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))),
                StandardCharsets.UTF_8));
    }

    /** The payload with the signature of another cursor: what someone without the key can make. */
    private static String unsigned(JsonNode payload, String signedCursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8))
                + signedCursor.substring(signedCursor.indexOf('.'));
    }

    /** The payload signed with the test key: what only a holder of the key can make. */
    private static String signed(JsonNode payload) {
        try {
            String body = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec("test-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return body + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
