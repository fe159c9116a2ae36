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
     * How long a new environment may take from JVM start to its first /next (AWS allows 10 s; locally more, as a
     * busy machine may start JVMs slowly).
     */
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(30);

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
        this.launcher = new ExecutionEnvironment.Launcher(javaBinary(), config.ricClasspath(), nativeLibrary, envsDir,
                config.extraEnvironment(), config.jvmOptions(), logs, executor);
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
        FunctionPool previous = pools.put(spec.name(), new FunctionPool(spec, config.maxEnvironmentsPerFunction(),
                launcher));
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
        FunctionPool.Lease lease;
        try {
            lease = acquire(resolved.name(), pool);
            if (lease.pool() != pool) {
                pool = lease.pool();
                spec = pool.spec;
            }
        } catch (FunctionPool.Throttled e) {
            return apiError(spec.name(), requestId, start, 429, LambdaErrors.tooManyRequests(), "THROTTLED");
        } catch (IOException e) {
            return apiError(spec.name(), requestId, start, 500, LambdaErrors.service(e.getMessage()),
                    "FAILED(" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return apiError(spec.name(), requestId, start, 500, LambdaErrors.service("Invoke interrupted"),
                    "FAILED(interrupted)");
        }
        String invokedArn = resolved.qualifier() == null ? spec.arn() : spec.arn() + ":" + resolved.qualifier();
        Invocation invocation = new Invocation(requestId, event, invokedArn, clientContext,
                TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()));
        Invocation.Outcome outcome;
        try {
            outcome = lease.environment().run(invocation, initTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lease.environment().kill("the invoke was interrupted");
            pool.release(lease, false);
            return apiError(spec.name(), requestId, start, 500, LambdaErrors.service("Invoke interrupted"),
                    "FAILED(interrupted)");
        }
        pool.release(lease, outcome.environmentHealthy(), outcome.kind() == Invocation.Kind.INIT_ERROR
                ? "init failed (" + outcome.errorType() + ")" : "replaced after a failed invocation");
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        logs.invocation(spec.name(), requestId, lease.environment().id, durationMs, outcome.label(), lease.cold());
        return new InvokeResult(200, outcome.payload(), outcome.kind() == Invocation.Kind.OK ? null : "Unhandled",
                requestId, durationMs);
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
        executor.shutdownNow();
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
