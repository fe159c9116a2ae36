package io.pushcqrs.local.lambda;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The environments of one function: warm ones are reused (most recently used first), a new one starts when none is
 * free, at most {@code max} at once; beyond that an invoke waits for one to come free.
 */
final class FunctionPool {

    /** No environment came free within the wait bound. */
    static final class Throttled extends Exception {
        Throttled() {
            super("no environment free", null, false, false);
        }
    }

    /** An environment lent to one invocation, by this pool. */
    record Lease(ExecutionEnvironment environment, boolean cold, FunctionPool pool) {
    }

    final FunctionSpec spec;
    /** The Java that runs the function (its runtime's, or the nearest newer one). */
    final JavaRuntimes.JavaInstallation java;
    /** The function's class file versions, or null when they could not be read. */
    final ClassVersions.Report classes;
    /** The init error every environment of this function would end with (a handler class too new), or null. */
    final String initFailure;
    private final int max;
    private final ExecutionEnvironment.Launcher launcher;
    private final Semaphore permits;
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
    private final Set<ExecutionEnvironment> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;
    /** Why the pool takes no more invocations (shut down, or replaced by a deployment). */
    private volatile String closedReason = "the Lambda runtime is shut down";

    FunctionPool(FunctionSpec spec, int max, ExecutionEnvironment.Launcher launcher) {
        this(spec, max, launcher, null, null, null);
    }

    FunctionPool(FunctionSpec spec, int max, ExecutionEnvironment.Launcher launcher, JavaRuntimes.JavaInstallation java,
                 ClassVersions.Report classes, String initFailure) {
        this.spec = spec;
        this.java = java;
        this.classes = classes;
        this.initFailure = initFailure;
        this.max = max;
        this.launcher = launcher;
        this.permits = new Semaphore(max, true);
    }

    Lease acquire(long waitMs) throws Throttled, IOException, InterruptedException {
        if (!permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
            throw new Throttled();
        }
        try {
            if (closed) {
                throw new IOException("the Lambda runtime is shut down");
            }
            synchronized (idle) {
                ExecutionEnvironment environment;
                while ((environment = idle.pollFirst()) != null) {
                    if (environment.isAlive()) {
                        return new Lease(environment, false, this);
                    }
                    all.remove(environment);
                }
            }
            ExecutionEnvironment started = ExecutionEnvironment.start(spec, ids.incrementAndGet(), launcher);
            all.add(started);
            if (closed) {
                started.kill("the Lambda runtime is shut down");
            }
            return new Lease(started, true, this);
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Gives the environment back: kept warm when healthy, else killed (a new one starts lazily). */
    void release(Lease lease, boolean healthy) {
        release(lease, healthy, "replaced after a failed invocation");
    }

    void release(Lease lease, boolean healthy, String reason) {
        ExecutionEnvironment environment = lease.environment();
        try {
            if (healthy && environment.isAlive() && !closed) {
                synchronized (idle) {
                    idle.addFirst(environment);
                }
            } else {
                if (environment.isAlive()) {
                    environment.kill(closed ? closedReason : reason);
                }
                all.remove(environment);
            }
        } finally {
            permits.release();
        }
    }

    int environmentCount() {
        all.removeIf(e -> !e.isAlive());
        return all.size();
    }

    int max() {
        return max;
    }

    List<ExecutionEnvironment> environments() {
        return new ArrayList<>(all);
    }

    /**
     * Retires the pool when a deployment replaces or removes the function: it takes no more invocations (new ones go to
     * the new pool), its idle environments stop now, and the busy ones finish their invocation and stop then.
     */
    void retire(String reason) {
        closedReason = reason;
        closed = true;
        List<ExecutionEnvironment> idleNow;
        synchronized (idle) {
            idleNow = new ArrayList<>(idle);
            idle.clear();
        }
        for (ExecutionEnvironment environment : idleNow) {
            environment.kill(reason);
            all.remove(environment);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ExecutionEnvironment environment : idleNow) {
            environment.awaitExit(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
    }

    /** True when no environment of the pool runs any more (a retired pool is then done). */
    boolean drained() {
        return environmentCount() == 0;
    }

    /** Kills every environment and waits (bounded) for the JVMs to be gone. */
    void close(long waitMs) {
        closed = true;
        List<ExecutionEnvironment> environments = new ArrayList<>(all);
        synchronized (idle) {
            idle.clear();
        }
        for (ExecutionEnvironment environment : environments) {
            environment.kill("the Lambda runtime is shut down");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        for (ExecutionEnvironment environment : environments) {
            environment.awaitExit(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            environment.stopApi();
        }
        all.clear();
    }
}
