package io.pushcqrs.command;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.awstest.TestContext;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.command.adapter.DynamoDbCommandRepository;
import io.pushcqrs.command.app.CommandService;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole function (fixtures -> handler -> service -> DynamoDB adapter) against moto's DynamoDB. */
@Tag(Tiers.MOTO)
class CommandApiHandlerMotoTest {
    static final String TABLE = "handler-test-command-records";
    static final String TX = "tx-2024-0001";
    static final long CREATED_AT = 1_710_238_500_000L;
    static DynamoDbClient ddb;
    static CommandApiHandler handler;
    final TestContext context = new TestContext("moto-req");

    @BeforeAll
    static void setUp() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        Tables.createCommandTable(ddb, TABLE);
        handler = new CommandApiHandler(new CommandService(new DynamoDbCommandRepository(ddb, TABLE), Clock.systemUTC()));
    }

    @AfterAll
    static void tearDown() {
        ddb.deleteTable(b -> b.tableName(TABLE));
        ddb.close();
    }

    APIGatewayProxyResponseEvent call(String fixture) {
        return handler.handleRequest(EventLoader.loadApiGatewayRestEvent("events/" + fixture), context);
    }

    @Test
    void createReplayConflictPatchStaleAndDelete() {
        APIGatewayProxyResponseEvent created = call("post-commands.json");
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);

        APIGatewayProxyResponseEvent replay = call("post-commands.json");
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(Json.readTree(replay.getBody())).isEqualTo(Json.readTree(created.getBody()));

        APIGatewayProxyRequestEvent other = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
        other.setBody(other.getBody().replace("a3f5c0ffee", "another-device"));
        assertThat(handler.handleRequest(other, context).getStatusCode()).isEqualTo(409);

        APIGatewayProxyResponseEvent patched = call("patch-command.json");
        assertThat(patched.getStatusCode()).as(patched.getBody()).isEqualTo(200);
        JsonNode item = Json.readTree(patched.getBody()).get("item");
        assertThat(item.get("version").asLong()).isEqualTo(2);
        assertThat(item.get("status").asText()).isEqualTo("FAILED");
        assertThat(item.get("payload").get("deep_link").asText()).isEqualTo("app://sale");

        APIGatewayProxyResponseEvent stale = call("patch-command.json");
        assertThat(stale.getStatusCode()).isEqualTo(409);
        assertThat(stale.getBody()).contains("is 2");

        APIGatewayProxyResponseEvent deleted = call("delete-command-query.json"); // created_at + version 2
        assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(200);
        assertThat(Json.readTree(deleted.getBody()).get("deleted").asInt()).isEqualTo(1);
        assertThat(ddb.scan(b -> b.tableName(TABLE)).count()).isZero();

        assertThat(call("delete-command.json").getStatusCode()).isEqualTo(404);
        assertThat(call("patch-command.json").getStatusCode()).isEqualTo(404);
    }

    @Test
    void aStoredItemTheMapperRefusesIsAConflictForPostAndPatchAndDeleteRemovesIt() {
        // written by a foreign tool: lowercase platform, as DynamoDB holds it
        Map<String, AttributeValue> foreign = new HashMap<>(NotificationMapper.toCommandItem(Notification.builder()
                .transactionId(TX).createdAt(CREATED_AT).userId("user-42").platform(Platform.IOS).deviceToken("a3f5c0ffee")
                .status(Status.SENT).version(1L).build()));
        foreign.put(Attr.PLATFORM, AttributeValue.fromS("ios"));
        ddb.putItem(b -> b.tableName(TABLE).item(foreign));

        APIGatewayProxyResponseEvent post = call("post-commands.json");
        assertThat(post.getStatusCode()).as(post.getBody()).isEqualTo(409);
        assertThat(Json.readTree(post.getBody()).at("/error/details/0/field").asText()).isEqualTo("platform");

        APIGatewayProxyResponseEvent patch = call("patch-command.json");
        assertThat(patch.getStatusCode()).as(patch.getBody()).isEqualTo(409);
        JsonNode error = Json.readTree(patch.getBody()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("CONFLICT");
        assertThat(error.get("message").asText()).contains("platform").contains("'ios'");

        APIGatewayProxyResponseEvent deleted = call("delete-command.json");
        assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(200);
        assertThat(Json.readTree(deleted.getBody()).get("deleted").asInt()).isEqualTo(1);
        assertThat(ddb.scan(b -> b.tableName(TABLE)).count()).isZero();

        assertThat(call("post-commands.json").getStatusCode()).isEqualTo(201);
        assertThat(call("delete-command.json").getStatusCode()).isEqualTo(200);
    }

    @Test
    void aFirstCreateWritesItsClaimAndDeleteRemovesBoth() {
        APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/post-commands.json");
        e.setBody(e.getBody().replace("\"created_at\": 1710238500000,", ""));
        APIGatewayProxyResponseEvent created = handler.handleRequest(e, context);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(ddb.scan(b -> b.tableName(TABLE)).count()).isEqualTo(2); // the item and its claim

        APIGatewayProxyResponseEvent again = handler.handleRequest(e, context);
        assertThat(Json.readTree(again.getBody())).isEqualTo(Json.readTree(created.getBody()));
        // the claim is no item: PATCH without created_at finds exactly one
        APIGatewayProxyResponseEvent patched = call("patch-command.json");
        assertThat(patched.getStatusCode()).as(patched.getBody()).isEqualTo(200);

        APIGatewayProxyResponseEvent deleted = call("delete-command.json");
        assertThat(Json.readTree(deleted.getBody()).get("deleted").asInt()).isEqualTo(1);
        assertThat(ddb.scan(b -> b.tableName(TABLE)).count()).isZero();
    }

    @Test
    void missingTableIsAnInternalErrorAnswerNotAThrow() {
        CommandApiHandler misconfigured = new CommandApiHandler(
                new CommandService(new DynamoDbCommandRepository(ddb, "no-such-table"), Clock.systemUTC()));
        APIGatewayProxyResponseEvent r = misconfigured.handleRequest(EventLoader.loadApiGatewayRestEvent("events/post-commands-base64.json"), context);
        assertThat(r.getStatusCode()).isEqualTo(500);
        assertThat(r.getBody()).contains("INTERNAL_ERROR").doesNotContain("no-such-table");
        assertThat(context.lines.get(0)).contains("ResourceNotFoundException")
                .contains("dynamodb:PutItem on table/no-such-table");
    }
}
