package io.pushcqrs.local.faults;

import io.pushcqrs.local.lambda.LambdaInvoker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One start's fault injection ({@code --faults}): the parts the stack plugs in, their counters for
 * {@code /_local/health}, and the restart timer.
 */
public final class Faults implements AutoCloseable {
    private final FaultSpec spec;
    private final Consumer<String> log;
    private volatile FaultyInvoker invoker;
    private volatile BackendFaults backend;
    private final AtomicLong restarts = new AtomicLong();
    private ScheduledExecutorService timer;

    public Faults(FaultSpec spec, Consumer<String> log) {
        this.spec = spec == null ? FaultSpec.NONE : spec;
        this.log = log;
    }

    public FaultSpec spec() {
        return spec;
    }

    public boolean active() {
        return spec.active();
    }

    /** The invoker the pollers get: the given one, or it wrapped by the invocation faults. */
    public LambdaInvoker pollerInvoker(LambdaInvoker real, Function<String, List<ProcessHandle>> processesOf) {
        if (spec.invokeThrow() + spec.invokeTimeout() + spec.invokeKill() == 0) {
            return real;
        }
        invoker = new FaultyInvoker(real, spec, processesOf, log);
        return invoker;
    }

    /** The edge's check of the backend faults, or null when none is asked for. */
    public BackendFaults backendCheck() {
        if (spec.backendThrottle() + spec.backend5xx() == 0 && spec.outageLength().isZero()) {
            return null;
        }
        backend = new BackendFaults(spec, log);
        return backend;
    }

    /**
     * Every {@code runtime.restart}: the restart (stop the pollers and start them again from their checkpoints, kill
     * the mapped functions' JVMs), on a daemon thread.
     */
    public synchronized void startRestarts(Runnable restart) {
        if (spec.restartEvery().isZero() || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "faults-restart");
            t.setDaemon(true);
            return t;
        });
        long every = spec.restartEvery().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                long n = restarts.incrementAndGet();
                log.accept("FAULT runtime.restart #" + n + ": stopping the pollers and the mapped functions' JVMs");
                restart.run();
                log.accept("FAULT runtime.restart #" + n + ": pollers started again from their checkpoints");
            } catch (RuntimeException e) {
                log.accept("FAULT runtime.restart failed: " + e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The counters for /_local/health. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("spec", spec.describe());
        FaultyInvoker i = invoker;
        if (i != null) {
            h.put("invokeThrown", i.thrown.get());
            h.put("invokeTimedOut", i.timedOut.get());
            h.put("invokeKilled", i.killed.get());
        }
        BackendFaults b = backend;
        if (b != null) {
            h.put("backendThrottled", b.throttled.get());
            h.put("backend5xx", b.failed.get());
            h.put("backendUnreachable", b.unreachable.get());
        }
        h.put("restarts", restarts.get());
        return h;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
