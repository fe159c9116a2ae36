package io.pushcqrs.local.stack;

import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.iam.StackIam;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.LambdaRuntime;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.moto.MotoServer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of {@code GET /_local/health}: the stack's status, moto's, each function's environments, each poller's counters. */
final class HealthReport {
    private HealthReport() {
    }

    /** Any of moto, model and runtime may be null while the stack starts. */
    static Map<String, Object> of(String status, String stackName, Instant startedAt, String endpoint, Path state,
                                  Path logs, MotoServer moto, StackModel model, LambdaRuntime runtime,
                                  List<StreamPoller> pollers) {
        return of(status, stackName, startedAt, endpoint, state, logs, moto, model, runtime, pollers, null);
    }

    /** @param iam IAM's state (an "iam" object, and each mapping's IAM problem), or null */
    static Map<String, Object> of(String status, String stackName, Instant startedAt, String endpoint, Path state,
                                  Path logs, MotoServer moto, StackModel model, LambdaRuntime runtime,
                                  List<StreamPoller> pollers, StackIam iam) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("service", RunningStack.SERVICE);
        h.put("status", status);
        h.put("pid", ProcessHandle.current().pid());
        h.put("stack", stackName);
        h.put("startedAt", startedAt.toString());
        h.put("endpoint", endpoint);
        h.put("stateDir", state.toString());
        h.put("logDir", logs.toString());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", moto == null ? "starting" : moto.answers() ? "up" : "down");
        if (moto != null) {
            m.put("endpoint", moto.endpoint().toString());
            m.put("pid", moto.pid());
        }
        h.put("moto", m);
        List<Object> functions = new ArrayList<>();
        if (model != null && runtime != null) {
            for (FunctionSpec f : model.functions()) {
                functions.add(Map.of("name", f.name(), "environments", runtime.environmentCount(f.name())));
            }
        }
        h.put("functions", functions);
        List<Object> ps = new ArrayList<>();
        for (StreamPoller p : pollers) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("mapping", p.spec().uuid());
            pm.put("function", p.spec().functionName());
            pm.put("stream", p.spec().streamArn());
            pm.put("running", p.isRunning());
            StreamPoller.Stats stats = p.stats();
            pm.put("invocations", stats.invocations());
            pm.put("recordsSucceeded", stats.recordsSucceeded());
            pm.put("recordsDiscarded", stats.recordsDiscarded());
            pm.put("onFailureMessages", stats.onFailureMessages());
            StreamPoller.Status pollerStatus = p.status();
            pm.put("state", pollerStatus.state().name());
            pm.put("iteratorAgeMs", pollerStatus.iteratorAgeMs());
            if (pollerStatus.problem() != null) {
                pm.put("problem", pollerStatus.problem());
                pm.put("failedReads", pollerStatus.failedReads());
            }
            if (pollerStatus.stuckSince() != null) {
                pm.put("stuckSince", pollerStatus.stuckSince().toString());
            }
            if (iam != null) {
                // a mapping IAM refused is Disabled with AWS's LastProcessingResult, whatever the poller says
                pm.putAll(iam.mappingHealth(p.spec().uuid()));
            }
            ps.add(pm);
        }
        h.put("pollers", ps);
        if (iam != null) {
            h.put("iam", iam.health());
        }
        return h;
    }
}
