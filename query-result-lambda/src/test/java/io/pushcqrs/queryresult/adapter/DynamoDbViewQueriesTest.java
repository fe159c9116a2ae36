package io.pushcqrs.queryresult.adapter;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import io.pushcqrs.queryresult.app.CursorCodec;
import io.pushcqrs.queryresult.app.QueryPage;
import io.pushcqrs.queryresult.app.QueryService;
import io.pushcqrs.queryresult.app.RawPage;
import io.pushcqrs.queryresult.app.ViewIndex;
import io.pushcqrs.queryresult.app.ViewQuery;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.model.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.pushcqrs.queryresult.Views.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The adapter (and the service over it) against a real DynamoDB API: moto's server. */
@Tag(Tiers.MOTO)
class DynamoDbViewQueriesTest {
    private static final String TABLE = "qr-views-" + UUID.randomUUID() + "-notification-records";
    private static final List<Notification> DATA = new ArrayList<>();
    private static DynamoDbClient ddb;
    private static DynamoDbViewQueries adapter;
    private static QueryService service;

    @BeforeAll
    static void createAndFill() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        Tables.createNotificationTable(ddb, TABLE);
        // 75 records of one user, also one campaign: for paging on the table and on a GSI.
        for (int i = 0; i < 75; i++) {
            DATA.add(notification("u-page", 1_000_000 + i * 1_000L, "page-" + i).marketingId("m-page").build());
        }
        // Time range: the bounds fall on 200 and 400; two records share the millisecond 300.
        for (long t : new long[] {100, 200, 300, 400, 500}) {
            DATA.add(notification("u-range", t, "range-" + t).build());
        }
        DATA.add(notification("u-range", 300, "range-300b").build());
        // One campaign over several users; another campaign beside it.
        DATA.add(notification("u-a", 5_000, "m1-a").marketingId("m1").snsId("s1").build());
        DATA.add(notification("u-b", 7_000, "m1-b").marketingId("m1").build());
        DATA.add(notification("u-c", 6_000, "m1-c").marketingId("m1").snsId("s1").platform(Platform.ANDROID).build());
        DATA.add(notification("u-a", 8_000, "m2-a").marketingId("m2").snsId("s2").build());
        // One transaction with six records over three users: FAILED ones at 20_000, 20_300, 20_500.
        for (int i = 0; i < 6; i++) {
            boolean failed = i == 0 || i == 3 || i == 5;
            DATA.add(notification("u-tx-" + (i % 3), 20_000 + i * 100L, "tx-multi")
                    .status(failed ? Status.FAILED : Status.DELIVERED)
                    .failedTs(failed ? 90_000L - i : null).errorMsg(failed ? "token expired" : null)
                    .retryCnt(i).build());
        }
        // Failures elsewhere, failed in an order unlike their creation order.
        DATA.add(notification("u-f", 30_000, "fail-early-created").status(Status.FAILED).failedTs(99_000L).build());
        DATA.add(notification("u-f", 31_000, "fail-late-created").status(Status.FAILED).failedTs(95_000L).build());
        DATA.add(notification("u-f", 32_000, "fail-no-failed-ts").status(Status.FAILED).build());
        write(DATA);
        // u-tomb: live views with the tombstones of deleted ones between them (never in a GSI)
        for (int i = 0; i < 9; i++) {
            Notification n = notification("u-tomb", 40_000 + i, "tomb-" + i).marketingId("m-tomb").snsId("s-tomb")
                    .build();
            if (i % 3 == 1) {
                ddb.putItem(b -> b.tableName(TABLE).item(Tombstones.item("u-tomb", n.createdAt(), n.transactionId(),
                        ViewKeys.padSequence("77" + n.createdAt()), 1_700_000_000_000L)));
            } else {
                ddb.putItem(b -> b.tableName(TABLE).item(io.pushcqrs.queryresult.Views.item(n)));
            }
        }
        // u-emoji: transaction ids a foreign tool wrote, above U+FFFF in DynamoDB's byte order, at the bound of a range
        for (String tx : new String[] {"\ud83d\ude00-late", "\uffff-bmp", "plain"}) {
            ddb.putItem(b -> b.tableName(TABLE).item(io.pushcqrs.queryresult.Views.item(notification("u-emoji", 60_000, tx))));
        }
        ddb.putItem(b -> b.tableName(TABLE).item(io.pushcqrs.queryresult.Views.item(notification("u-emoji", 60_001, "next"))));

        adapter = new DynamoDbViewQueries(ddb, ViewTable.withDefaultIndexes(TABLE));
        service = new QueryService(adapter, new CursorCodec("moto-test".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void dropTable() {
        ddb.deleteTable(b -> b.tableName(TABLE));
        ddb.close();
    }

    private static void write(List<Notification> notifications) {
        List<WriteRequest> batch = new ArrayList<>();
        for (Notification n : notifications) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(io.pushcqrs.queryresult.Views.item(n)).build()).build());
            if (batch.size() == 25) {
                flush(batch);
            }
        }
        flush(batch);
    }

    private static void flush(List<WriteRequest> batch) {
        if (!batch.isEmpty()) {
            Map<String, List<WriteRequest>> unprocessed = ddb.batchWriteItem(b -> b.requestItems(Map.of(TABLE, List.copyOf(batch))))
                    .unprocessedItems();
            assertThat(unprocessed).isEmpty();
            batch.clear();
        }
    }

    // ---- each query type ------------------------------------------------------------------------

    @Test
    void userQueryReturnsTheUsersViewsNewestFirst() {
        QueryPage page = service.query(QueryRequest.user("u-range", null, null, null, null));

        assertThat(ids(page)).containsExactly("range-500", "range-400", "range-300b", "range-300", "range-200", "range-100");
        assertThat(page.nextCursor()).isNull();
        NotificationView first = page.items().get(0);
        assertThat(first.notification()).isEqualTo(find("range-500"));
        assertThat(first.sourceVersion()).isEqualTo(1L);
    }

    @Test
    void userTimeRangeBoundsAreInclusive() {
        assertThat(ids(service.query(QueryRequest.user("u-range", 200L, 400L, null, null))))
                .containsExactly("range-400", "range-300b", "range-300", "range-200");
        assertThat(ids(service.query(QueryRequest.user("u-range", 400L, null, null, null))))
                .containsExactly("range-500", "range-400");
        assertThat(ids(service.query(QueryRequest.user("u-range", null, 200L, null, null))))
                .containsExactly("range-200", "range-100");
        assertThat(ids(service.query(QueryRequest.user("u-range", 300L, 300L, null, null))))
                .containsExactly("range-300b", "range-300");
        assertThat(ids(service.query(QueryRequest.user("u-range", 301L, 399L, null, null)))).isEmpty();
    }

    @Test
    void marketingQueryReadsTheCampaignAcrossUsersNewestFirst() {
        assertThat(ids(service.query(QueryRequest.marketing("m1", null, null)))).containsExactly("m1-b", "m1-c", "m1-a");
        assertThat(ids(service.query(QueryRequest.marketing("m2", null, null)))).containsExactly("m2-a");
    }

    @Test
    void transactionQueryReadsEveryRecordOfTheTransactionNewestFirst() {
        QueryPage page = service.query(QueryRequest.transaction("tx-multi", null, null));

        assertThat(page.items()).extracting(v -> v.notification().createdAt())
                .containsExactly(20_500L, 20_400L, 20_300L, 20_200L, 20_100L, 20_000L);
        assertThat(page.items()).allSatisfy(v -> assertThat(v.notification().transactionId()).isEqualTo("tx-multi"));
    }

    @Test
    void snsQueryReadsTheSparseIndexNewestFirst() {
        assertThat(ids(service.query(QueryRequest.sns("s1", null, null)))).containsExactly("m1-c", "m1-a");
        QueryPage none = service.query(QueryRequest.sns("s-unknown", null, null));
        assertThat(none.items()).isEmpty();
        assertThat(none.nextCursor()).isNull();
    }

    @Test
    void failuresQueryReadsOnlyFailedViewsMostRecentlyFailedFirst() {
        QueryPage page = service.query(QueryRequest.failures(null, 100, null));

        List<String> expected = DATA.stream().filter(n -> n.status() == Status.FAILED)
                .sorted(Comparator.comparing((Notification n) -> ViewKeys.failureSk(n)).reversed())
                .map(DynamoDbViewQueriesTest::key).toList();
        assertThat(page.items()).extracting(v -> key(v.notification())).containsExactlyElementsOf(expected);
        assertThat(ids(page)).startsWith("fail-early-created", "fail-late-created");
        assertThat(page.items()).hasSize(6)
                .allSatisfy(v -> assertThat(v.notification().status()).isEqualTo(Status.FAILED));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void failuresOfOneTransactionAreFilteredAndStillComeInFullPages() {
        QueryPage first = service.query(QueryRequest.failures("tx-multi", 2, null));
        QueryPage second = service.query(QueryRequest.failures("tx-multi", 2, first.nextCursor()));

        assertThat(first.items()).extracting(v -> v.notification().createdAt()).containsExactly(20_500L, 20_300L);
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.items()).extracting(v -> v.notification().createdAt()).containsExactly(20_000L);
        assertThat(second.nextCursor()).isNull();
        assertThat(first.items()).allSatisfy(v -> {
            assertThat(v.notification().status()).isEqualTo(Status.FAILED);
            assertThat(v.notification().errorMsg()).isEqualTo("token expired");
        });
    }

    @Test
    void theUserQueryLeavesTombstonesOutAndTheGsisHoldNone() {
        List<QueryPage> pages = new ArrayList<>();
        String cursor = null;
        do {
            QueryPage page = service.query(QueryRequest.user("u-tomb", null, null, 2, cursor));
            pages.add(page);
            cursor = page.nextCursor();
        } while (cursor != null && pages.size() < 10);

        assertThat(pages).flatExtracting(QueryPage::items).extracting(v -> v.notification().transactionId())
                .containsExactly("tomb-8", "tomb-6", "tomb-5", "tomb-3", "tomb-2", "tomb-0");
        assertThat(pages).allSatisfy(p -> assertThat(p.skipped()).isEmpty());
        // the raw read of the table shows what the filter removed: the tombstones are there
        RawPage raw = adapter.query(new ViewQuery(ViewIndex.TABLE, "u-tomb", null, null, false, 3, null));
        assertThat(raw.items()).hasSize(2);
        assertThat(raw.lastEvaluatedKey()).isNotNull();
        // no tombstone is in any GSI: only the six live views, whatever index is read
        assertThat(ids(service.query(QueryRequest.marketing("m-tomb", 100, null)))).hasSize(6);
        assertThat(ids(service.query(QueryRequest.sns("s-tomb", 100, null)))).hasSize(6);
        assertThat(ids(service.query(QueryRequest.transaction("tomb-1", 100, null)))).isEmpty();
    }

    @Test
    void theToBoundIsExactForAnyTransactionId() {
        assertThat(ids(service.query(QueryRequest.user("u-emoji", 60_000L, 60_000L, null, null))))
                .containsExactlyInAnyOrder("\ud83d\ude00-late", "\uffff-bmp", "plain");
        assertThat(ids(service.query(QueryRequest.user("u-emoji", null, 60_000L, null, null))))
                .doesNotContain("next").contains("\ud83d\ude00-late");
        assertThat(ids(service.query(QueryRequest.user("u-emoji", 60_001L, null, null, null)))).containsExactly("next");
    }

    // ---- pagination -----------------------------------------------------------------------------

    @Test
    void pagesThroughSeventyFiveViewsOfAUserByCursor() {
        assertPagesThrough(QueryRequest.user("u-page", null, null, 20, null), n -> n.userId().equals("u-page"));
    }

    @Test
    void pagesThroughSeventyFiveViewsOfACampaignByCursor() {
        assertPagesThrough(QueryRequest.marketing("m-page", 20, null), n -> "m-page".equals(n.marketingId()));
    }

    private void assertPagesThrough(QueryRequest first, Predicate<Notification> selected) {
        List<Integer> sizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            QueryPage page = service.query(new QueryRequest(first.type(), first.userId(), first.marketingId(), null, null,
                    null, null, first.limit(), cursor));
            sizes.add(page.items().size());
            page.items().forEach(v -> seen.add(v.notification().transactionId()));
            cursor = page.nextCursor();
        } while (cursor != null && sizes.size() < 10);

        List<String> expected = DATA.stream().filter(selected)
                .sorted(Comparator.comparing(Notification::createdAt).reversed())
                .map(Notification::transactionId).toList();
        assertThat(sizes).containsExactly(20, 20, 20, 15);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    // ---- the adapter's own contract -------------------------------------------------------------

    @Test
    void lastEvaluatedKeysHoldExactlyTheKeyAttributesOfTheirIndex() {
        assertLastKey(new ViewQuery(ViewIndex.TABLE, "u-page", null, null, false, 2, null), ViewIndex.TABLE);
        assertLastKey(new ViewQuery(ViewIndex.MARKETING, fullestShard(Attr.MARKETING_SHARD), null, null, false, 2, null),
                ViewIndex.MARKETING);
        assertLastKey(new ViewQuery(ViewIndex.TRANSACTION, "tx-multi", null, null, false, 2, null), ViewIndex.TRANSACTION);
        assertLastKey(new ViewQuery(ViewIndex.SNS, "s1", null, null, false, 1, null), ViewIndex.SNS);
        assertLastKey(new ViewQuery(ViewIndex.FAILURES, fullestShard(Attr.FAILURE_STATUS), null, null, false, 1, null),
                ViewIndex.FAILURES);
    }

    /** The partition value of a sharded index that holds the most views of DATA. */
    private static String fullestShard(String attribute) {
        Map<String, Long> counts = DATA.stream().map(n -> io.pushcqrs.queryresult.Views.item(n).get(attribute))
                .filter(java.util.Objects::nonNull).map(AttributeValue::s)
                .collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    @Test
    void aShardedCampaignIsPagedThroughEveryShardExactlyOnceNewestFirst() {
        // m-shard: 48 sends, 16 of them in one millisecond, the others interleaved around it
        List<Notification> sends = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            long t = i < 16 ? 70_000 : i % 2 == 0 ? 69_900 + i : 70_100 + i;
            sends.add(notification("u-shard-" + (i % 5), t, "shard-" + i).marketingId("m-shard").build());
        }
        write(sends);
        List<String> expected = sends.stream().map(io.pushcqrs.queryresult.Views::item)
                .sorted((a, b) -> ViewIndex.MARKETING.compare(b, a)).map(i -> i.get(Attr.TRANSACTION_ID).s()).toList();
        assertThat(sends.stream().map(n -> io.pushcqrs.queryresult.Views.item(n).get(Attr.MARKETING_SHARD).s()).distinct())
                .as("the campaign is spread over its shards").hasSizeGreaterThan(8);

        for (int limit : new int[] {7, 100}) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                QueryPage page = service.query(QueryRequest.marketing("m-shard", limit, cursor));
                page.items().forEach(v -> seen.add(v.notification().transactionId()));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null && pages < 100);
            assertThat(seen).as("limit %d", limit).containsExactlyElementsOf(expected);
            assertThat(pages).as("limit %d", limit).isEqualTo((48 + limit - 1) / limit);
        }
    }

    private static void assertLastKey(ViewQuery query, ViewIndex index) {
        RawPage page = adapter.query(query);
        assertThat(page.lastEvaluatedKey()).as(index.name()).isNotNull();
        assertThat(page.lastEvaluatedKey().keySet()).as(index.name()).isEqualTo(index.keyAttributes().keySet());
        assertThat(page.lastEvaluatedKey()).isEqualTo(index.keyOf(page.items().get(page.items().size() - 1)));
    }

    @Test
    void theFilterIsAppliedAfterTheLimit() {
        RawPage page = adapter.query(new ViewQuery(ViewIndex.TRANSACTION, "tx-multi", null, null, true, 2, null));

        assertThat(page.items()).singleElement().satisfies(i -> assertThat(i.get(Attr.CREATED_AT).n()).isEqualTo("20500"));
        assertThat(page.lastEvaluatedKey()).containsEntry(Attr.CREATED_AT, AttributeValue.fromN("20400"));
    }

    @Test
    void aMissingTableIsAConfigurationFaultNamingTheActionAndTheIndex() {
        String name = "no-such-table-" + UUID.randomUUID();
        DynamoDbViewQueries missing = new DynamoDbViewQueries(ddb, ViewTable.withDefaultIndexes(name));

        AwsCallException e = catchThrowableOfType(AwsCallException.class,
                () -> missing.query(new ViewQuery(ViewIndex.SNS, "s1", null, null, false, 1, null)));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.getMessage()).startsWith("dynamodb:Query on table/" + name + "/index/sns-index failed: ResourceNotFoundException");
        assertThat(e.getCause()).isInstanceOf(ResourceNotFoundException.class);
        assertThat(e.toBody().message()).isEqualTo("internal error");
    }

    @Test
    void anUnreachableStoreIsUnavailable() {
        try (DynamoDbClient nowhere = LocalAws.dynamoDb(URI.create("http://127.0.0.1:" + MotoServer.freePort()))) {
            DynamoDbViewQueries down = new DynamoDbViewQueries(nowhere, ViewTable.withDefaultIndexes(TABLE));

            AwsCallException e = catchThrowableOfType(AwsCallException.class,
                    () -> down.query(new ViewQuery(ViewIndex.TABLE, "u1", null, null, false, 1, null)));
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
    }

    private static List<String> ids(QueryPage page) {
        return page.items().stream().map(v -> v.notification().transactionId()).toList();
    }

    private static String key(Notification n) {
        return n.transactionId() + "@" + n.createdAt();
    }

    private static Notification find(String transactionId) {
        return DATA.stream().filter(n -> n.transactionId().equals(transactionId)).findFirst().orElseThrow();
    }
}
