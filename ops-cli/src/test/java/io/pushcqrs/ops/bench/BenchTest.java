package io.pushcqrs.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** bench's parts that need no stack: percentiles, the invocation log, the summary and its goals, usage errors. */
class BenchTest {

    @Test
    void latencyGivesPercentilesOfWhatWasRecorded() {
        Latency l = new Latency();
        assertThat(l.summary()).containsExactly(Map.entry("count", 0L));
        for (int i = 1; i <= 100; i++) {
            l.record(i);
        }
        l.record(-5);
        Map<String, Object> s = l.summary();
        assertThat(s).containsEntry("count", 101L).containsEntry("p50_ms", 50L).containsEntry("p90_ms", 90L)
                .containsEntry("p99_ms", 99L).containsEntry("max_ms", 100L);
        assertThat(l.percentile(50)).isEqualTo(50);
    }

    @Test
    void theInvocationLogGivesColdAndWarmDurationsPerFunctionOfTheSuccessfulInvokes() {
        List<String> lines = List.of(
                "2026-12-02T18:00:00.000Z INVOKE dev-command-lambda req=a env=1 duration=2989ms outcome=OK cold=true",
                "2026-12-02T18:00:01.000Z INVOKE dev-command-lambda req=b env=1 duration=30ms outcome=OK cold=false",
                "2026-12-02T18:00:02.000Z INVOKE dev-command-lambda req=c env=1 duration=40ms outcome=OK cold=false",
                "2026-12-02T18:00:03.000Z INVOKE dev-command-lambda req=d env=1 duration=9000ms outcome=TIMEOUT cold=false",
                "2026-12-02T18:00:04.000Z INVOKE dev-stream-processor req=e env=- duration=0ms outcome=THROTTLED",
                "2026-12-02T18:00:05.000Z INVOKE dev-stream-processor req=f env=2 duration=2100ms outcome=OK cold=true",
                "not a line of the log");
        Map<String, Map<String, Object>> s = InvocationLog.summarize(lines);
        assertThat(s.keySet()).containsExactly("dev-command-lambda", "dev-stream-processor");
        assertThat(s.get("dev-command-lambda").get("cold")).isEqualTo(Map.of("count", 1L, "p50_ms", 2989L,
                "p90_ms", 2989L, "p99_ms", 2989L, "max_ms", 2989L, "mean_ms", 2989.0));
        @SuppressWarnings("unchecked")
        Map<String, Object> warm = (Map<String, Object>) s.get("dev-command-lambda").get("warm");
        assertThat(warm).containsEntry("count", 2L).containsEntry("max_ms", 40L);
        assertThat(s.get("dev-stream-processor").get("warm")).isEqualTo(Map.of("count", 0L));
    }

    @Test
    void theGoalsAreCheckedAgainstTheResultAndWhatWasNotMeasuredSaysSo() throws Exception {
        JsonNode r = Json.MAPPER.readTree("""
                {"sync_light": {"sync": {"count": 3, "p50_ms": 80, "p99_ms": 310}},
                 "sustained": {"ratio_to_raw": 0.46},
                 "burst": {"caught_up_after_last_write_ms": 5001},
                 "query": {"p50_ratio": 1.3}}""");
        assertThat(BenchMarkdown.goals(r)).containsExactly(
                new BenchMarkdown.Goal("sync latency at light load, p50", "<= 100 ms", "80 ms", true),
                new BenchMarkdown.Goal("sync latency at light load, p99", "<= 300 ms", "310 ms", false),
                new BenchMarkdown.Goal("projection rate / raw write rate", ">= 0.45", "0.46", true),
                new BenchMarkdown.Goal("burst caught up after its last write", "<= 5000 ms", "5001 ms", false),
                new BenchMarkdown.Goal("API vs direct query, p50", "<= 1.3", "1.30", true),
                new BenchMarkdown.Goal("start-up to first query", "<= 10000 ms", null, null),
                new BenchMarkdown.Goal("first command visible after start-up", "<= 2000 ms", null, null));
    }

    @Test
    void theSummaryHasEverySectionOfAFullResult() throws Exception {
        JsonNode r = Json.MAPPER.readTree("""
                {"date": "2026-12-02", "name": "after", "config": "embedded stack", "command": "scripts/bench.sh --name after",
                 "machine": {"cores": 2, "java": "17", "load_average_at_start": 1.5},
                 "startup": {"to_first_query_ms": 6000, "first_command_visible_ms": 900},
                 "sync_light": {"sync": {"count": 100, "p50_ms": 60, "p90_ms": 70, "p99_ms": 90, "max_ms": 95},
                                "post": {"count": 100, "p50_ms": 20}},
                 "query": {"api": {"count": 100, "p50_ms": 25}, "direct": {"count": 100, "p50_ms": 20}, "p50_ratio": 1.25},
                 "raw_writes": {"count": 3000, "rate_per_s": 400.0},
                 "burst": {"count": 2000, "write_rate_per_s": 300.0, "projection_rate_per_s": 250.0,
                           "caught_up_after_last_write_ms": 1200},
                 "sustained": {"count": 20000, "write_rate_per_s": 300.0, "projection_rate_per_s": 200.0, "ratio_to_raw": 0.5,
                               "caught_up_after_last_write_ms": 3000, "sync_saturated": {"count": 80, "p50_ms": 900}},
                 "invokes": {"dev-command-lambda": {"cold": {"count": 1, "p50_ms": 2000, "max_ms": 2000},
                                                    "warm": {"count": 10, "p50_ms": 15, "p99_ms": 40}}},
                 "jars": {"command-lambda.jar": 11796248},
                 "failures": ["sustained: 2 probe commands failed or were not visible"]}""");
        String md = BenchMarkdown.render(r, "2026-12-02-after.json");
        assertThat(md).contains("# bench after, 2026-12-02", "`scripts/bench.sh --name after`",
                "| sync latency at light load, p50 | <= 100 ms | 60 ms | met |",
                "| projection rate / raw write rate | >= 0.45 | 0.50 | met |",
                "| start-up to first query | <= 10000 ms | 6000 ms | met |",
                "| light (one at a time) | 100 | 60 | 70 | 90 | 95 |",
                "| saturating (during the sustained burst) | 80 | 900 |",
                "| sustained, PutItem into command-records | 20000 | 300.0 | 200.0 | 3000 ms |",
                "| dev-command-lambda | 1 | 2000 | 2000 | 10 | 15 | 40 |",
                "| command-lambda.jar | 11,796,248 | 11.2 |",
                "## Failures", "- sustained: 2 probe commands failed or were not visible",
                "[2026-12-02-after.json](2026-12-02-after.json)");
    }

    @Test
    void badSizesAndNamesAreUsageErrorsBeforeAnythingIsMeasured(@TempDir Path dir) {
        Cli.Result zero = Cli.run(Map.of(), "bench", "--count", "0", "--out-dir", dir.toString());
        assertThat(zero.code()).as(zero.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("must be at least 1");
        Cli.Result name = Cli.run(Map.of(), "bench", "--name", "a/b", "--out-dir", dir.toString());
        assertThat(name.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err()).contains("--name");
        Cli.Result noStack = Cli.run(Map.of(), "bench", "--outputs", dir.resolve("missing.json").toString(),
                "--out-dir", dir.toString());
        assertThat(noStack.code()).as(noStack.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void quickShrinksEverySizeButKeepsSmallerOnes() {
        BenchCommand c = new BenchCommand(null);
        c.count = 20000;
        c.burst = 2000;
        c.rawCount = 3000;
        c.samples = 10;
        c.threads = 8;
        c.users = 500;
        c.quick = true;
        assertThat(BenchCommand.Sizes.of(c)).isEqualTo(new BenchCommand.Sizes(300, 200, 200, 10, 8, 50));
        c.quick = false;
        assertThat(BenchCommand.Sizes.of(c)).isEqualTo(new BenchCommand.Sizes(20000, 2000, 3000, 10, 8, 500));
    }

    @Test
    void jarSizesAreThoseOfTheJarsThatExist(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("query-lambda/target"));
        Files.write(root.resolve("query-lambda/target/query-lambda.jar"), new byte[1234]);
        assertThat(Jars.sizes(root)).containsExactly(Map.entry("query-lambda.jar", 1234L));
    }
}
