package io.pushcqrs.local.lambda;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local Lambda service: every function runs in child JVMs with the AWS Lambda Runtime Interface Client against
 * a Runtime API served here, one JVM per execution environment.
 *
 * <ul>
 *   <li>Warm environments are reused; concurrent invokes of one function start more environments, up to
 *       {@link LambdaRuntimeConfig#maxEnvironmentsPerFunction()}; beyond that an invoke waits up to the queue bound
 *       and then answers 429 (TooManyRequestsException).</li>
 *   <li>The template's timeout is enforced: the environment is killed and a new one starts on the next invoke; the
 *       invoke answers functionError "Unhandled" with errorType Sandbox.Timedout.</li>
 *   <li>An uncaught handler error answers functionError "Unhandled" with the error the runtime posted; a JVM that
 *       exits mid-invoke answers Runtime.ExitError; an init failure answers the init error's type and message.</li>
 *   <li>Functions are found by name, full ARN, partial ARN, with or without the qualifier {@code $LATEST};
 *       an unknown one answers 404 (ResourceNotFoundException).</li>
 *   <li>Logs: {@code <logDir>/<function>.log} (the environments' output, prefixed {@code [env-N]}) and
 *       {@code <logDir>/invocations.log} (one line per invocation, also printed to stdout).</li>
 * </ul>
 */
public final class LambdaRuntime implements LambdaInvoker, AutoCloseable {

    /** How long an invoke waits for a free environment when all are busy, before answering 429. */
    public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(10);
    /**
     * How long a new environment may take from JVM start to its first /next: Lambda's 10 s. As on AWS, an init that
     * takes longer is retried once at the invocation, with the function's timeout covering the retried init and the
     * invocation.
     */
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger RUNTIMES = new AtomicInteger();

    static {
        // before any JDK HTTP server of this JVM is created (the edge's too): see RuntimeApiServer.enableNoDelay
        RuntimeApiServer.enableNoDelay();
    }

    private final LambdaRuntimeConfig config;
    private final long maxQueueWaitMs;
    private final long initTimeoutMs;
    private final RuntimeLogs logs;
    private final ExecutorService executor;
    private final ExecutionEnvironment.Launcher launcher;
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    /** Pools a deployment replaced or removed whose environments still finish an invocation. */
    private final java.util.Set<FunctionPool> retired = ConcurrentHashMap.newKeySet();
    private final List<JavaRuntimes.JavaInstallation> javas;
    private final Concurrency concurrency;
    private final MemoryWatch memoryWatch;
    private final CpuQuota cpuQuota;
    private final Thread shutdownHook;
    private volatile boolean closed;

    public LambdaRuntime(LambdaRuntimeConfig config) {
        this(config, DEFAULT_MAX_QUEUE_WAIT, DEFAULT_INIT_TIMEOUT);
    }

    public LambdaRuntime(LambdaRuntimeConfig config, Duration maxQueueWait, Duration initTimeout) {
        this(config, maxQueueWait, initTimeout, System.out);
    }

    /**
     * @param console where the per-invocation lines are printed besides invocations.log (null: nowhere)
     * @throws IllegalArgumentException when a RIC classpath entry does not exist
     * @throws IllegalStateException    when the RIC's native library cannot be found for this machine
     * @throws UncheckedIOException     when the work or log folder cannot be written
     */
    public LambdaRuntime(LambdaRuntimeConfig config, Duration maxQueueWait, Duration initTimeout, PrintStream console) {
        this.config = config;
        this.maxQueueWaitMs = maxQueueWait.toMillis();
        this.initTimeoutMs = initTimeout.toMillis();
        List<Path> missing = config.ricClasspath().stream().filter(p -> !Files.exists(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The Lambda Runtime Interface Client classpath names missing files: "
                    + missing + ". Build them with `mvn -B package -DskipTests`.");
        }
        Path envsDir = config.workDir().resolve("envs");
        try {
            Files.createDirectories(config.workDir());
            ExecutionEnvironment.deleteQuietly(envsDir); // working folders of a previous run
            Files.createDirectories(envsDir);
            this.logs = new RuntimeLogs(config.logDir(), console);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Lambda runtime's folders " + config.workDir() + " and "
                    + config.logDir() + ": " + e.getMessage(), e);
        }
        if (!"true".equals(System.getProperty("sun.net.httpserver.nodelay")) && console != null) {
            console.println("local-runtime: WARNING sun.net.httpserver.nodelay is not true: every invoke will wait "
                    + "~40-90 ms on Nagle's algorithm; start the JVM with -Dsun.net.httpserver.nodelay=true");
        }
        Path nativeLibrary = RicClasspath.extractNativeLibrary(config.ricClasspath(), config.workDir().resolve("native"));
        int runtime = RUNTIMES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread thread = new Thread(r, "lambda-runtime-" + runtime + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newCachedThreadPool(factory);
        this.javas = JavaRuntimes.discover(config.javaHomes());
        this.concurrency = new Concurrency(config.concurrencyLimit());
        this.cpuQuota = config.cpuQuota() ? CpuQuota.create(Path.of("/sys/fs/cgroup"),
                "pushcqrs-local-" + ProcessHandle.current().pid() + "-" + runtime) : null;
        this.launcher = new ExecutionEnvironment.Launcher(javaBinary(), Runtime.version().feature(), config.ricClasspath(),
                nativeLibrary, envsDir, config.extraEnvironment(), config.jvmOptions(), logs, executor, cpuQuota);
        this.memoryWatch = new MemoryWatch(this::allEnvironments, Path.of("/proc"));
        if (memoryWatch.available()) {
            Thread watch = factory.newThread(memoryWatch);
            watch.setName("lambda-runtime-" + runtime + "-memory");
            watch.start();
        } else if (console != null) {
            console.println("local-runtime: no /proc on this machine: function memory is bounded by the JVM flags only"
                    + " (heap, MaxRAM), not watched");
        }
        this.shutdownHook = new Thread(this::killAll, "lambda-runtime-" + runtime + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The RIC jar and its dependencies: see {@link RicClasspath#find()}. */
    public static List<Path> defaultRicClasspath() {
        return RicClasspath.find();
    }

    /**
     * Makes a function invocable. Registering a name again replaces the function, as a Lambda update does: new
     * invocations run the new spec (code, environment, handler...) in new environments, invocations in flight finish
     * in the old ones, which then stop; idle old environments stop at once.
     *
     * @throws IllegalArgumentException when the spec is incomplete or its code is missing
     */
    public void register(FunctionSpec spec) {
        if (closed) {
            throw new IllegalStateException("The Lambda runtime is closed");
        }
        validate(spec);
        int feature = JavaRuntimes.feature(spec.runtime()).orElseThrow(() -> new IllegalArgumentException(
                "Cannot register function " + spec.name() + ": runtime " + spec.runtime() + " is not a Java runtime"));
        JavaRuntimes.JavaInstallation java = JavaRuntimes.select(feature, javas).orElseThrow(() -> new IllegalArgumentException(
                "Cannot register function " + spec.name() + ": its runtime " + spec.runtime() + " needs a Java " + feature
                        + " or newer, and none is installed (found: " + javas.stream().map(j -> j.feature() + " at " + j.home())
                        .toList() + "); install one, or name its folder with --lambda-java-home"));
        String initFailure = null;
        ClassVersions.Report classes = ClassVersions.scan(spec.codePath(), spec.handler(),
                feature + 44).orElse(null);
        if (classes != null && classes.handlerVersion() > feature + 44) {
            initFailure = ClassVersions.tooNewMessage(spec.handler(), classes.handlerVersion(), feature + 44);
        }
        concurrency.reserve(spec.name(), spec.reservedConcurrency());
        FunctionPool previous = pools.put(spec.name(), new FunctionPool(spec, config.maxEnvironmentsPerFunction(),
                launcher.withJava(java), java, classes, initFailure));
        if (previous != null) {
            retire(previous, "replaced by a new version of the function");
        }
    }

    /**
     * Removes a function (a deployment deleted it): new invocations answer 404, invocations in flight finish.
     *
     * @return whether the function was registered
     */
    public boolean unregister(String functionName) {
        FunctionPool previous = pools.remove(functionName);
        if (previous != null) {
            concurrency.reserve(functionName, FunctionSpec.UNRESERVED);
            retire(previous, "the function was deleted");
        }
        return previous != null;
    }

    private void retire(FunctionPool pool, String reason) {
        pool.retire(reason);
        retired.removeIf(FunctionPool::drained);
        if (!pool.drained()) {
            retired.add(pool);
        }
    }

    @Override
    public InvokeResult invoke(String functionNameOrArn, byte[] payload) {
        return invoke(functionNameOrArn, payload, null);
    }

    /**
     * @param clientContext the client context JSON (Invoke's X-Amz-Client-Context, base64-decoded), or null
     */
    public InvokeResult invoke(String functionNameOrArn, byte[] payload, String clientContext) {
        long start = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String target = functionNameOrArn == null ? "" : functionNameOrArn.strip();
        byte[] event = payload == null || payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload;
        if (closed) {
            return apiError(target, requestId, start, 500,
                    LambdaErrors.service("The local Lambda runtime is shut down"), "FAILED(shut down)");
        }
        if (event.length > LambdaErrors.MAX_REQUEST_BYTES) {
            return apiError(target, requestId, start, 413, LambdaErrors.requestTooLarge(), "REQUEST_TOO_LARGE");
        }
        Target resolved = resolve(target);
        FunctionPool pool = resolved == null ? null : pools.get(resolved.name());
        if (pool == null) {
            return apiError(target, requestId, start, 404, LambdaErrors.notFound(notFoundName(target)), "NOT_FOUND");
        }
        FunctionSpec spec = pool.spec;
        String throttled = concurrency.tryAcquire(spec.name());
        if (throttled != null) {
            return apiError(spec.name(), requestId, start, 429, LambdaErrors.tooManyRequests(throttled),
                    "THROTTLED(" + throttled + ")");
        }
        try {
            return invoke(pool, resolved, requestId, event, clientContext, start);
        } finally {
            concurrency.release(spec.name());
        }
    }

    private InvokeResult invoke(FunctionPool pool, Target resolved, String requestId, byte[] event, String clientContext,
                                long start) {
        FunctionSpec spec = pool.spec;
        String invokedArn = resolved.qualifier() == null ? spec.arn() : spec.arn() + ":" + resolved.qualifier();
        if (pool.initFailure != null) {
            // the handler class is newer than the runtime's Java: its init fails as the RIC reports it on AWS
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            logs.functionLine(spec.name(), 0, "--- init error (Runtime.BadFunctionCode): " + pool.initFailure
                    + " (runtime " + spec.runtime() + ")");
            logs.invocation(spec.name(), requestId, null, durationMs, "INIT_ERROR(Runtime.BadFunctionCode)", true);
            return new InvokeResult(200, LambdaErrors.function(pool.initFailure, "java.lang.UnsupportedClassVersionError"),
                    "Unhandled", requestId, durationMs);
        }
        Invocation invocation = new Invocation(requestId, event, invokedArn, clientContext,
                TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()));
        Attempt attempt = attempt(pool, invocation, initTimeoutMs, start);
        if (attempt.result != null) {
            return attempt.result;
        }
        if (attempt.outcome.kind() == Invocation.Kind.INIT_TIMEOUT) {
            // Lambda retries an init that took longer than 10 s at the invocation, in a new environment, with the
            // function's timeout covering that init and the invocation
            logs.functionLine(spec.name(), attempt.environment, "--- init took longer than " + initTimeoutMs + " ms: retrying"
                    + " it for this invocation, within the function's timeout (" + spec.timeoutSeconds() + " s)");
            invocation = new Invocation(requestId, event, invokedArn, clientContext,
                    TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()));
            invocation.budgetStartNanos = System.nanoTime();
            attempt = attempt(pool, invocation, TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()), start);
            if (attempt.result != null) {
                return attempt.result;
            }
        }
        Invocation.Outcome outcome = attempt.outcome;
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        logs.invocation(spec.name(), requestId, attempt.environment, durationMs, outcome.label(), attempt.cold);
        return new InvokeResult(200, outcome.payload(), outcome.kind() == Invocation.Kind.OK ? null : "Unhandled",
                requestId, durationMs);
    }

    /** One environment's try: its outcome, or the API error that ended the invoke. */
    private record Attempt(Invocation.Outcome outcome, int environment, boolean cold, InvokeResult result) {
    }

    private Attempt attempt(FunctionPool first, Invocation invocation, long initTimeoutMs, long start) {
        FunctionPool pool = first;
        FunctionSpec spec = pool.spec;
        FunctionPool.Lease lease;
        try {
            lease = acquire(spec.name(), pool);
            pool = lease.pool(); // a deployment may have replaced the function meanwhile
        } catch (FunctionPool.Throttled e) {
            return new Attempt(null, 0, false, apiError(spec.name(), invocation.requestId, start, 429,
                    LambdaErrors.localEnvironmentsBusy(spec.name(), pool.max(), maxQueueWaitMs), "THROTTLED(--max-envs)"));
        } catch (IOException e) {
            return new Attempt(null, 0, false, apiError(spec.name(), invocation.requestId, start, 500,
                    LambdaErrors.service(e.getMessage()), "FAILED(" + e.getMessage() + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, 0, false, apiError(spec.name(), invocation.requestId, start, 500,
                    LambdaErrors.service("Invoke interrupted"), "FAILED(interrupted)"));
        }
        Invocation.Outcome outcome;
        try {
            outcome = lease.environment().run(invocation, initTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lease.environment().kill("the invoke was interrupted");
            pool.release(lease, false);
            return new Attempt(null, 0, false, apiError(spec.name(), invocation.requestId, start, 500,
                    LambdaErrors.service("Invoke interrupted"), "FAILED(interrupted)"));
        }
        pool.release(lease, outcome.environmentHealthy(), outcome.kind() == Invocation.Kind.INIT_ERROR
                ? "init failed (" + outcome.errorType() + ")" : "replaced after a failed invocation");
        return new Attempt(outcome, lease.environment().id, lease.cold(), null);
    }

    /** A lease of the pool; when a deployment retired it meanwhile, of the function's new pool. */
    private FunctionPool.Lease acquire(String name, FunctionPool pool)
            throws FunctionPool.Throttled, IOException, InterruptedException {
        try {
            return pool.acquire(maxQueueWaitMs);
        } catch (IOException e) {
            FunctionPool current = pools.get(name);
            if (closed || current == null || current == pool) {
                throw e;
            }
            return current.acquire(maxQueueWaitMs);
        }
    }

    /** The Java that runs a function, e.g. "Temurin 25.0.3 (/usr/lib/jvm/temurin-25-jdk-amd64)". */
    public Optional<String> javaOf(String functionName) {
        FunctionPool pool = pools.get(functionName);
        return pool == null ? Optional.empty() : Optional.of(pool.java.describe());
    }

    /**
     * What the function's code would meet on AWS with its runtime: the init error of a handler class newer than the
     * runtime's Java, or a warning about other classes that are (they fail when first used), else empty.
     */
    public Optional<String> codeProblem(String functionName) {
        FunctionPool pool = pools.get(functionName);
        if (pool == null) {
            return Optional.empty();
        }
        if (pool.initFailure != null) {
            return Optional.of("fails at init on AWS's " + pool.spec.runtime() + ": " + pool.initFailure);
        }
        ClassVersions.Report classes = pool.classes;
        int max = JavaRuntimes.feature(pool.spec.runtime()).orElse(0) + 44;
        if (classes != null && classes.classesNewerThan() > 0) {
            return Optional.of(classes.classesNewerThan() + " class(es) are newer than " + pool.spec.runtime() + " allows (class"
                    + " file version " + max + "), e.g. " + classes.newestClass() + " (" + classes.newestVersion() + "): on AWS"
                    + " they fail when first used");
        }
        return Optional.empty();
    }

    /** The account-level concurrency limit, and what functions without a reservation share of it. */
    public String concurrencySummary() {
        return "concurrency limit " + concurrency.accountLimit() + " (unreserved " + concurrency.unreservedLimit() + ")";
    }

    private Iterable<ExecutionEnvironment> allEnvironments() {
        List<ExecutionEnvironment> all = new ArrayList<>();
        for (FunctionPool pool : pools.values()) {
            all.addAll(pool.environments());
        }
        return all;
    }

    /** The function a name or ARN designates, if registered. */
    public Optional<FunctionSpec> find(String functionNameOrArn) {
        Target target = resolve(functionNameOrArn == null ? "" : functionNameOrArn.strip());
        FunctionPool pool = target == null ? null : pools.get(target.name());
        return Optional.ofNullable(pool).map(p -> p.spec);
    }

    public List<FunctionSpec> functions() {
        return pools.values().stream().map(p -> p.spec).toList();
    }

    /** How many environments (JVMs) the function runs now. */
    public int environmentCount(String functionName) {
        FunctionPool pool = pools.get(functionName);
        return pool == null ? 0 : pool.environmentCount();
    }

    /** The function JVMs now running. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> handles = new ArrayList<>();
        List<FunctionPool> all = new ArrayList<>(pools.values());
        all.addAll(retired);
        for (FunctionPool pool : all) {
            for (ExecutionEnvironment environment : pool.environments()) {
                if (environment.process().isAlive()) {
                    handles.add(environment.process());
                }
            }
        }
        return handles;
    }

    /** The JVMs of one function (by name or ARN) now running (fault injection kills them: docs/reliability.md). */
    public List<ProcessHandle> processes(String functionNameOrArn) {
        List<ProcessHandle> handles = new ArrayList<>();
        Optional<FunctionSpec> spec = find(functionNameOrArn);
        FunctionPool pool = spec.map(s -> pools.get(s.name())).orElse(null);
        if (pool != null) {
            for (ExecutionEnvironment environment : pool.environments()) {
                if (environment.process().isAlive()) {
                    handles.add(environment.process());
                }
            }
        }
        return handles;
    }

    /** Tells {@code events} of every invocation from now on (the console). */
    public void events(io.pushcqrs.local.console.ConsoleEvents events) {
        logs.events = events;
    }

    public Path functionLog(String functionName) {
        return logs.functionLog(functionName);
    }

    public Path invocationsLog() {
        return logs.invocationsLog();
    }

    /** Kills every function JVM and waits for them to be gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FunctionPool pool : pools.values()) {
            pool.close(5_000);
        }
        for (FunctionPool pool : retired) {
            pool.close(5_000);
        }
        killAll();
        memoryWatch.stop();
        executor.shutdownNow();
        if (cpuQuota != null) {
            cpuQuota.close();
        }
        logs.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void killAll() {
        for (FunctionPool pool : retired) {
            for (ExecutionEnvironment environment : pool.environments()) {
                environment.process().destroyForcibly();
            }
        }
        for (FunctionPool pool : pools.values()) {
            for (ExecutionEnvironment environment : pool.environments()) {
                environment.process().destroyForcibly();
            }
        }
    }

    // ---- helpers ----

    private InvokeResult apiError(String function, String requestId, long start, int status, byte[] payload,
                                  String outcome) {
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        logs.invocation(function.isEmpty() ? "-" : function, requestId, null, durationMs, outcome, null);
        return new InvokeResult(status, payload, null, requestId, durationMs);
    }

    record Target(String name, String qualifier) {
    }

    /**
     * name, name:qualifier, account:function:name[:qualifier], arn:aws:lambda:region:account:function:name[:qualifier];
     * only the qualifier $LATEST exists locally.
     */
    static Target resolve(String nameOrArn) {
        if (nameOrArn.isEmpty()) {
            return null;
        }
        String[] parts = nameOrArn.split(":", -1);
        String name;
        String qualifier = null;
        if (parts[0].equals("arn")) {
            if (parts.length < 7 || parts.length > 8 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
                return null;
            }
            name = parts[6];
            qualifier = parts.length == 8 ? parts[7] : null;
        } else if (parts.length >= 3 && parts[1].equals("function")) {
            if (parts.length > 4) {
                return null;
            }
            name = parts[2];
            qualifier = parts.length == 4 ? parts[3] : null;
        } else if (parts.length <= 2) {
            name = parts[0];
            qualifier = parts.length == 2 ? parts[1] : null;
        } else {
            return null;
        }
        if (name.isEmpty() || (qualifier != null && !qualifier.equals("$LATEST"))) {
            return null;
        }
        return new Target(name, qualifier);
    }

    private String notFoundName(String target) {
        if (target.startsWith("arn:")) {
            return target;
        }
        String prefix = pools.values().stream().map(p -> p.spec.arn())
                .filter(arn -> arn != null && arn.contains(":function:"))
                .map(arn -> arn.substring(0, arn.indexOf(":function:") + ":function:".length()))
                .findFirst()
                .orElse("arn:aws:lambda:" + config.extraEnvironment().getOrDefault("AWS_REGION", "us-east-1")
                        + ":000000000000:function:");
        return prefix + target;
    }

    private static void validate(FunctionSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.name() == null || spec.name().isBlank()) {
            problems.add("no name");
        }
        if (spec.arn() == null || spec.arn().isBlank()) {
            problems.add("no ARN");
        }
        if (spec.handler() == null || spec.handler().isBlank()) {
            problems.add("no handler");
        }
        if (spec.timeoutSeconds() < 1) {
            problems.add("timeout " + spec.timeoutSeconds() + " s (at least 1)");
        }
        if (spec.memoryMb() < 128) {
            problems.add("memory " + spec.memoryMb() + " MB (at least 128)");
        }
        if (spec.codePath() == null) {
            problems.add("no code path");
        } else if (!Files.exists(spec.codePath())) {
            problems.add("its code " + spec.codePath().toAbsolutePath() + " does not exist (build the Lambda jars: "
                    + "mvn -B package -DskipTests, then synthesize)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot register function " + spec.name() + ": "
                    + String.join("; ", problems));
        }
    }

    private static Path javaBinary() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new IllegalStateException("Cannot find the java binary of this JVM ("
                        + fromHome + " is not executable)"));
    }
}
