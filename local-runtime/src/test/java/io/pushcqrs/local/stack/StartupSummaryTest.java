package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.ApiFixture;
import io.pushcqrs.local.resources.StackModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StartupSummaryTest {

    @Test
    void theSummaryPrintsTheConsoleUrlRightAfterTheEdge() {
        StackModel model = ApiFixture.model("http://127.0.0.1:4599");
        String summary = StartupSummary.of(model, Map.of("Endpoint", "http://127.0.0.1:4599"), "http://127.0.0.1:4599",
                Path.of("logs"), Path.of("outputs.json"));
        assertThat(summary).containsPattern("Edge endpoint +http://127.0.0.1:4599 .*\\R  Console +http://127.0.0.1:4599/_console/ ");
        assertThat(summary).contains("this machine only");
    }

    @Test
    void anEmptyStackPrintsItToo() {
        assertThat(StartupSummary.empty("http://127.0.0.1:4598", Path.of("logs")))
                .containsPattern("  Console +http://127.0.0.1:4598/_console/ ");
    }
}
