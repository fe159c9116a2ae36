package io.pushcqrs.ops.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.ExitCodes;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's rules that need no stack: usage, the on-failure queue's two message shapes, the stale-version answer, the report. */
class ChaosTest {
    static final String RUN = "chaos-abc-42";

    @Test
    void badCountsAreUsageErrors() {
        Cli.Result r = Cli.run(Map.of(), "chaos", "--count", "0", "--outputs", "/nonexistent/outputs.json");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--count");
    }

    @Test
    void withoutAnApiUrlItSaysWhatIsMissing() {
        Cli.Result r = Cli.run(Map.of(), "chaos", "--outputs", "/nonexistent/outputs.json", "--endpoint", "http://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).containsIgnoringCase("api");
    }

    @Test
    void theHandlersPoisonMessageNamesItsRecordByItsKeys() {
        DlqAccounting dlq = new DlqAccounting(null, null, "q", RUN);
        dlq.account("{\"requestContext\":{\"condition\":\"PoisonRecord\"},\"DDBStreamBatchInfo\":{\"shardId\":null,"
                + "\"startSequenceNumber\":\"1\",\"endSequenceNumber\":\"1\"},\"poisonRecord\":{\"keys\":{\"transaction_id\":"
                + "{\"S\":\"" + RUN + "-poison-1\"},\"created_at\":{\"N\":\"5\"}}}}");
        assertThat(dlq.named).containsExactly(RUN + "-poison-1");
        assertThat(dlq.unresolved).isZero();
    }

    @Test
    void idsOfOtherRunsAndUnreadableBodiesAreIgnored() {
        DlqAccounting dlq = new DlqAccounting(null, null, "q", RUN);
        dlq.account("{\"poisonRecord\":{\"keys\":{\"transaction_id\":{\"S\":\"chaos-other-1-poison-0\"}}}}");
        dlq.account("not json " + RUN + "-w3-17 in text");
        assertThat(dlq.named).containsExactly(RUN + "-w3-17");
    }

    @Test
    void aStaleAnswerSaysWhichVersionIsStored() {
        var m = Workload.STALE.matcher("CONFLICT: version 3 is stale: the current version of transaction_id 'x' (created_at 5) is 4");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("4");
    }

    @Test
    void theReportSaysPassedOrFailedWithTheCounts() {
        ObjectNode r = Json.MAPPER.createObjectNode().put("run", RUN).put("passed", false).put("count", 10).put("threads", 2)
                .put("seed", 1).put("poison_written", 2).put("poison_in_on_failure_queue", 1);
        r.putObject("check_sync").put("missing", 3).put("stale", 0).put("orphan", 0);
        String md = ChaosCommand.markdown(r);
        assertThat(md).startsWith("# Chaos soak " + RUN + ": FAILED").contains("missing 3").contains("2 written, 1 named");
    }
}
