package io.pushcqrs.local.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.model.sync.SyncReport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON answers of {@code /_console/api/...} (docs/local-runtime.md, "The console"), from what the recorder kept
 * and what the source reads on request. Plain maps and lists, serialized by {@link ConsoleHttp}. Read-only but for
 * {@link #checkSync}; the API key is masked.
 */
public final class ConsoleApi {
    /** The window of "sync latency p50/p99" and the projection rate on the read-side panel. */
    static final int LATENCY_WINDOW_SECONDS = 60;
    static final int RATE_WINDOW_SECONDS = 10;
    static final int LOG_LINES = 8;
    static final int DLQ_MESSAGES = 10;

    private final ConsoleSource source;
    private final ConsoleRecorder recorder;
    private final Clock clock;

    public ConsoleApi(ConsoleSource source, ConsoleRecorder recorder) {
        this(source, recorder, Clock.systemUTC());
    }

    ConsoleApi(ConsoleSource source, ConsoleRecorder recorder, Clock clock) {
        this.source = source;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** GET /_console/api/overview: the stack, the read side and the stream mappings. */
    public Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        ConsoleSource.StackInfo s = source.stack();
        Map<String, Object> stack = new LinkedHashMap<>();
        stack.put("name", s.name());
        stack.put("status", s.status());
        stack.put("endpoint", s.endpoint());
        stack.put("startedAt", time(s.startedAt()));
        stack.put("uptimeSeconds", s.startedAt() == null ? null
                : Duration.between(s.startedAt(), clock.instant()).toSeconds());
        stack.put("now", time(clock.instant()));
        out.put("stack", stack);

        long behind = 0;
        boolean capped = false;
        Long lagMs = null;
        Long iteratorAge = null;
        List<Object> mappings = new ArrayList<>();
        for (ConsoleSource.MappingInfo m : source.mappings()) {
            ConsoleSource.Lag lag = source.lag(m.spec());
            behind += lag.records();
            capped |= lag.capped();
            if (lag.oldestAgeMs() != null) {
                lagMs = lagMs == null ? lag.oldestAgeMs() : Math.max(lagMs, lag.oldestAgeMs());
            }
            iteratorAge = iteratorAge == null ? m.status().iteratorAgeMs() : Math.max(iteratorAge, m.status().iteratorAgeMs());
            mappings.add(mapping(m, lag));
        }
        ConsoleRecorder.Window latency = recorder.window(LATENCY_WINDOW_SECONDS);
        ConsoleRecorder.Window rate = recorder.window(RATE_WINDOW_SECONDS);
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("recordsBehind", behind);
        read.put("recordsBehindCapped", capped);
        read.put("lagMs", behind == 0 ? 0L : lagMs);
        read.put("iteratorAgeMs", iteratorAge);
        Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("windowSeconds", LATENCY_WINDOW_SECONDS);
        sync.put("records", latency.projected());
        sync.put("p50Ms", latency.p50Ms());
        sync.put("p99Ms", latency.p99Ms());
        sync.put("maxMs", latency.maxMs());
        sync.put("lastMs", latency.lastMs());
        read.put("syncLatency", sync);
        read.put("projectionRatePerSecond", round(rate.projectionRate()));
        read.put("rateWindowSeconds", RATE_WINDOW_SECONDS);
        read.put("writtenTotal", latency.writtenTotal());
        read.put("projectedTotal", latency.projectedTotal());
        read.put("lastProjectedAt", time(latency.lastProjected()));
        out.put("readSide", read);
        out.put("mappings", mappings);
        return out;
    }

    private Map<String, Object> mapping(ConsoleSource.MappingInfo m, ConsoleSource.Lag lag) {
        EsmSpec spec = m.spec();
        ConsoleRecorder.MappingSnapshot snap = recorder.mapping(spec.uuid());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uuid", spec.uuid());
        out.put("table", m.table());
        out.put("function", spec.functionName());
        out.put("state", state(m.status().state(), snap.retrying()));
        out.put("problem", m.status().problem());
        out.put("batchSize", spec.batchSize());
        out.put("batchingWindowSeconds", spec.maxBatchingWindowSeconds());
        out.put("parallelizationFactor", spec.parallelizationFactor());
        out.put("startingPosition", spec.startingPosition());
        out.put("bisectOnError", spec.bisectOnError());
        out.put("maxRetryAttempts", spec.maxRetryAttempts());
        out.put("maxRecordAgeSeconds", spec.maxRecordAgeSeconds());
        out.put("reportBatchItemFailures", spec.reportBatchItemFailures());
        out.put("onFailure", spec.onFailureArn());
        out.put("iteratorAgeMs", m.status().iteratorAgeMs());
        out.put("recordsBehind", lag.records());
        out.put("recordsBehindCapped", lag.capped());
        out.put("lagMs", lag.records() == 0 ? 0L : lag.oldestAgeMs());
        out.put("lagProblem", lag.problem());
        StreamPoller.Stats st = m.stats();
        out.put("invocations", st.invocations());
        out.put("recordsSucceeded", st.recordsSucceeded());
        out.put("recordsDiscarded", st.recordsDiscarded());
        out.put("onFailureMessages", st.onFailureMessages());
        List<Object> recent = new ArrayList<>();
        for (ConsoleRecorder.Batch b : snap.recent()) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("at", time(b.at()));
            bm.put("shardId", b.shardId());
            bm.put("records", b.records());
            bm.put("firstSequenceNumber", b.firstSeq());
            bm.put("lastSequenceNumber", b.lastSeq());
            bm.put("attempt", b.attempt());
            bm.put("outcome", b.outcome());
            bm.put("detail", b.detail());
            bm.put("ms", b.ms());
            recent.add(bm);
        }
        out.put("recentBatches", recent);
        return out;
    }

    /** POLLING, RETRYING (a batch's last invocation failed and it is tried again), STUCK, DISABLED or STOPPED. */
    static String state(StreamPoller.State state, boolean retrying) {
        return state == StreamPoller.State.POLLING && retrying ? "RETRYING" : state.name();
    }

    /** GET /_console/api/functions */
    public Map<String, Object> functions() {
        Map<String, ConsoleRecorder.FunctionSnapshot> stats = recorder.functions();
        List<Object> list = new ArrayList<>();
        for (ConsoleSource.FunctionInfo f : source.functions()) {
            FunctionSpec spec = f.spec();
            ConsoleRecorder.FunctionSnapshot s = stats.get(spec.name());
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", spec.name());
            fm.put("state", f.active() ? "Active" : "Inactive");
            fm.put("handler", spec.handler());
            fm.put("runtime", spec.runtime());
            fm.put("memoryMb", spec.memoryMb());
            fm.put("timeoutSeconds", spec.timeoutSeconds());
            fm.put("environments", f.environments());
            fm.put("maxEnvironments", f.maxEnvironments());
            fm.put("invocations", s == null ? 0 : s.invocations());
            fm.put("errors", s == null ? 0 : s.errors());
            fm.put("coldStarts", s == null ? 0 : s.coldStarts());
            fm.put("refused", s == null ? 0 : s.refused());
            fm.put("p50Ms", s == null ? null : s.p50Ms());
            fm.put("p99Ms", s == null ? null : s.p99Ms());
            fm.put("lastInvocationAt", s == null ? null : time(s.last()));
            fm.put("lastError", s == null ? null : s.lastError());
            fm.put("log", source.logTail(spec.name(), LOG_LINES));
            list.add(fm);
        }
        return Map.of("functions", list);
    }

    /** GET /_console/api/dlq */
    public Map<String, Object> dlq() {
        List<Object> queues = new ArrayList<>();
        for (ConsoleSource.QueueInfo q : source.queues(DLQ_MESSAGES)) {
            Map<String, Object> qm = new LinkedHashMap<>();
            qm.put("name", q.name());
            qm.put("url", q.url());
            qm.put("depth", q.depth());
            qm.put("inFlight", q.inFlight());
            qm.put("problem", q.problem());
            List<Object> messages = new ArrayList<>();
            for (ConsoleSource.QueueMessage m : q.messages()) {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("messageId", m.messageId());
                mm.put("sentAt", time(m.sent()));
                mm.put("receiveCount", m.receiveCount());
                mm.put("shardId", m.shardId());
                mm.put("startSequenceNumber", m.startSequenceNumber());
                mm.put("endSequenceNumber", m.endSequenceNumber());
                mm.put("batchSize", m.batchSize());
                mm.put("reason", m.condition());
                mm.put("functionError", m.functionError());
                mm.put("approximateInvokeCount", m.approximateInvokeCount());
                mm.put("item", m.item());
                mm.put("detail", m.detail());
                messages.add(mm);
            }
            qm.put("messages", messages);
            queues.add(qm);
        }
        return Map.of("queues", queues);
    }

    /** GET /_console/api/tables */
    public Map<String, Object> tables() {
        List<Object> tables = new ArrayList<>();
        for (ConsoleSource.TableInfo t : source.tables()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("status", t.status());
            tm.put("itemCount", t.itemCount());
            tm.put("sizeBytes", t.sizeBytes());
            tm.put("keys", t.keys());
            tm.put("stream", t.stream());
            List<Object> gsis = new ArrayList<>();
            for (ConsoleSource.IndexInfo i : t.indexes()) {
                Map<String, Object> im = new LinkedHashMap<>();
                im.put("name", i.name());
                im.put("keys", i.keys());
                im.put("status", i.status());
                im.put("itemCount", i.itemCount());
                gsis.add(im);
            }
            tm.put("gsis", gsis);
            tm.put("problem", t.problem());
            tables.add(tm);
        }
        return Map.of("tables", tables);
    }

    /** GET /_console/api/api: the REST APIs (keys masked) and every route with its requests by status class. */
    public Map<String, Object> api() {
        Map<String, long[]> counts = new LinkedHashMap<>(recorder.routes());
        List<Object> apis = new ArrayList<>();
        List<Object> routes = new ArrayList<>();
        for (RestApiModel a : source.apis()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("id", a.id());
            am.put("name", a.name());
            List<Object> stages = new ArrayList<>();
            for (RestApiModel.Stage st : a.stages().values()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("name", st.name());
                sm.put("url", source.stack().endpoint() + "/" + st.name());
                List<Object> keys = new ArrayList<>();
                for (RestApiModel.ApiKey k : st.apiKeys()) {
                    keys.add(Map.of("name", k.name() == null ? "" : k.name(), "value", mask(k.value()), "enabled", k.enabled()));
                }
                sm.put("apiKeys", keys);
                stages.add(sm);
            }
            am.put("stages", stages);
            apis.add(am);
            for (RestApiModel.Method m : a.methods()) {
                String path = a.resource(m.resourceId()).map(RestApiModel.Resource::path).orElse("?");
                String route = m.httpMethod() + " " + path;
                routes.add(route(route, m.functionName(), m.apiKeyRequired(), counts.remove(route)));
            }
        }
        counts.forEach((route, c) -> routes.add(route(route, null, null, c))); // requests that matched no method
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apis", apis);
        out.put("routes", routes);
        return out;
    }

    private static Map<String, Object> route(String route, String function, Boolean keyRequired, long[] c) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("route", route);
        rm.put("function", function);
        rm.put("apiKeyRequired", keyRequired);
        long[] v = c == null ? new long[5] : c;
        rm.put("2xx", v[1]);
        rm.put("3xx", v[2]);
        rm.put("4xx", v[3]);
        rm.put("5xx", v[4]);
        rm.put("total", v[0] + v[1] + v[2] + v[3] + v[4]);
        return rm;
    }

    /** GET /_console/api/charts?seconds=&bucket=: written vs projected and sync latency, oldest bucket first. */
    public Map<String, Object> charts(int seconds, int bucketSeconds) {
        int span = Math.max(10, Math.min(seconds, ConsoleRecorder.SECONDS));
        int step = Math.max(1, Math.min(bucketSeconds, 60));
        List<Object> buckets = new ArrayList<>();
        for (ConsoleRecorder.Bucket b : recorder.series(span, step)) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("t", b.start());
            bm.put("seconds", b.seconds());
            bm.put("written", b.written());
            bm.put("projected", b.projected());
            bm.put("p50Ms", b.p50Ms());
            bm.put("p99Ms", b.p99Ms());
            bm.put("maxMs", b.maxMs());
            buckets.add(bm);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", span);
        out.put("bucketSeconds", step);
        out.put("buckets", buckets);
        return out;
    }

    /** POST /_console/api/check-sync: check-sync's comparison, as {@code check-sync --json} prints it. */
    public ObjectNode checkSync() {
        SyncReport report = source.checkSync(5);
        ObjectNode node = report.toJson();
        node.put("problems", report.problems());
        node.put("checked_at", time(clock.instant()));
        return node;
    }

    /** The first four characters and the length: enough to tell keys apart, not enough to use one. */
    static String mask(String key) {
        if (key == null || key.isEmpty()) {
            return "";
        }
        int shown = Math.min(4, key.length() / 4);
        return key.substring(0, shown) + "\u2026 (" + key.length() + " characters)";
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
