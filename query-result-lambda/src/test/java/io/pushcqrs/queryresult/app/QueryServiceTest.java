package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.queryresult.ProxyResponses;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.pushcqrs.queryresult.Views.item;
import static io.pushcqrs.queryresult.Views.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryServiceTest {
    private final CursorCodec codec = new CursorCodec("test-secret".getBytes(StandardCharsets.UTF_8));
    private final InMemoryViewQueries store = new InMemoryViewQueries();
    private final QueryService service = new QueryService(store, codec);

    // ---- planning: one Query per type on the right table or index --------------------------------

    @Test
    void userQueryReadsTheTableNewestFirstWithTheDefaultLimit() {
        service.query(QueryRequest.user("u1", null, null, null, null));

        assertThat(store.calls).singleElement().isEqualTo(
                new ViewQuery(ViewIndex.TABLE, "u1", null, null, false, 31, null));
    }

    @Test
    void userQueryBoundsTheViewSortKeyInclusively() {
        service.query(QueryRequest.user("u1", 100L, 200L, 5, null));
        service.query(QueryRequest.user("u1", 100L, null, 5, null));
        service.query(QueryRequest.user("u1", null, 200L, 5, null));

        assertThat(store.calls).extracting(ViewQuery::sortFrom, ViewQuery::sortTo).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ViewKeys.viewSkLowerBound(100), ViewKeys.viewSkUpperBound(200)),
                org.assertj.core.groups.Tuple.tuple(ViewKeys.viewSkLowerBound(100), null),
                org.assertj.core.groups.Tuple.tuple(null, ViewKeys.viewSkUpperBound(200)));
        assertThat(store.calls).allSatisfy(q -> assertThat(q.limit()).isEqualTo(6));
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of(QueryRequest.transaction("t1", 1, null), ViewIndex.TRANSACTION, "t1", false, 2),
                Arguments.of(QueryRequest.sns("s1", 100, null), ViewIndex.SNS, "s1", false, 101),
                Arguments.of(QueryRequest.failures("t1", 20, null), ViewIndex.TRANSACTION, "t1", true,
                        QueryService.FILTERED_ROUND_LIMIT));
    }

    static Stream<Arguments> shardedPlans() {
        // ceil((limit + 1) / shards) + 1 items from every shard, shard 0 first
        return Stream.of(
                Arguments.of(QueryRequest.marketing("m1", 10, null), ViewIndex.MARKETING,
                        ViewShards.marketingPartitions("m1"), 2),
                Arguments.of(QueryRequest.marketing("m1", 100, null), ViewIndex.MARKETING,
                        ViewShards.marketingPartitions("m1"), 8),
                Arguments.of(QueryRequest.failures(null, null, null), ViewIndex.FAILURES,
                        ViewShards.failurePartitions(), 5));
    }

    @ParameterizedTest
    @MethodSource("shardedPlans")
    void shardedTypesReadEveryShardOfTheirIndex(QueryRequest request, ViewIndex index, List<String> partitions, int limit) {
        service.query(request);

        assertThat(store.calls).containsExactlyElementsOf(partitions.stream()
                .map(p -> new ViewQuery(index, p, null, null, false, limit, null)).toList());
    }

    @ParameterizedTest
    @MethodSource("plans")
    void eachTypeReadsItsIndex(QueryRequest request, ViewIndex index, String partition, boolean failedOnly, int limit) {
        service.query(request);

        assertThat(store.calls).singleElement()
                .isEqualTo(new ViewQuery(index, partition, null, null, failedOnly, limit, null));
    }

    // ---- validation -----------------------------------------------------------------------------

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(null, "body: is required"),
                Arguments.of(new QueryRequest(null, "u1", null, null, null, null, null, null, null), "type: is required"),
                Arguments.of(QueryRequest.user(null, null, null, null, null), "user_id: is required"),
                Arguments.of(QueryRequest.user(" ", null, null, null, null), "user_id: is required"),
                Arguments.of(QueryRequest.marketing(null, null, null), "marketing_id: is required"),
                Arguments.of(QueryRequest.transaction(null, null, null), "transaction_id: is required"),
                Arguments.of(QueryRequest.sns(null, null, null), "sns_id: is required"),
                Arguments.of(QueryRequest.user("u1", null, null, 0, null), "limit: must be between 1 and 100"),
                Arguments.of(QueryRequest.user("u1", null, null, 101, null), "limit: must be between 1 and 100"),
                Arguments.of(QueryRequest.user("u1", 300L, 200L, null, null), "from: must not be after to"),
                Arguments.of(QueryRequest.user("u1", -1L, null, null, null), "from: must not be negative"),
                Arguments.of(QueryRequest.user("u 1", null, null, null, null), "user_id: may contain only"),
                Arguments.of(new QueryRequest(QueryType.MARKETING, null, "m1", null, null, 1L, null, null, null),
                        "from: is only supported on user queries"),
                Arguments.of(QueryRequest.user("u1", null, null, null, "x".repeat(6145)), "cursor: must be at most 6144"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequestsAreValidationErrorsAndNeverReachTheStore(QueryRequest request, String message) {
        assertThatThrownBy(() -> service.query(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).contains(message);
                });
        assertThat(store.calls).isEmpty();
    }

    // ---- pages and cursors ----------------------------------------------------------------------

    @Test
    void pagesThroughEveryItemNewestFirstWithoutGapOrRepeat() {
        for (int i = 0; i < 75; i++) {
            store.add(item(notification("u1", 1_000 + i, "tx-" + i)));
        }
        store.add(item(notification("u2", 5_000, "other-user")));

        List<QueryPage> pages = allPages(QueryRequest.user("u1", null, null, 20, null));

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(20, 20, 20, 15);
        assertThat(pages.get(3).nextCursor()).isNull();
        List<Long> times = pages.stream().flatMap(p -> p.items().stream()).map(v -> v.notification().createdAt()).toList();
        assertThat(times).hasSize(75).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(times.get(0)).isEqualTo(1_074);
        assertThat(times.get(74)).isEqualTo(1_000);
    }

    @Test
    void theLastPageHasNoCursorEvenWhenItIsExactlyFull() {
        for (int i = 0; i < 40; i++) {
            store.add(item(notification("u1", 1_000 + i, "tx-" + i)));
        }

        List<QueryPage> pages = allPages(QueryRequest.user("u1", null, null, 20, null));

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(20, 20);
        assertThat(pages.get(0).nextCursor()).isNotNull();
        assertThat(pages.get(1).nextCursor()).isNull();
    }

    @Test
    void anEmptyResultIsOnePageWithoutCursor() {
        QueryPage page = service.query(QueryRequest.sns("nobody", null, null));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNull();
        assertThat(page.rounds()).isEqualTo(1);
    }

    @Test
    void theNextPageStartsRightAfterTheLastItemOfThisOne() {
        for (int i = 0; i < 5; i++) {
            store.add(item(notification("u1", 1_000 + i, "tx-" + i)));
        }

        QueryPage first = service.query(QueryRequest.user("u1", null, null, 2, null));
        service.query(QueryRequest.user("u1", null, null, 2, first.nextCursor()));

        assertThat(store.calls.get(1).startKey()).isEqualTo(Map.of(
                Attr.USER_ID, AttributeValue.fromS("u1"),
                Attr.VIEW_SK, AttributeValue.fromS(ViewKeys.viewSk(1_003, "tx-3"))));
    }

    @Test
    void theLimitMayChangeBetweenPages() {
        for (int i = 0; i < 10; i++) {
            store.add(item(notification("u1", 1_000 + i, "tx-" + i)));
        }
        QueryPage first = service.query(QueryRequest.user("u1", null, null, 3, null));
        QueryPage second = service.query(QueryRequest.user("u1", null, null, 7, first.nextCursor()));

        assertThat(second.items()).extracting(v -> v.notification().createdAt())
                .containsExactly(1_006L, 1_005L, 1_004L, 1_003L, 1_002L, 1_001L, 1_000L);
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aFilteredQueryReadsOnUntilThePageIsFull() {
        // 250 records of one transaction, every tenth FAILED: a round of 100 evaluated items holds 10 failures.
        for (int i = 0; i < 250; i++) {
            store.add(item(notification("u" + (i % 7), 10_000 + i, "tx-1").status(i % 10 == 0 ? Status.FAILED : Status.SENT)));
        }

        List<QueryPage> pages = allPages(QueryRequest.failures("tx-1", 12, null));

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(12, 12, 1);
        List<NotificationView> all = pages.stream().flatMap(p -> p.items().stream()).toList();
        assertThat(all).allSatisfy(v -> assertThat(v.notification().status()).isEqualTo(Status.FAILED));
        assertThat(all).extracting(v -> v.notification().createdAt()).doesNotHaveDuplicates()
                .containsExactlyElementsOf(expectedFailures(250));
        assertThat(pages.get(0).rounds()).isEqualTo(2);
        assertThat(store.calls).allSatisfy(q -> assertThat(q.failedOnly()).isTrue());
    }

    private static List<Long> expectedFailures(int n) {
        List<Long> times = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            if (i % 10 == 0) {
                times.add(10_000L + i);
            }
        }
        return times;
    }

    @Test
    void aFilteredRoundWithMoreMatchesThanNeededIsCutAndResumedAtTheCut() {
        for (int i = 0; i < 30; i++) {
            store.add(item(notification("u1", 10_000 + i, "tx-1").status(i % 2 == 0 ? Status.FAILED : Status.SENT)));
        }

        List<QueryPage> pages = allPages(QueryRequest.failures("tx-1", 4, null));

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(4, 4, 4, 3);
        assertThat(pages).flatExtracting(QueryPage::items).extracting(v -> v.notification().createdAt())
                .containsExactly(10_028L, 10_026L, 10_024L, 10_022L, 10_020L, 10_018L, 10_016L, 10_014L,
                        10_012L, 10_010L, 10_008L, 10_006L, 10_004L, 10_002L, 10_000L);
    }

    @Test
    void roundsAreBoundedAndTheShortPageStillCarriesACursor() {
        Map<String, AttributeValue> lek = new HashMap<>(ViewIndex.TRANSACTION.keyOf(item(notification("u1", 5, "tx-1"))));
        List<ViewQuery> calls = new ArrayList<>();
        QueryService endless = new QueryService(q -> {
            calls.add(q);
            return new RawPage(List.of(), lek);
        }, codec);

        QueryPage page = endless.query(QueryRequest.failures("tx-1", 10, null));

        assertThat(calls).hasSize(QueryService.MAX_ROUNDS);
        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNotNull();
        assertThat(codec.decode(page.nextCursor(), QueryService.fingerprint(QueryRequest.failures("tx-1", 10, null)),
                ViewIndex.TRANSACTION.keyAttributes())).isEqualTo(lek);
    }

    @Test
    void aStoreThatStopsEarlyIsReadOnWithItsLastEvaluatedKey() {
        // DynamoDB stops at 1 MB: fewer items than asked, with a LastEvaluatedKey.
        Map<String, AttributeValue> a = item(notification("u1", 3, "a"));
        Map<String, AttributeValue> b = item(notification("u1", 2, "b"));
        Map<String, AttributeValue> c = item(notification("u1", 1, "c"));
        List<ViewQuery> calls = new ArrayList<>();
        QueryService service = new QueryService(q -> {
            calls.add(q);
            return calls.size() == 1 ? new RawPage(List.of(a), ViewIndex.TABLE.keyOf(a)) : new RawPage(List.of(b, c), null);
        }, codec);

        QueryPage page = service.query(QueryRequest.user("u1", null, null, 10, null));

        assertThat(page.items()).extracting(v -> v.notification().transactionId()).containsExactly("a", "b", "c");
        assertThat(page.nextCursor()).isNull();
        assertThat(calls.get(1).startKey()).isEqualTo(ViewIndex.TABLE.keyOf(a));
        assertThat(calls.get(1).limit()).isEqualTo(10);
    }

    @Test
    void aCursorOfAnotherQueryIsRefused() {
        for (int i = 0; i < 5; i++) {
            store.add(item(notification("u1", 1_000 + i, "tx-" + i).marketingId("m1")));
        }
        String cursor = service.query(QueryRequest.user("u1", 0L, 5_000L, 2, null)).nextCursor();
        int before = store.calls.size();

        for (QueryRequest other : List.of(
                QueryRequest.user("u2", 0L, 5_000L, 2, cursor),
                QueryRequest.user("u1", 0L, 4_000L, 2, cursor),
                QueryRequest.user("u1", null, null, 2, cursor),
                QueryRequest.marketing("m1", 2, cursor))) {
            assertThatThrownBy(() -> service.query(other))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.getMessage()).isEqualTo("cursor belongs to another query");
                    });
        }
        assertThat(store.calls).hasSize(before);
    }

    @Test
    void aForgedCursorIsRefusedBeforeAnyRead() {
        assertThatThrownBy(() -> service.query(QueryRequest.user("u1", null, null, null, "eyJ2IjoxfQ.Zm9yZ2Vk")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo("cursor is invalid");
                });
        assertThat(store.calls).isEmpty();
    }

    @Test
    void aSignedCursorWhoseKeyLeavesThePartitionIsRefused() {
        QueryRequest request = QueryRequest.user("u1", null, null, null, null);
        String cursor = codec.encode(QueryService.fingerprint(request), Map.of(
                Attr.USER_ID, AttributeValue.fromS("u2"), Attr.VIEW_SK, AttributeValue.fromS("x")));

        assertThatThrownBy(() -> service.query(QueryRequest.user("u1", null, null, null, cursor)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("cursor is invalid"));
        assertThat(store.calls).isEmpty();
    }

    @Test
    void aBlankCursorMeansTheFirstPage() {
        store.add(item(notification("u1", 1, "a")));

        QueryPage page = service.query(QueryRequest.user("u1", null, null, null, ""));

        assertThat(page.items()).hasSize(1);
        assertThat(store.calls.get(0).startKey()).isNull();
    }

    @Test
    void theFingerprintCoversTypeIdsAndRangeButNotLimitOrCursor() {
        assertThat(QueryService.fingerprint(QueryRequest.user("u1", 1L, 2L, 5, null)))
                .isEqualTo(QueryService.fingerprint(QueryRequest.user("u1", 1L, 2L, 50, "c")))
                .isNotEqualTo(QueryService.fingerprint(QueryRequest.user("u1", 1L, 3L, 5, null)))
                .isNotEqualTo(QueryService.fingerprint(QueryRequest.user("u1", null, 2L, 5, null)))
                .isNotEqualTo(QueryService.fingerprint(QueryRequest.user("u2", 1L, 2L, 5, null)));
        assertThat(QueryService.fingerprint(QueryRequest.transaction("t1", null, null)))
                .isNotEqualTo(QueryService.fingerprint(QueryRequest.failures("t1", null, null)));
    }

    // ---- mapping --------------------------------------------------------------------------------

    @Test
    void itemsAreMappedToViewsWithTheirSourceVersion() {
        store.add(item(notification("u1", 7, "tx-7").marketingId("m1").snsId("s1").retryCnt(2)));

        NotificationView view = service.query(QueryRequest.user("u1", null, null, null, null)).items().get(0);

        assertThat(view.notification()).isEqualTo(notification("u1", 7, "tx-7").marketingId("m1").snsId("s1").retryCnt(2).build());
        assertThat(view.sourceVersion()).isEqualTo(1L);
    }

    @Test
    void anUnreadableItemIsLeftOutAndReportedWithoutBreakingThePageOrTheCursor() {
        store.add(item(notification("u1", 3, "a")));
        Map<String, AttributeValue> bad = new HashMap<>(item(notification("u1", 2, "bad")));
        bad.put(Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"));
        store.add(bad);
        store.add(item(notification("u1", 1, "c")));

        QueryPage first = service.query(QueryRequest.user("u1", null, null, 2, null));
        QueryPage second = service.query(QueryRequest.user("u1", null, null, 2, first.nextCursor()));

        assertThat(first.items()).extracting(v -> v.notification().transactionId()).containsExactly("a");
        assertThat(first.skipped()).singleElement().satisfies(s -> {
            assertThat(s.userId()).isEqualTo("u1");
            assertThat(s.viewSk()).isEqualTo(ViewKeys.viewSk(2, "bad"));
            assertThat(s.reason()).contains("platform").contains("BLACKBERRY");
        });
        assertThat(second.items()).extracting(v -> v.notification().transactionId()).containsExactly("c");
        assertThat(second.skipped()).isEmpty();
    }

    // ---- store failures -------------------------------------------------------------------------

    @Test
    void anUnavailableStoreIsUnavailable() {
        QueryService down = new QueryService(q -> {
            throw new UnavailableException("the notification store is throttled", SdkClientException.create("connection refused"));
        }, codec);

        assertThatThrownBy(() -> down.query(QueryRequest.sns("s1", null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getCause()).hasMessageContaining("connection refused");
                });
    }

    // ---- tombstones ---------------------------------------------------------------------------

    @Test
    void tombstonesOnTheTableAreNeverReturnedAndThePageIsFilledPastThem() {
        for (int i = 0; i < 12; i++) {
            store.add(i % 3 == 1
                    ? Tombstones.item("u1", 1_000 + i, "tx-" + i, ViewKeys.padSequence("9" + i), 5_000)
                    : item(notification("u1", 1_000 + i, "tx-" + i)));
        }

        List<QueryPage> pages = allPages(QueryRequest.user("u1", null, null, 3, null));

        assertThat(pages).flatExtracting(QueryPage::items).extracting(v -> v.notification().transactionId())
                .containsExactly("tx-11", "tx-9", "tx-8", "tx-6", "tx-5", "tx-3", "tx-2", "tx-0");
        assertThat(pages).allSatisfy(p -> assertThat(p.skipped()).isEmpty());
    }

    // ---- pages fit Lambda's response limit ------------------------------------------------------

    /** A view of about {@code bytes} stored bytes: a payload string of one repeated character. */
    static Map<String, AttributeValue> big(String user, long createdAt, String tx, String unit, int bytes) {
        Map<String, AttributeValue> item = new HashMap<>(item(notification(user, createdAt, tx)));
        int units = bytes / unit.getBytes(StandardCharsets.UTF_8).length;
        item.put(Attr.PAYLOAD, AttributeValue.fromM(Map.of("blob", AttributeValue.fromS(unit.repeat(units)))));
        return item;
    }

    @Test
    void aPageThatWouldPassTheResponseLimitIsCutAndTheCursorReturnsTheRestExactlyOnce() {
        // 30 items of ~390 KB: plain text, quotes, control characters, emoji (the worst growth when escaped)
        String[] units = {"a", "\"", "\u0001", "\ud83d\ude00", "\u4e2d"};
        for (int i = 0; i < 30; i++) {
            store.add(big("u1", 10_000 + i, "tx-" + i, units[i % units.length], 390_000));
        }

        List<QueryPage> pages = allPages(QueryRequest.user("u1", null, null, 100, null));

        assertThat(pages.get(0).items()).hasSizeLessThan(30);
        assertThat(pages.get(0).cutBySize()).isTrue();
        assertThat(pages.get(0).nextCursor()).isNotNull();
        assertThat(pages).flatExtracting(QueryPage::items).extracting(v -> v.notification().createdAt())
                .hasSize(30).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        for (QueryPage page : pages) {
            assertThat(page.items()).isNotEmpty();
            assertThat(page.bytes()).isLessThanOrEqualTo(PageBudget.DEFAULT_BUDGET);
            int proxy = ProxyResponses.bytes(page.items(), page.nextCursor());
            assertThat(proxy).as("query-lambda's response").isLessThan(PageBudget.LAMBDA_RESPONSE_LIMIT)
                    .isLessThanOrEqualTo((int) page.bytes() + 8 * 1024);
            int answer = Json.write(QueryResponse.page(page.items(), page.nextCursor())).getBytes(StandardCharsets.UTF_8).length;
            assertThat(answer).as("query-result-lambda's answer").isLessThan(proxy);
        }
    }

    @Test
    void theCostOfAnItemBoundsItsSizeInTheProxyResponse() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab\"\\\u0000\u001f\u007f\u00e9\u4e2d\u2028\ud83d\ude00\ud800\udc00 {}[]:,";
        for (int n = 0; n < 300; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) {
                int at = random.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                sb.append(c);
                if (Character.isHighSurrogate(c) && at + 1 < alphabet.length()) {
                    sb.append(alphabet.charAt(at + 1));
                } else if (Character.isLowSurrogate(c)) {
                    sb.setLength(sb.length() - 1);
                }
            }
            NotificationView view = NotificationMapper.fromViewItem(new HashMap<>(Map.of(
                    Attr.USER_ID, AttributeValue.fromS("u1"), Attr.TRANSACTION_ID, AttributeValue.fromS("tx"),
                    Attr.CREATED_AT, AttributeValue.fromN("999999999999999"),
                    Attr.SEND_TS, AttributeValue.fromN(Long.toString(Long.MAX_VALUE)),
                    Attr.DELIVERED_TS, AttributeValue.fromN("0"), Attr.FAILED_TS, AttributeValue.fromN("1"),
                    Attr.ERROR_MSG, AttributeValue.fromS(sb.toString()),
                    Attr.SOURCE_VERSION, AttributeValue.fromN("3"))));
            int empty = ProxyResponses.bytes(List.of(), null);
            assertThat((long) ProxyResponses.bytes(List.of(view), null) - empty).as("error_msg %s", sb)
                    .isLessThanOrEqualTo(PageBudget.cost(view));
        }
    }

    @Test
    void aSingleItemOverTheBudgetStillMakesAPageSoPagingProgresses() {
        for (int i = 0; i < 3; i++) {
            store.add(big("u1", 10_000 + i, "tx-" + i, "a", 10_000));
        }
        QueryService tiny = new QueryService(store, codec, 100);

        QueryPage first = tiny.query(QueryRequest.user("u1", null, null, 10, null));
        QueryPage second = tiny.query(QueryRequest.user("u1", null, null, 10, first.nextCursor()));

        assertThat(first.items()).extracting(v -> v.notification().transactionId()).containsExactly("tx-2");
        assertThat(first.cutBySize()).isTrue();
        assertThat(second.items()).extracting(v -> v.notification().transactionId()).containsExactly("tx-1");
    }

    private List<QueryPage> allPages(QueryRequest first) {
        List<QueryPage> pages = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            QueryRequest request = new QueryRequest(first.type(), first.userId(), first.marketingId(), first.transactionId(),
                    first.snsId(), first.from(), first.to(), first.limit(), cursor);
            QueryPage page = service.query(request);
            pages.add(page);
            cursor = page.nextCursor();
            assertThat(cursor == null || cursors.add(cursor)).as("cursor repeats").isTrue();
            assertThat(pages).as("runaway paging").hasSizeLessThan(100);
        } while (cursor != null);
        return pages;
    }
}
