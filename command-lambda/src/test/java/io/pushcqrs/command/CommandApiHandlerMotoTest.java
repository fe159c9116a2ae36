package io.pushcqrs.command;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.command.adapter.DynamoDbCommandRepository;
import io.pushcqrs.command.app.CommandService;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole function (fixtures -> handler -> service -> DynamoDB adapter) against moto's DynamoDB. */
class CommandApiHandlerMotoTest {
    static final String TABLE = "command-handler-test";
    static DynamoDbClient ddb;
    static CommandApiHandler handler;
    final Events.TestContext context = new Events.TestContext("moto-req");

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
        return handler.handleRequest(Events.load(fixture), context);
    }

    @Test
    void createReplayConflictPatchStaleAndDelete() {
        APIGatewayProxyResponseEvent created = call("post-commands.json");
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);

        APIGatewayProxyResponseEvent replay = call("post-commands.json");
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(Json.readTree(replay.getBody())).isEqualTo(Json.readTree(created.getBody()));

        APIGatewayProxyRequestEvent other = Events.load("post-commands.json");
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
    void missingTableIsAnInternalErrorAnswerNotAThrow() {
        CommandApiHandler misconfigured = new CommandApiHandler(
                new CommandService(new DynamoDbCommandRepository(ddb, "no-such-table"), Clock.systemUTC()));
        APIGatewayProxyResponseEvent r = misconfigured.handleRequest(Events.load("post-commands-base64.json"), context);
        assertThat(r.getStatusCode()).isEqualTo(500);
        assertThat(r.getBody()).contains("INTERNAL_ERROR").doesNotContain("no-such-table");
        assertThat(context.lines.get(0)).contains("ResourceNotFoundException");
    }
}
