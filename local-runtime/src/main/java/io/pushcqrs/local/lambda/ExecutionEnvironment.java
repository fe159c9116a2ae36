package io.pushcqrs.local.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One execution environment: a child JVM running the Runtime Interface Client against its own
 * {@link RuntimeApiServer}, in its own working folder. It serves one invocation at a time.
 */
final class ExecutionEnvironment implements RuntimeApiServer.Backend {

    /** What every environment shares. */
    record Launcher(Path javaBinary, int javaFeature, List<Path> ricClasspath, Path nativeLibrary, Path envsDir,
                    Map<String, String> extraEnvironment, List<String> jvmOptions, RuntimeLogs logs,
                    ExecutorService executor, CpuQuota cpuQuota) {
        /** The same, with the Java of a function's runtime. */
        Launcher withJava(JavaRuntimes.JavaInstallation java) {
            return new Launcher(java.java(), java.feature(), ricClasspath, nativeLibrary, envsDir, extraEnvironment,
                    jvmOptions, logs, executor, cpuQuota);
        }
    }

    private static final Invocation POISON = new Invocation("", new byte[0], "", null, 0);

    final FunctionSpec spec;
    final int id;
    private final Launcher launcher;
    private final Path dir;
    private final RuntimeApiServer api;
    private final Process process;
    /** The environment's cgroup with its CPU quota (--lambda-cpu-quota), or null. */
    private final Path cgroup;
    private final long startNanos = System.nanoTime();
    private final LinkedBlockingQueue<Invocation> inbox = new LinkedBlockingQueue<>();
    private final AtomicReference<Invocation> current = new AtomicReference<>();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean exitHandled = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean ready;
    private volatile long initMs = -1;
    private volatile String killReason;
    /** The init error the runtime posted (header type, body), if any: every pending invocation ends with it. */
    private volatile Invocation.Outcome initError;

    private ExecutionEnvironment(FunctionSpec spec, int id, Launcher launcher) throws IOException {
        this.spec = spec;
        this.id = id;
        this.launcher = launcher;
        Files.createDirectories(launcher.envsDir());
        this.dir = Files.createTempDirectory(launcher.envsDir(), safe(spec.name()) + "-" + id + "-");
        Files.createDirectories(dir.resolve("tmp"));
        this.api = new RuntimeApiServer(this, launcher.executor());
        Process started;
        try {
            started = FunctionJvm.processBuilder(spec, id, launcher, dir, api.address()).start();
        } catch (IOException | RuntimeException e) {
            api.stop();
            deleteQuietly(dir);
            throw new IOException("Could not start a JVM for function " + spec.name() + " ("
                    + launcher.javaBinary() + "): " + e.getMessage(), e);
        }
        this.process = started;
        this.cgroup = launcher.cpuQuota() == null ? null
                : launcher.cpuQuota().apply(process.pid(), spec.name(), spec.memoryMb()).orElse(null);
        log("started pid " + process.pid() + " (" + launcher.javaBinary() + "), Runtime API " + api.address() + ", folder "
                + dir + (cgroup == null ? "" : ", CPU quota " + CpuQuota.quotaOf(cgroup) + " in " + cgroup));
        Thread pump = new Thread(new OutputPump(process.getInputStream(), line -> launcher.logs().functionLine(spec.name(), id, line)),
                "lambda-" + spec.name() + "-env-" + id + "-output");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRunAsync(this::onExit, launcher.executor());
    }

    /**
     * Waits (bounded) for the JVM to be gone, then makes sure its Runtime API server is stopped and its pending
     * invocations are ended (the exit callback may not have run yet).
     *
     * @return whether the JVM is gone
     */
    boolean awaitExit(long timeoutMs) {
        try {
            process.onExit().get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        onExit();
        return true;
    }

    /** Stops the Runtime API server even if the JVM is not gone (last resort of close()). */
    void stopApi() {
        api.stop();
    }

    /** Starts a JVM; it becomes ready (cold start done) when it first asks for an invocation. */
    static ExecutionEnvironment start(FunctionSpec spec, int id, Launcher launcher) throws IOException {
        return new ExecutionEnvironment(spec, id, launcher);
    }

    /**
     * Runs one invocation: waits up to initTimeoutMs for the runtime to take it (the init phase of a cold
     * environment), then up to the function's timeout. A timed-out environment is killed.
     */
    Invocation.Outcome run(Invocation invocation, long initTimeoutMs) throws InterruptedException {
        inbox.add(invocation);
        if (!isAlive()) {
            // died before we queued it: onExit may already have drained the inbox
            finishPending();
        }
        try {
            CompletableFuture.anyOf(invocation.pickedUp, invocation.result).get(initTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Invocation.Outcome timedOut;
            if (invocation.budgetStartNanos != 0) {
                // a suppressed init: the function's timeout covers init and invocation, and it is over
                double seconds = (System.nanoTime() - invocation.budgetStartNanos) / 1e9;
                timedOut = new Invocation.Outcome(Invocation.Kind.TIMEOUT, LambdaErrors.timedOut(invocation.requestId, seconds),
                        "Sandbox.Timedout");
            } else {
                timedOut = new Invocation.Outcome(Invocation.Kind.INIT_TIMEOUT,
                        LambdaErrors.initTimedOut(invocation.requestId, initTimeoutMs / 1000.0), "Sandbox.Timedout");
            }
            if (invocation.result.complete(timedOut)) {
                kill("init did not finish within " + initTimeoutMs + " ms");
            }
            return invocation.result.join();
        } catch (ExecutionException e) {
            // pickedUp and result never complete exceptionally
            throw new IllegalStateException(e);
        }
        if (invocation.result.isDone()) {
            return invocation.result.join();
        }
        long remaining = invocation.startNanos() + TimeUnit.MILLISECONDS.toNanos(invocation.timeoutMs)
                - System.nanoTime();
        try {
            return invocation.result.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            double seconds = (System.nanoTime() - invocation.startNanos()) / 1e9;
            Invocation.Outcome timedOut = new Invocation.Outcome(Invocation.Kind.TIMEOUT,
                    LambdaErrors.timedOut(invocation.requestId, seconds), "Sandbox.Timedout");
            if (invocation.result.complete(timedOut)) {
                kill(String.format(java.util.Locale.ROOT, "request %s timed out after %.2f seconds",
                        invocation.requestId, seconds));
            }
            return invocation.result.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return !exited.isDone() && killReason == null && process.isAlive();
    }

    /** The time from JVM start to its first /next, or -1 before that. */
    long initMs() {
        return initMs;
    }

    ProcessHandle process() {
        return process.toHandle();
    }

    CompletableFuture<Void> exited() {
        return exited;
    }

    /** Kills the JVM (SIGKILL); pending invocations end with Runtime.ExitError. */
    void kill(String reason) {
        if (killReason == null) {
            killReason = reason;
            log("killed: " + reason);
        }
        process.destroyForcibly();
        inbox.add(POISON);
    }

    // ---- Runtime API backend ----

    @Override
    public Invocation next() throws InterruptedException {
        if (!ready) {
            ready = true;
            initMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            log("ready after " + initMs + " ms (init)");
        }
        while (true) {
            Invocation invocation = inbox.take();
            if (invocation == POISON) {
                inbox.add(POISON);
                return null;
            }
            if (invocation.result.isDone()) {
                continue; // given up on before the runtime took it
            }
            invocation.pickedUpNanos = System.nanoTime();
            invocation.deadlineEpochMs = System.currentTimeMillis() + invocation.timeoutMs
                    - TimeUnit.NANOSECONDS.toMillis(invocation.pickedUpNanos - invocation.startNanos());
            current.set(invocation);
            invocation.pickedUp.complete(null);
            return invocation;
        }
    }

    @Override
    public int response(String requestId, byte[] body, long size) {
        Invocation invocation = take(requestId);
        if (invocation == null) {
            return 400;
        }
        if (size > LambdaErrors.MAX_RESPONSE_BYTES) {
            invocation.result.complete(new Invocation.Outcome(Invocation.Kind.ERROR,
                    LambdaErrors.responseTooLarge(size), "Function.ResponseSizeTooLarge"));
        } else {
            invocation.result.complete(Invocation.Outcome.ok(body));
        }
        return 202;
    }

    @Override
    public int error(String requestId, String errorType, byte[] body) {
        Invocation invocation = take(requestId);
        if (invocation == null) {
            return 400;
        }
        byte[] payload = LambdaErrors.normalizeRuntimeError(body, errorType);
        invocation.result.complete(new Invocation.Outcome(Invocation.Kind.ERROR, payload,
                LambdaErrors.errorTypeOf(payload, errorType)));
        return 202;
    }

    @Override
    public int initError(String errorType, byte[] body) {
        byte[] payload = LambdaErrors.normalizeRuntimeError(body, errorType);
        // the runtime's classification (header, e.g. Runtime.BadFunctionCode) names the outcome; the body it
        // posted (errorMessage, errorType of the exception) is the payload, as AWS passes it through
        String type = errorType == null || errorType.isBlank() ? LambdaErrors.errorTypeOf(payload, "Runtime.Unknown")
                : errorType;
        initError = new Invocation.Outcome(Invocation.Kind.INIT_ERROR, payload, type);
        log("init error (" + errorType + "): " + new String(payload, StandardCharsets.UTF_8));
        finishPending();
        return 202;
    }

    private Invocation take(String requestId) {
        Invocation invocation = current.get();
        if (invocation == null || !invocation.requestId.equals(requestId) || !current.compareAndSet(invocation, null)) {
            return null;
        }
        return invocation;
    }

    // ---- process lifecycle ----

    private void onExit() {
        if (!exitHandled.compareAndSet(false, true)) {
            return;
        }
        int status = process.exitValue();
        log("exited: " + describeExit(status));
        exited.complete(null);
        inbox.add(POISON);
        finishPending();
        api.stop();
        deleteQuietly(dir);
        if (cgroup != null) {
            CpuQuota.remove(cgroup);
        }
    }

    /** Ends the running and queued invocations: with the init error if one was posted, else as a crash. */
    private void finishPending() {
        if (isAlive() && initError == null) {
            return;
        }
        List<Invocation> pending = new ArrayList<>();
        Invocation running = current.getAndSet(null);
        if (running != null) {
            pending.add(running);
        }
        inbox.drainTo(pending);
        inbox.add(POISON);
        for (Invocation invocation : pending) {
            if (invocation == POISON) {
                continue;
            }
            Invocation.Outcome outcome = initError;
            if (outcome == null) {
                String exit = process.isAlive() ? "signal: killed" : describeExit(process.exitValue());
                outcome = new Invocation.Outcome(Invocation.Kind.CRASH,
                        LambdaErrors.exited(invocation.requestId, exit), "Runtime.ExitError");
            }
            invocation.result.complete(outcome);
        }
    }

    /** As AWS words it: "exit status 3", "signal: killed". */
    static String describeExit(int status) {
        if (status > 128 && status < 160) {
            return "signal: " + switch (status - 128) {
                case 9 -> "killed";
                case 15 -> "terminated";
                case 6 -> "aborted";
                case 11 -> "segmentation fault";
                case 2 -> "interrupt";
                default -> "signal " + (status - 128);
            };
        }
        return "exit status " + status;
    }

    private void log(String message) {
        launcher.logs().functionLine(spec.name(), id, "--- " + message);
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return spec.name() + "/env-" + id + "(pid " + process.pid() + ")";
    }
}
