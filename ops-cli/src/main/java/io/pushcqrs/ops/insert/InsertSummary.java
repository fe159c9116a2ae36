package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Counts, first failure messages, rate and latency percentiles of one insert run. */
public record InsertSummary(String target, long sent, long created, long replayed, long conflicts, long rejected,
                            long errors, List<String> firstRejected, List<String> firstConflicts,
                            List<String> firstErrors, long elapsedNanos, double p50Ms, double p95Ms, double p99Ms,
                            double maxMs, List<String> createdIds, long throttled) {
    static final int FIRST_MESSAGES = 5;

    public static InsertSummary of(String target, List<Outcome> outcomes, long elapsedNanos) {
        long created = 0;
        long replayed = 0;
        long conflicts = 0;
        long rejected = 0;
        long errors = 0;
        List<String> firstRejected = new ArrayList<>();
        List<String> firstConflicts = new ArrayList<>();
        List<String> firstErrors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long[] latencies = new long[outcomes.size()];
        long throttled = 0;
        int i = 0;
        for (Outcome o : outcomes) {
            latencies[i++] = o.nanos();
            throttled += o.throttled();
            switch (o.kind()) {
                case CREATED -> {
                    created++;
                    if (o.transactionId() != null) {
                        ids.add(o.transactionId());
                    }
                }
                case REPLAYED -> replayed++;
                case CONFLICT -> {
                    conflicts++;
                    keep(firstConflicts, o);
                }
                case REJECTED -> {
                    rejected++;
                    keep(firstRejected, o);
                }
                case ERROR -> {
                    errors++;
                    keep(firstErrors, o);
                }
                default -> throw new IllegalStateException("unknown outcome " + o.kind());
            }
        }
        Arrays.sort(latencies);
        return new InsertSummary(target, outcomes.size(), created, replayed, conflicts, rejected, errors,
                List.copyOf(firstRejected), List.copyOf(firstConflicts), List.copyOf(firstErrors), elapsedNanos,
                percentileMs(latencies, 50), percentileMs(latencies, 95), percentileMs(latencies, 99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, List.copyOf(ids), throttled);
    }

    private static void keep(List<String> first, Outcome o) {
        if (first.size() < FIRST_MESSAGES) {
            first.add((o.transactionId() == null ? "" : o.transactionId() + ": ") + o.message());
        }
    }

    /** Nearest-rank percentile of sorted nanosecond latencies, in milliseconds (0 when there are none). */
    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    public long failures() {
        return conflicts + rejected + errors;
    }

    public double ratePerSecond() {
        return elapsedNanos <= 0 ? 0 : sent / (elapsedNanos / 1e9);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        sb.append("target     ").append(target).append(nl);
        sb.append(String.format(Locale.ROOT, "sent       %d%n", sent));
        line(sb, "created", created, "201", List.of());
        line(sb, "replayed", replayed, "200", List.of());
        line(sb, "conflicts", conflicts, "409", firstConflicts);
        line(sb, "rejected", rejected, "other 4xx", firstRejected);
        line(sb, "errors", errors, "5xx, I/O, 429 after every retry", firstErrors);
        if (throttled > 0) {
            sb.append(String.format(Locale.ROOT, "throttled  %-6d (429 answers, each sent again after a pause; the API's"
                    + " throttle or quota: --rate below it avoids them)%n", throttled));
        }
        sb.append(String.format(Locale.ROOT, "elapsed    %.2f s%n", elapsedNanos / 1e9));
        sb.append(String.format(Locale.ROOT, "rate       %.1f/s%n", ratePerSecond()));
        sb.append(String.format(Locale.ROOT, "latency    p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                p50Ms, p95Ms, p99Ms, maxMs));
        sb.append(failures() == 0 ? "OK" : "FAILED: " + failures() + " of " + sent + " requests failed").append(nl);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, long count, String what, List<String> first) {
        sb.append(String.format(Locale.ROOT, "%-10s %-6d (%s)%n", name, count, what));
        for (String m : first) {
            sb.append("  - ").append(m).append(System.lineSeparator());
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("target", target);
        n.put("sent", sent);
        n.put("created", created);
        n.put("replayed", replayed);
        n.put("conflicts", conflicts);
        n.put("rejected", rejected);
        n.put("errors", errors);
        n.put("failures", failures());
        n.put("throttled", throttled);
        firstConflicts.forEach(n.putArray("first_conflicts")::add);
        firstRejected.forEach(n.putArray("first_rejected")::add);
        firstErrors.forEach(n.putArray("first_errors")::add);
        n.put("elapsed_ms", Math.round(elapsedNanos / 1e6));
        n.put("rate_per_s", Math.round(ratePerSecond() * 10) / 10.0);
        ObjectNode lat = n.putObject("latency_ms");
        lat.put("p50", round(p50Ms));
        lat.put("p95", round(p95Ms));
        lat.put("p99", round(p99Ms));
        lat.put("max", round(maxMs));
        return n;
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
