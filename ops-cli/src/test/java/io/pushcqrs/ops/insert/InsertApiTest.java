package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;
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

class InsertApiTest {
    @TempDir
    Path dir;
    private FakeApi api;
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
        env = Map.of(Context.ENV_REPO_ROOT, dir.toString());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Cli.Result insert(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "insert";
        all[1] = "--api-url";
        all[2] = api.url();
        all[3] = "--api-key";
        all[4] = FakeApi.KEY;
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.run(env, all);
    }

    @Test
    void sendsRandomCommandsWithTheKeyAndSummarises() throws Exception {
        Path ids = dir.resolve("out/ids.txt");
        Cli.Result r = insert("--count", "20", "--seed", "1", "--start", "2026-01-01T00:00:00Z", "--threads", "3",
                "--ids-out", ids.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("target     POST " + api.url() + "/commands").contains("sent       20")
                .contains("created    20     (201)").contains("replayed   0      (200)").contains("conflicts  0      (409)").contains("rejected   0      (other 4xx)")
                .contains("errors     0      (5xx, I/O, 429 after every retry)").contains("latency    p50").contains("OK");
        assertThat(r.err()).contains("insert: 20 command(s)").contains("[##########] 20/20 100%");
        assertThat(api.commandCount()).isEqualTo(20);
        assertThat(api.keysSeen).hasSize(20).containsOnly(FakeApi.KEY);
        List<String> written = Files.readAllLines(ids);
        assertThat(written).hasSize(20).allMatch(id -> api.command(id) != null);
        JsonNode one = api.command(written.get(0));
        assertThat(one.get("created_at").asLong()).isBetween(1_767_225_600_000L, 1_767_225_600_019L);
        assertThat(one.has("version")).isFalse();

        // the same seed and start again: every command is an idempotent replay
        Cli.Result again = insert("--count", "20", "--seed", "1", "--start", "2026-01-01T00:00:00Z", "--json");
        assertThat(again.code()).as(again.toString()).isZero();
        JsonNode summary = Json.readTree(again.out());
        assertThat(summary.get("sent").asInt()).isEqualTo(20);
        assertThat(summary.get("replayed").asInt()).isEqualTo(20);
        assertThat(summary.get("created").asInt()).isZero();
        assertThat(summary.get("failures").asInt()).isZero();
        assertThat(summary.at("/latency_ms/p99").isNumber()).isTrue();
    }

    @Test
    void throttledCommandsAreSentAgainAfterAPauseAndTheSummarySaysHowOften() throws Exception {
        api.throttleNext.set(5);
        Cli.Result r = insert("--count", "3", "--seed", "2", "--threads", "1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("created    3 ").contains("throttled  5 ").contains("OK");
        assertThat(api.commandCount()).isEqualTo(3);
        assertThat(api.requests).filteredOn(q -> q.startsWith("POST /commands")).hasSize(8);

        // with retries off, or when the throttle outlasts them, the command is an error that says so
        api.throttleNext.set(100);
        Cli.Result none = insert("--count", "2", "--seed", "3", "--threads", "1", "--max-retries", "1", "--json");
        assertThat(none.code()).isEqualTo(ExitCodes.FAILED);
        JsonNode summary = Json.readTree(none.out());
        assertThat(summary.get("errors").asInt()).isEqualTo(2);
        assertThat(summary.get("throttled").asInt()).isEqualTo(2);
        assertThat(summary.get("first_errors").get(0).asText()).contains("429 THROTTLED").contains("still throttled after 1 retries");
        assertThat(insert("--count", "1", "--max-retries", "-1").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aThrottleThatOutlastsTheRetryBudgetIsAnErrorThatSaysHowLongItWasTried() throws Exception {
        // the default bounds a throttled command by time (2 minutes), not by a count of 8 that a busy 50/s bucket
        // outlasts about once in 1,000 commands: here the budget is cut to 300 ms and the throttle never ends
        api.throttleNext.set(1_000_000);
        long start = System.nanoTime();
        Cli.Result r = insert("--count", "1", "--seed", "4", "--threads", "1", "--retry-for", "300ms", "--json");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode summary = Json.readTree(r.out());
        assertThat(summary.get("errors").asInt()).isEqualTo(1);
        assertThat(summary.get("throttled").asInt()).as("retried more than the old count of 8 allowed").isGreaterThan(0);
        assertThat(summary.get("first_errors").get(0).asText()).contains("429 THROTTLED").containsPattern("still throttled after [1-9][0-9]* retries in [0-9]+\\.[0-9] s");
        assertThat(seconds).as("stops once the budget is spent (plus one pause of at most 2 s)").isLessThan(10);
        assertThat(api.commandCount()).isZero();
        assertThat(insert("--count", "1", "--retry-for", "-1s").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void countsEveryKindOfAnswerAndFailsWhenAnyRequestFailed() throws Exception {
        insert("--file", write("first.json", "[{\"transaction_id\":\"tx-1\",\"user_id\":\"u\"}]"));
        Path file = Path.of(write("mixed.jsonl", String.join("\n",
                "{\"transaction_id\":\"tx-1\",\"user_id\":\"u\"}",
                "{\"transaction_id\":\"tx-1\",\"user_id\":\"someone-else\"}",
                "{\"user_id\":\"bad\"}",
                "{\"user_id\":\"flaky\"}",
                "{\"user_id\":\"new\"}")));
        Cli.Result r = insert("--file", file.toString(), "--threads", "1");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("sent       5").contains("created    1      (201)").contains("replayed   1      (200)")
                .contains("conflicts  1      (409)").contains("rejected   1      (other 4xx)").contains("errors     1      (5xx, I/O, 429 after every retry)")
                .contains("tx-1: 409 CONFLICT: transaction_id tx-1 exists with another body")
                .contains("400 VALIDATION_ERROR: user_id: is not allowed here")
                .contains("503 SERVICE_UNAVAILABLE: try again")
                .contains("FAILED: 3 of 5 requests failed");
    }

    @Test
    void countLimitsTheFile() throws Exception {
        String file = write("three.json", "[{\"user_id\":\"a\"},{\"user_id\":\"b\"},{\"user_id\":\"c\"}]");
        Cli.Result r = insert("--file", file, "--count", "2");
        assertThat(r.code()).isZero();
        assertThat(api.commandCount()).isEqualTo(2);
    }

    @Test
    void aWrongKeyIsRejected() {
        Cli.Result r = Cli.run(env, "insert", "--api-url", api.url(), "--api-key", "wrong", "--count", "3");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("rejected   3      (other 4xx)").contains("403 FORBIDDEN: missing or wrong API key");
        assertThat(api.keysSeen).containsOnly("wrong");
    }

    @Test
    void anUnreachableApiIsCountedAsErrors() {
        int port = MotoServer.freePort();
        Cli.Result r = Cli.run(env, "insert", "--api-url", "http://127.0.0.1:" + port + "/dev", "--count", "2",
                "--timeout", "2s");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("errors     2      (5xx, I/O, 429 after every retry)").contains("I/O: ");
    }

    @Test
    void theRateIsHeld() {
        long start = System.nanoTime();
        Cli.Result r = insert("--count", "11", "--rate", "50", "--threads", "4");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.code()).isZero();
        // command i is not sent before i / rate: the 11th waits 200 ms
        assertThat(ms).isGreaterThanOrEqualTo(200);
        assertThat(r.err()).contains("rate 50.0/s");
    }

    @Test
    void usageErrors() throws Exception {
        assertThat(Cli.run(env, "insert", "--count", "1").err()).contains("no .local/outputs.json");
        Cli.Result bad = insert("--rate", "-1");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--rate must be 0");
        assertThat(insert("--threads", "0").err()).contains("--threads must be between 1 and 256");
        assertThat(insert("--count", "-3").err()).contains("--count must not be negative");
        assertThat(insert("--fail-ratio", "2").err()).contains("--fail-ratio must be between 0 and 1");
        assertThat(insert("--mode", "carrier-pigeon").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(insert("--file", dir.resolve("none.json").toString()).err()).contains("cannot read");
        assertThat(api.commandCount()).isZero();
    }

    private String write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p.toString();
    }
}
