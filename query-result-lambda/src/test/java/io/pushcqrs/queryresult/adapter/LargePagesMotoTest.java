package io.pushcqrs.queryresult.adapter;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.queryresult.ProxyResponses;
import io.pushcqrs.queryresult.QueryResultHandler;
import io.pushcqrs.awstest.TestContext;
import io.pushcqrs.queryresult.Views;
import io.pushcqrs.queryresult.app.CursorCodec;
import io.pushcqrs.queryresult.app.PageBudget;
import io.pushcqrs.queryresult.app.QueryService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages of large items (close to DynamoDB's 400 KB item limit) through the real adapter on moto and the handler:
 * every answer stays under Lambda's 6 MB response limit, in query-result-lambda's own answer and in query-lambda's
 * proxy response built from it, and following the cursors returns every item exactly once.
 */
@Tag(Tiers.MOTO)
class LargePagesMotoTest {
    private static final String TABLE = "qr-large-" + UUID.randomUUID() + "-notification-records";
    /** Plain text, quotes, control characters, emoji, CJK: each escapes differently. */
    private static final String[] UNITS = {"a", "\"", "\u0001", "\ud83d\ude00", "\u4e2d"};
    private static final int ITEMS = 30;
    private static DynamoDbClient ddb;
    private static QueryResultHandler handler;
    private static final List<String> LOG = new ArrayList<>();

    @BeforeAll
    static void fill() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        Tables.createNotificationTable(ddb, TABLE);
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> item = new HashMap<>(Views.item(Views.notification("u-big", 10_000L + i, "big-" + i)));
            String unit = UNITS[i % UNITS.length];
            // about 395 KB stored: DynamoDB's (and moto's) limit is 400 KB per item
            String blob = unit.repeat(395_000 / unit.getBytes(StandardCharsets.UTF_8).length);
            item.put(Attr.PAYLOAD, AttributeValue.fromM(Map.of("blob", AttributeValue.fromS(blob))));
            ddb.putItem(b -> b.tableName(TABLE).item(item));
        }
        QueryService service = new QueryService(new DynamoDbViewQueries(ddb, ViewTable.withDefaultIndexes(TABLE)),
                new CursorCodec("large-pages".getBytes(StandardCharsets.UTF_8)));
        handler = new QueryResultHandler(service, Log.to(LOG::add));
    }

    @AfterAll
    static void drop() {
        ddb.deleteTable(b -> b.tableName(TABLE));
        ddb.close();
    }

    @Test
    void aLimit100PageIsCutToFitAndTheCursorReturnsTheRestExactlyOnce() {
        List<Long> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        boolean cut = false;
        do {
            byte[] answer = invoke(QueryRequest.user("u-big", null, null, 100, cursor));
            assertThat(answer.length).as("query-result-lambda's answer").isLessThan(PageBudget.LAMBDA_RESPONSE_LIMIT);
            QueryResponse page = Json.read(new String(answer, StandardCharsets.UTF_8), QueryResponse.class);
            assertThat(page.success()).isTrue();
            assertThat(page.items()).isNotEmpty();
            assertThat(ProxyResponses.bytes(page.items(), page.nextCursor())).as("query-lambda's proxy response")
                    .isLessThan(PageBudget.LAMBDA_RESPONSE_LIMIT);
            page.items().forEach(v -> seen.add(v.notification().createdAt()));
            sizes.add(page.items().size());
            for (NotificationView v : page.items()) {
                assertThat(v.notification().payload().get("blob").textValue()).hasSizeGreaterThan(90_000);
            }
            cursor = page.nextCursor();
            cut |= LOG.get(LOG.size() - 1).contains("\"cut_by_size\":true");
        } while (cursor != null && sizes.size() < 40);

        assertThat(sizes.get(0)).isLessThan(ITEMS);
        assertThat(cut).as("some page was cut by the size budget").isTrue();
        assertThat(seen).hasSize(ITEMS).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(cursor).isNull();
    }

    private static byte[] invoke(QueryRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Json.write(request).getBytes(StandardCharsets.UTF_8)), out,
                new TestContext("large-" + UUID.randomUUID()));
        JsonNode log = Json.readTree(LOG.get(LOG.size() - 1));
        assertThat(log.path("outcome").asText()).as(log.toString()).isEqualTo("OK");
        return out.toByteArray();
    }
}
