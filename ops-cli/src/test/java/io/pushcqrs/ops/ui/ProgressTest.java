package io.pushcqrs.ops.ui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheBar() {
        assertThat(Progress.bar(512, 1000, 98, 5L)).isEqualTo("[#####.....] 512/1000 51% 98/s eta 5s");
        assertThat(Progress.bar(0, 10, 0, null)).isEqualTo("[..........] 0/10 0% 0/s eta ?");
        assertThat(Progress.bar(10, 10, 1234.4, 0L)).isEqualTo("[##########] 10/10 100% 1234/s eta 0s");
        assertThat(Progress.bar(15, 10, 1, 0L)).startsWith("[##########] 15/10 100%");
        assertThat(Progress.counter(12345, 4100.2)).isEqualTo("12345 items 4100/s");
        assertThat(Progress.counter(3, 2.54)).isEqualTo("3 items 2.5/s");
        assertThat(Progress.duration(5)).isEqualTo("5s");
        assertThat(Progress.duration(125)).isEqualTo("2m05s");
        assertThat(Progress.duration(3720)).isEqualTo("1h02m");
    }

    @Test
    void withoutATerminalPrintsALineEveryTenPercent() {
        Progress p = new Progress(err, false, "", 100, clock::get);
        for (int i = 1; i <= 100; i++) {
            clock.addAndGet(10_000_000L); // 10 ms a step: 100/s
            p.update(i);
        }
        p.finish(100);
        List<String> lines = text().lines().toList();
        assertThat(text()).doesNotContain("\r");
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).isEqualTo("[#.........] 10/100 10% 100/s eta 1s");
        assertThat(lines.get(9)).isEqualTo("[##########] 100/100 100% 100/s eta 0s");
    }

    @Test
    void onATerminalRedrawsInPlaceAtMostEvery100Ms() {
        Progress p = new Progress(err, true, "scan", 10, clock::get);
        clock.set(50_000_000L);
        p.update(1); // first draw
        clock.set(100_000_000L);
        p.update(2); // too soon
        clock.set(200_000_000L);
        p.update(5);
        clock.set(1_000_000_000L);
        p.finish(10);
        String t = text();
        assertThat(t).startsWith("\rscan [#.........] 1/10 10%");
        assertThat(t).doesNotContain("2/10");
        assertThat(t).contains("\rscan [#####.....] 5/10 50%");
        assertThat(t).endsWith("\rscan [##########] 10/10 100% 10/s eta 0s" + System.lineSeparator());
        p.update(11);
        assertThat(text()).isEqualTo(t); // nothing after finish
    }

    @Test
    void unknownTotalCountsEveryTwoSecondsWithoutATerminal() {
        Progress p = new Progress(err, false, "scanning command-records:", -1, clock::get);
        clock.set(1_000_000_000L);
        p.update(100);
        clock.set(1_500_000_000L);
        p.update(150);
        clock.set(4_000_000_000L);
        p.update(400);
        p.finish(500);
        assertThat(text().lines().toList()).containsExactly(
                "scanning command-records: 400 items 100/s",
                "scanning command-records: 500 items 125/s");
    }

    @Test
    void theFinalLineIsNotRepeated() {
        Progress p = new Progress(err, false, "scan", -1, clock::get);
        clock.set(3_000_000_000L);
        p.update(30);
        p.finish(30);
        assertThat(text().lines().toList()).containsExactly("scan 30 items 10/s");
    }

    @Test
    void silentPrintsNothing() {
        Progress p = Progress.silent();
        p.update(1);
        p.finish(2);
        assertThat(text()).isEmpty();
    }

    @Test
    void tableCutsLongCellsAndShowsEmptyOnes() {
        String t = new TextTable(List.of("a", "long_header"), 8)
                .add(List.of("abcdefghijkl", ""))
                .add(java.util.Arrays.asList("x", null))
                .render();
        assertThat(t.lines().toList()).containsExactly(
                "a         long_header",
                "--------  -----------",
                "abcde...  -",
                "x         -");
        assertThatThrownBy(() -> new TextTable(List.of("a"), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextTable(List.of("a"), 8).add(List.of("1", "2")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDurationsAndTimes() {
        assertThat(Args.duration("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Args.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Args.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Args.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Args.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Args.duration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Args.duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> Args.duration("soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Args.duration("Pxyz")).hasMessageContaining("not a duration");

        assertThat(Args.epochMillis("1700000000000")).isEqualTo(1_700_000_000_000L);
        assertThat(Args.epochMillis("2026-01-01T00:00:00Z")).isEqualTo(1_767_225_600_000L);
        assertThat(Args.epochMillis("2026-01-01T09:00:00+09:00")).isEqualTo(1_767_225_600_000L);
        assertThat(Args.epochMillis("2026-01-01T00:00:00")).isEqualTo(1_767_225_600_000L);
        assertThat(Args.epochMillis("2026-01-01")).isEqualTo(1_767_225_600_000L);
        assertThatThrownBy(() -> Args.epochMillis("yesterday")).hasMessageContaining("not a time: 'yesterday'");
    }
}
