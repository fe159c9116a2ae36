package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.validation.NotificationValidator;
import io.pushcqrs.ops.OpsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandGeneratorTest {

    private static List<Notification> generate(long seed, int n, int users, int campaigns, double failRatio) {
        CommandGenerator g = new CommandGenerator(seed, users, campaigns, failRatio, 1_767_225_600_000L);
        List<Notification> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(g.next());
        }
        return list;
    }

    @Test
    void everyCommandIsValidForTheApiAndSurvivesItsJson() {
        for (Notification n : generate(7, 1000, 50, 5, 0.2)) {
            assertThatCode(() -> NotificationValidator.validateNew(n)).doesNotThrowAnyException();
            // what insert sends is what the API reads back
            String json = Json.write(n);
            assertThat(Json.read(json, Notification.class)).isEqualTo(n);
            if (n.status() == Status.FAILED) {
                assertThat(n.errorMsg()).isNotBlank();
                assertThat(n.failedTs()).isGreaterThan(n.createdAt());
                assertThat(n.retryCnt()).isBetween(1, 3);
            } else {
                assertThat(n.errorMsg()).isNull();
                assertThat(n.failedTs()).isNull();
            }
            assertThat(n.version()).isNull();
        }
    }

    @Test
    void spreadsOverUsersAndCampaignsAndFailsAboutTheRatio() {
        List<Notification> list = generate(3, 2000, 20, 4, 0.25);
        Set<String> users = new HashSet<>();
        Set<String> campaigns = new HashSet<>();
        Set<String> ids = new HashSet<>();
        long failed = 0;
        for (Notification n : list) {
            users.add(n.userId());
            if (n.marketingId() != null) {
                campaigns.add(n.marketingId());
            }
            ids.add(n.transactionId());
            failed += n.status() == Status.FAILED ? 1 : 0;
        }
        assertThat(users).hasSize(20).allMatch(u -> u.matches("user-000\\d\\d"));
        assertThat(campaigns).hasSize(4);
        assertThat(ids).hasSize(2000);
        assertThat(failed).isBetween(400L, 600L);
        assertThat(list.get(0).createdAt()).isEqualTo(1_767_225_600_000L);
        assertThat(list.get(1999).createdAt()).isEqualTo(1_767_225_600_000L + 1999);
    }

    @Test
    void noFailuresAtRatioZeroAndNoCampaignsWhenZero() {
        List<Notification> list = generate(1, 300, 1, 0, 0);
        assertThat(list).noneMatch(n -> n.status() == Status.FAILED).allMatch(n -> n.marketingId() == null)
                .allMatch(n -> n.userId().equals("user-00000"));
    }

    @Test
    void theSameSeedGivesTheSameCommands() {
        assertThat(generate(42, 50, 10, 3, 0.1)).isEqualTo(generate(42, 50, 10, 3, 0.1));
        assertThat(generate(42, 5, 10, 3, 0.1)).isNotEqualTo(generate(43, 5, 10, 3, 0.1));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new CommandGenerator(1, 0, 1, 0, 0)).hasMessageContaining("--users");
        assertThatThrownBy(() -> new CommandGenerator(1, 1, -1, 0, 0)).hasMessageContaining("--campaigns");
        assertThatThrownBy(() -> new CommandGenerator(1, 1, 1, 1.5, 0)).hasMessageContaining("--fail-ratio");
        assertThatThrownBy(() -> new CommandGenerator(1, 1, 1, 0, -5)).hasMessageContaining("--start");
    }

    @Test
    void commandFileReadsArraysAndJsonLines() {
        List<JsonNode> array = CommandFile.parse("[{\"user_id\":\"a\"},{\"user_id\":\"b\"}]", "f.json");
        assertThat(array).extracting(n -> n.get("user_id").asText()).containsExactly("a", "b");
        List<JsonNode> lines = CommandFile.parse("{\"user_id\":\"a\"}\n\n{\"user_id\":\"b\"}\r\n", "f.jsonl");
        assertThat(lines).hasSize(2);
    }

    @Test
    void commandFileErrorsNameThePlace() {
        assertThatThrownBy(() -> CommandFile.parse("  ", "f.json")).isInstanceOf(OpsException.class)
                .hasMessageContaining("f.json is empty");
        assertThatThrownBy(() -> CommandFile.parse("[1]", "f.json")).hasMessageContaining("f.json[0] is not a JSON object");
        assertThatThrownBy(() -> CommandFile.parse("[{]", "f.json")).hasMessageContaining("f.json is not valid JSON");
        assertThatThrownBy(() -> CommandFile.parse("{\"a\":1}\n{oops", "f.jsonl")).hasMessageContaining("f.jsonl:2 is not valid JSON");
        assertThatThrownBy(() -> CommandFile.parse("[]", "f.json")).hasMessageContaining("holds no commands");
    }

    @Test
    void summaryPercentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000_000L;
        }
        assertThat(InsertSummary.percentileMs(sorted, 50)).isEqualTo(50.0);
        assertThat(InsertSummary.percentileMs(sorted, 95)).isEqualTo(95.0);
        assertThat(InsertSummary.percentileMs(sorted, 99)).isEqualTo(99.0);
        assertThat(InsertSummary.percentileMs(new long[0], 50)).isZero();
        assertThat(InsertSummary.percentileMs(new long[] {3_000_000L}, 99)).isEqualTo(3.0);
    }
}
