package io.pushcqrs.local.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of what is emulated: the summary's lines per resource type, and docs/local-runtime.md in step with it. */
class EmulationTest {

    @Test
    void everyRowIsInTheDocsTableWithItsStatusAndLocalStacksBehaviour() throws Exception {
        Path docs = Path.of("..", "docs", "local-runtime.md");
        String text = Files.readString(docs);
        int start = text.indexOf("## What is emulated");
        String section = text.substring(start, text.indexOf("\n## ", start)); // to the next section
        List<String> missing = new ArrayList<>();
        for (Emulation.Row r : Emulation.ROWS) {
            String status = switch (r.status()) {
                case ENFORCED -> "enforced";
                case NO_CHECK -> "no check";
                case NOT_EMULATED -> "not emulated";
                case SEE_SECTION -> "see section";
            };
            String row = "| " + r.group() + " | " + r.feature() + " | " + status + " | ";
            String line = section.lines().filter(l -> l.startsWith(row)).findFirst().orElse(null);
            if (line == null || !line.contains(r.localStack())) {
                missing.add(row + "... " + r.localStack());
            }
        }
        assertThat(missing).as("rows of Emulation.ROWS not in the docs' table (or with another LocalStack column)").isEmpty();
        long docRows = section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| resource type") && !l.startsWith("|---")).count();
        assertThat(docRows).as("no row in the docs that the code does not have").isEqualTo(Emulation.ROWS.size());
    }

    @Test
    void theSummaryShowsTheIamPlaceholderAndTheTemplatesResourceTypes() {
        List<String> groups = Emulation.groupsFor(Set.of("AWS::Lambda::Function", "AWS::DynamoDB::Table", "AWS::CloudWatch::Alarm"));
        assertThat(groups).containsExactly("IAM", "DynamoDB items (the edge)", "AWS::DynamoDB::Table", "AWS::Lambda::Function",
                "CloudWatch");
        Map<String, String> lines = Emulation.summaryLines(groups);
        assertThat(lines.get("IAM")).isEqualTo("see the IAM section of docs/local-runtime.md");
        assertThat(lines.get("AWS::Lambda::Function")).startsWith("enforced: timeout; init phase; memory")
                .contains("| no check: Event invocations | not emulated: layers");
        assertThat(Emulation.groupsFor(Set.of("AWS::SQS::Queue"))).containsExactly("IAM", "AWS::SQS::Queue");
    }
}
