package io.pushcqrs.ops.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueryCommandTest {
    @TempDir
    Path dir;
    private FakeApi api;
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
        for (int i = 1; i <= 3; i++) {
            ObjectNode item = Json.MAPPER.createObjectNode()
                    .put("transaction_id", "tx-" + i + "-with-a-rather-long-identifier-that-gets-cut")
                    .put("created_at", 1_767_225_600_000L + i).put("user_id", "user-1").put("status", "SENT")
                    .put("platform", "IOS").put("retry_cnt", i).put("source_version", 1)
                    .put("created_at_iso", "2026-01-01T00:00:00.00" + i + "Z");
            if (i == 2) {
                item.put("marketing_id", "campaign-9");
            }
            api.userItems.add(item);
        }
        // the API URL and key come from the outputs file
        Files.createDirectories(dir.resolve(".local"));
        Files.writeString(dir.resolve(".local/outputs.json"),
                "{\"ApiUrl\":\"" + api.url() + "\",\"ApiKey\":\"" + FakeApi.KEY + "\"}");
        env = Map.of(Context.ENV_REPO_ROOT, dir.toString());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void printsATableOfOnePageAndTheCursorOfTheNext() {
        Cli.Result r = Cli.run(env, "query", "user", "user-1");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("transaction_id").contains("user_id").contains("status").contains("platform")
                .contains("created_at_iso").contains("retry_cnt").contains("marketing_id").endsWith("sns_id");
        assertThat(lines.get(2).split(" {2,}")).containsExactly("tx-1-with-a-rather-long-i...", "user-1", "SENT", "IOS",
                "2026-01-01T00:00:00.001Z", "1", "-", "-");
        assertThat(lines.get(3)).contains("campaign-9");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(4)).isEqualTo("2 items; more with --cursor c2 (or --all)");
        assertThat(api.requests).containsExactly("GET /query/user?user_id=user-1");
        assertThat(api.keysSeen).containsOnly(FakeApi.KEY);
    }

    @Test
    void followsTheCursorToTheEndWithAll() {
        Cli.Result r = Cli.run(env, "query", "--by", "user", "--id", "user-1", "--all", "--format", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode body = Json.readTree(r.out());
        assertThat(body.get("count").asInt()).isEqualTo(3);
        assertThat(body.get("items")).hasSize(3);
        assertThat(api.requests).containsExactly("GET /query/user?user_id=user-1",
                "GET /query/user?user_id=user-1&cursor=c2");
    }

    @Test
    void passesTimesAsEpochMillisAndLimitAndCursor() {
        Cli.Result r = Cli.run(env, "query", "user", "user-1", "--from", "2026-01-01T00:00:00Z", "--to",
                "1767225600003", "--limit", "5", "--cursor", "c1", "--format", "json");
        assertThat(r.code()).isZero();
        assertThat(api.requests).containsExactly(
                "GET /query/user?user_id=user-1&from=1767225600000&to=1767225600003&limit=5&cursor=c1");
        JsonNode body = Json.readTree(r.out());
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.has("next_cursor")).isFalse();
    }

    @Test
    void otherQueriesUseTheirRoutes() {
        assertThat(Cli.run(env, "query", "failures").code()).isZero();
        assertThat(Cli.run(env, "query", "failures", "tx-9").code()).isZero();
        Cli.Result tx = Cli.run(env, "query", "tx", "tx-9");
        assertThat(tx.code()).isZero();
        assertThat(tx.out()).contains("0 items");
        assertThat(api.requests).containsExactly("GET /query/failures", "GET /query/failures?transaction_id=tx-9",
                "GET /tx?transaction_id=tx-9");
    }

    @Test
    void anApiErrorPrintsItsCodeAndMessageAndExits1() {
        Cli.Result r = Cli.run(env, "query", "marketing", "bad id");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("error: HTTP 400 VALIDATION_ERROR: marketing_id: may contain only letters");
        assertThat(api.requests).containsExactly("GET /query/marketing?marketing_id=bad+id");

        Cli.Result unavailable = Cli.run(env, "query", "sns", "sns-1");
        assertThat(unavailable.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(unavailable.err()).contains("error: HTTP 503 Service Unavailable");

        Cli.Result forbidden = Cli.run(env, "query", "user", "u", "--api-key", "nope");
        assertThat(forbidden.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(forbidden.err()).contains("HTTP 403 FORBIDDEN");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(Cli.run(env, "query").err()).contains("which query?");
        assertThat(Cli.run(env, "query", "user").err()).contains("query user needs an id (user_id)");
        assertThat(Cli.run(env, "query", "marketing", "c", "--from", "1").err())
                .contains("--from/--to apply to the user query only");
        assertThat(Cli.run(env, "query", "user", "a", "--id", "b").err()).contains("disagree");
        Cli.Result badTime = Cli.run(env, "query", "user", "a", "--from", "last week");
        assertThat(badTime.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTime.err()).contains("not a time: 'last week'");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void anUnreachableApiExits2() {
        int port = MotoServer.freePort();
        Cli.Result r = Cli.run(env, "query", "user", "u", "--api-url", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("cannot reach the API at http://127.0.0.1:" + port);
    }
}
