package io.pushcqrs.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.edge.LineLog;
import io.pushcqrs.local.edge.MotoForwarder;
import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.LambdaRuntime;
import io.pushcqrs.local.lambda.LambdaRuntimeConfig;
import io.pushcqrs.local.moto.AwsBackend;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.resources.StackLoader;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.MotoUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded local stack: what LocalStack does for this app, with no Docker, from the template {@code cdk synth}
 * wrote. It starts moto's server (DynamoDB, DynamoDB Streams, SQS), provisions the template's tables and queues in
 * it, runs the functions in RIC JVMs ({@link LambdaRuntime}), one stream poller per event source mapping
 * ({@link StreamPoller}), and serves API Gateway, the Lambda API and every other AWS call on one edge port.
 * <p>
 * It prints a start-up summary, writes {@code <state-dir>/outputs.json} (flat, like {@code cdk deploy
 * --outputs-file}) and {@code <state-dir>/local.pid}, and runs until it is stopped (Ctrl-C or SIGTERM), when it stops
 * everything it started. See docs/local-runtime.md.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true, sortOptions = false,
        version = "local-stack 1.0.0-SNAPSHOT",
        description = "Runs the synthesized CDK app locally with no Docker: moto for DynamoDB/Streams/SQS, Lambda "
                + "functions in JVMs, stream pollers, API Gateway, all on one edge port.")
public final class LocalStackMain implements Callable<Integer> {
    /** Marks the health answer as this program's (so a second start can tell "already running" from "port taken"). */
    public static final String SERVICE = "pushcqrs-local-stack";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--port", description = "edge port (default: ${DEFAULT-VALUE})")
    int port = 4566;

    @Option(names = "--host", description = "edge bind address (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host = "127.0.0.1";

    @Option(names = "--moto-port", description = "port of moto's server, on 127.0.0.1 (default: 0 = a free port)")
    int motoPort = 0;

    @Option(names = "--cdk-out", description = "the synthesized cloud assembly (default: ${DEFAULT-VALUE})")
    Path cdkOut = Path.of("cdk.out");

    @Option(names = "--stack", description = "the stack to run when cdk.out holds several")
    String stack;

    @Option(names = "--state-dir", description = "pid file, outputs.json, checkpoints, function work folders (default: ${DEFAULT-VALUE})")
    Path stateDir = Path.of(".local");

    @Option(names = "--log-dir", description = "log folder (default: <state-dir>/logs)")
    Path logDir;

    @Option(names = "--api-key", description = "the value of every API key (default: the template's Value, else random)")
    String apiKey;

    @Option(names = "--max-envs", description = "environments (JVMs) per function at most (default: ${DEFAULT-VALUE})")
    int maxEnvs = LambdaRuntimeConfig.DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION;

    @Option(names = "--lambda-jvm-option", description = "an extra option for every function JVM (repeatable)")
    List<String> lambdaJvmOptions = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;

    public LocalStackMain() {
        this(System.out, System.err);
    }

    /** A stack that prints its summary and messages to {@code out} and {@code err}. */
    public LocalStackMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Starts a stack in this JVM (for tests and tools): the options are the command line's; the caller closes
     * the returned stack. A start that cannot go on throws a StartupException, TemplateException or
     * MotoUnavailableException whose message is for the user.
     */
    public static Running startWith(PrintStream out, String... args) {
        LocalStackMain main = new LocalStackMain(out, out);
        new CommandLine(main).parseArgs(args);
        return main.start();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStackMain()).execute(args));
    }

    /** A start that cannot go on; the message is for the user, as is. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }

        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Integer call() {
        Running running;
        try {
            running = start();
        } catch (StartupException | TemplateException | MotoUnavailableException e) {
            err.println("local stack: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            out.println("Local stack stopped.");
            out.flush();
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    // ------------------------------------------------------------------ start

    /** Starts the whole stack and prints the summary; everything started is stopped again when a step fails. */
    public Running start() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path state = stateDir.toAbsolutePath().normalize();
        Path logs = (logDir == null ? state.resolve("logs") : logDir).toAbsolutePath().normalize();
        if (maxEnvs < 1) {
            throw new StartupException("--max-envs must be at least 1");
        }
        Template template = Template.load(cdkOut.toAbsolutePath().normalize(), stack);
        refuseWhenAlreadyRunning(state);
        EdgeServer edge;
        try {
            edge = EdgeServer.bind(host, port);
        } catch (EdgeServer.PortInUseException e) {
            throw new StartupException(portTakenMessage(host, port, state));
        }
        try {
            MotoServer.checkInstalled(MotoServer.python());
        } catch (MotoUnavailableException e) {
            edge.close();
            throw e;
        }
        Running running = new Running(edge, state, logs, template.stackName());
        try {
            running.boot(template);
            return running;
        } catch (RuntimeException e) {
            running.close();
            if (e instanceof StartupException || e instanceof TemplateException || e instanceof MotoUnavailableException) {
                throw e;
            }
            Path trace = logs.resolve("local-stack-error.log");
            try {
                StringWriter sw = new StringWriter();
                e.printStackTrace(new PrintWriter(sw));
                Files.createDirectories(logs);
                Files.writeString(trace, Instant.now() + " " + sw, StandardCharsets.UTF_8);
            } catch (IOException ignored) {
                // the message below still says what happened
            }
            throw new StartupException("failed to start: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (details in " + trace + ")", e);
        }
    }

    private void refuseWhenAlreadyRunning(Path state) {
        Path pidFile = state.resolve("local.pid");
        Optional<Long> pid = readPid(pidFile);
        if (pid.isPresent() && pid.get() != ProcessHandle.current().pid()
                && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)
                && ProcessHandle.of(pid.get()).flatMap(h -> h.info().command()).map(c -> c.contains("java")).orElse(true)) {
            throw new StartupException("a local stack is already running from " + state + " (pid " + pid.get() + ", see "
                    + pidFile + "); stop it with scripts/local-down.sh, or give this one another --state-dir");
        }
    }

    /** What to say when the edge port is taken: by a running local stack, or by something else. */
    static String portTakenMessage(String host, int port, Path state) {
        String url = "http://" + EdgeServer.publicHost(host) + ":" + port;
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create(url + EdgeServer.HEALTH_PATH)).timeout(Duration.ofSeconds(2))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode health = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            if (health != null && SERVICE.equals(health.path("service").asText())) {
                return "a local stack is already running on " + url + " (pid " + health.path("pid").asText() + ", see "
                        + health.path("stateDir").asText(state.toString()) + "/local.pid); stop it with scripts/local-down.sh";
            }
        } catch (IOException | RuntimeException e) {
            // not ours, or not HTTP at all
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "the port " + port + " on " + host + " is in use by another program: stop it, or choose another edge"
                + " port with --port";
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ the running stack

    /** Everything the stack started; {@link #close} stops it all (pollers, edge, functions, moto). */
    public final class Running implements AutoCloseable {
        private final EdgeServer edge;
        private final Path state;
        private final Path logs;
        private final String stackName;
        private final Instant startedAt = Instant.now();
        private volatile String status = "starting";
        private MotoServer moto;
        private DynamoDbClient dynamoDb;
        private DynamoDbStreamsClient streams;
        private SqsClient sqs;
        private LambdaRuntime runtime;
        private LambdaApi lambdaApi;
        private final List<StreamPoller> pollers = new ArrayList<>();
        private final List<LineLog> lineLogs = new ArrayList<>();
        private StackModel model;
        private Map<String, String> outputs;
        private boolean closed;

        Running(EdgeServer edge, Path state, Path logs, String stackName) {
            this.edge = edge;
            this.state = state;
            this.logs = logs;
            this.stackName = stackName;
        }

        private void boot(Template template) {
            try {
                Files.createDirectories(state);
                Files.createDirectories(logs);
                Files.writeString(state.resolve("local.pid"), ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                throw new StartupException("cannot write the state folder " + state + ": " + e.getMessage(), e);
            }
            String endpoint = edge.endpoint();
            StackLoader loader = new StackLoader(template, endpoint, apiKey);
            loader.check();

            out.println("Starting the local stack " + stackName + " (moto's server, then " + endpoint + ")...");
            int motoPortToUse = motoPort == 0 ? MotoServer.freePort() : motoPort;
            moto = MotoServer.start("127.0.0.1", motoPortToUse, logs.resolve("moto.log"));
            dynamoDb = MotoClients.dynamoDb(moto.endpoint());
            streams = MotoClients.streams(moto.endpoint());
            sqs = MotoClients.sqs(moto.endpoint());
            model = loader.load(new AwsBackend(dynamoDb, sqs));

            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("AWS_ENDPOINT_URL", endpoint);
            environment.put("AWS_REGION", Intrinsics.REGION);
            environment.put("AWS_DEFAULT_REGION", Intrinsics.REGION);
            environment.put("AWS_ACCESS_KEY_ID", "test");
            environment.put("AWS_SECRET_ACCESS_KEY", "test");
            // the per-invocation lines go where this stack prints (startWith's stream), like its other lines
            runtime = new LambdaRuntime(new LambdaRuntimeConfig(state.resolve("lambda"), logs,
                    LambdaRuntime.defaultRicClasspath(), environment, maxEnvs, lambdaJvmOptions),
                    LambdaRuntime.DEFAULT_MAX_QUEUE_WAIT, LambdaRuntime.DEFAULT_INIT_TIMEOUT, out);
            for (FunctionSpec f : model.functions()) {
                runtime.register(f);
            }

            LineLog edgeLog = lineLog("edge.log", null);
            LineLog apiLog = lineLog("api.log", out);
            lambdaApi = new LambdaApi(runtime, model.functions(), edgeLog);
            edge.start(new EdgeServer.Routes(new ApiGateway(model.apis(), runtime, apiLog), lambdaApi,
                    new MotoForwarder("127.0.0.1", moto.port(), edgeLog), this::health, edgeLog));

            LineLog esmLog = lineLog("esm.log", out);
            CheckpointStore checkpoints = new CheckpointStore(state.resolve("checkpoints"));
            for (EsmSpec spec : model.mappings()) {
                dropStaleCheckpoints(checkpoints, spec);
                StreamPoller poller = new StreamPoller(spec, streams, sqs, runtime, checkpoints,
                        StreamPoller.Options.defaults().withLog(esmLog));
                pollers.add(poller);
                poller.start();
            }

            outputs = outputs(endpoint);
            writeOutputs();
            out.print(summary());
            out.flush();
            status = "running";
        }

        private LineLog lineLog(String name, PrintStream echo) {
            LineLog log = new LineLog(logs.resolve(name), echo);
            lineLogs.add(log);
            return log;
        }

        /** Checkpoints of the same mapping on an older stream (moto starts empty: its stream is new each start). */
        private void dropStaleCheckpoints(CheckpointStore checkpoints, EsmSpec spec) {
            int cut = spec.uuid().lastIndexOf('_');
            if (cut < 0) {
                return;
            }
            String prefix = spec.uuid().substring(0, cut + 1);
            Path current = checkpoints.file(spec.uuid());
            try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpoints.dir(), "*.json")) {
                for (Path f : files) {
                    if (f.getFileName().toString().startsWith(prefix) && !f.equals(current)) {
                        Files.deleteIfExists(f);
                    }
                }
            } catch (IOException e) {
                out.println("(could not clean old checkpoints in " + checkpoints.dir() + ": " + e.getMessage() + ")");
            }
        }

        private Map<String, String> outputs(String endpoint) {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("Endpoint", endpoint);
            Optional<RestApiModel> api = model.apis().stream().filter(a -> !a.stages().isEmpty()).findFirst();
            api.ifPresent(a -> {
                RestApiModel.Stage stage = a.stages().values().iterator().next();
                o.put("ApiUrl", endpoint + "/restapis/" + a.id() + "/" + stage.name() + "/_user_request_");
                o.put("ApiUrlShort", endpoint + "/" + stage.name());
                stage.apiKeys().stream().findFirst().ifPresent(k -> o.put("ApiKey", k.value()));
            });
            model.outputs().forEach((k, v) -> {
                if (!k.equals("Endpoint") && !k.equals("ApiKey") && !k.equals("StackName")) {
                    o.put(k, v);
                }
            });
            o.put("StackName", model.stackName());
            o.put("LogDir", logs.toString());
            return o;
        }

        private void writeOutputs() {
            Path file = state.resolve("outputs.json");
            Path tmp = state.resolve("outputs.json.tmp");
            try {
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(outputs));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        /** The start-up summary. */
        public String summary() {
            StringBuilder s = new StringBuilder();
            String nl = System.lineSeparator();
            s.append(nl).append("Local stack ").append(stackName).append(" is running (pid ")
                    .append(ProcessHandle.current().pid()).append(")").append(nl);
            line(s, "Edge endpoint", outputs.get("Endpoint") + "   (AWS_ENDPOINT_URL for any AWS SDK or the AWS CLI)");
            for (RestApiModel a : model.apis()) {
                for (RestApiModel.Stage stage : a.stages().values()) {
                    line(s, "API", edge.endpoint() + "/restapis/" + a.id() + "/" + stage.name() + "/_user_request_"
                            + "   (" + a.name() + ", stage " + stage.name() + ")");
                    line(s, "", edge.endpoint() + "/" + stage.name() + "   (the same, short form)");
                    for (RestApiModel.ApiKey k : stage.apiKeys()) {
                        line(s, "API key", k.value() + "   (header x-api-key; key " + k.name() + ")");
                    }
                }
            }
            for (StackModel.Table t : model.tables()) {
                line(s, "Table", t.name() + (t.streamArn() == null ? "" : "   stream " + t.streamArn()));
            }
            for (StackModel.Queue q : model.queues()) {
                line(s, "Queue", q.url());
            }
            for (FunctionSpec f : model.functions()) {
                line(s, "Function", f.name() + "   (" + f.handler() + ", " + f.timeoutSeconds() + " s, " + f.memoryMb() + " MB)");
            }
            for (EsmSpec m : model.mappings()) {
                line(s, "Stream poller", m.streamArn().replaceAll(".*:table/([^/]+)/stream/.*", "$1") + " -> " + m.functionName()
                        + (m.enabled() ? "" : "   (disabled)"));
            }
            line(s, "Logs", logs + "   (invocations.log, <function>.log, api.log, esm.log, edge.log, moto.log)");
            line(s, "Outputs", state.resolve("outputs.json").toString());
            if (!model.ignored().isEmpty()) {
                List<String> ignored = new ArrayList<>();
                model.ignored().forEach((type, n) -> ignored.add(type + (n > 1 ? " x" + n : "")));
                line(s, "Not emulated", String.join(", ", ignored));
            }
            for (String w : model.warnings()) {
                line(s, "Warning", w);
            }
            s.append("Data lives in moto's memory: it is gone when the stack stops.").append(nl);
            s.append("Stop with Ctrl-C (or scripts/local-down.sh when started with --detach).").append(nl).append(nl);
            return s.toString();
        }

        private void line(StringBuilder s, String label, String value) {
            s.append(String.format("  %-15s %s%n", label, value));
        }

        /** The JSON of GET /_local/health. */
        public Map<String, Object> health() {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("service", SERVICE);
            h.put("status", status);
            h.put("pid", ProcessHandle.current().pid());
            h.put("stack", stackName);
            h.put("startedAt", startedAt.toString());
            h.put("endpoint", edge.endpoint());
            h.put("stateDir", state.toString());
            h.put("logDir", logs.toString());
            Map<String, Object> m = new LinkedHashMap<>();
            MotoServer motoNow = moto;
            m.put("status", motoNow == null ? "starting" : motoNow.answers() ? "up" : "down");
            if (motoNow != null) {
                m.put("endpoint", motoNow.endpoint().toString());
                m.put("pid", motoNow.pid());
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
            for (StreamPoller p : List.copyOf(pollers)) {
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
                ps.add(pm);
            }
            h.put("pollers", ps);
            return h;
        }

        public Map<String, String> outputs() {
            return outputs;
        }

        public StackModel model() {
            return model;
        }

        public String endpoint() {
            return edge.endpoint();
        }

        public MotoServer moto() {
            return moto;
        }

        /** Stops pollers, the edge, every function JVM and moto; removes the pid file. Idempotent. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            status = "stopping";
            for (StreamPoller p : pollers) {
                quietly(p::close);
            }
            quietly(edge::close);
            if (lambdaApi != null) {
                quietly(lambdaApi::close);
            }
            if (runtime != null) {
                quietly(runtime::close);
            }
            for (AutoCloseable c : new AutoCloseable[]{streams, sqs, dynamoDb}) {
                if (c != null) {
                    quietly(c::close);
                }
            }
            if (moto != null) {
                quietly(moto::close);
            }
            lineLogs.forEach(LineLog::close);
            Path pidFile = state.resolve("local.pid");
            if (readPid(pidFile).map(p -> p == ProcessHandle.current().pid()).orElse(false)) {
                quietly(() -> Files.deleteIfExists(pidFile));
            }
        }

        private void quietly(ThrowingRunnable r) {
            try {
                r.run();
            } catch (Exception e) {
                err.println("local stack: while stopping: " + e);
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
