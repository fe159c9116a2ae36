package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.dynamodb.DynamoDbInputCheck;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.edge.LineLog;
import io.pushcqrs.local.edge.MotoForwarder;
import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.iam.IamMode;
import io.pushcqrs.local.iam.Session;
import io.pushcqrs.local.iam.StackIam;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.LambdaRuntime;
import io.pushcqrs.local.lambda.LambdaRuntimeConfig;
import io.pushcqrs.local.moto.AwsBackend;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.resources.StackLoader;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.moto.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running local stack: everything one start started, in boot order: moto's server and the template's tables and
 * queues in it ({@link StackLoader}), the functions ({@link LambdaRuntime}), the edge's routes (API Gateway, the
 * Lambda API, moto), one {@link StreamPoller} per event source mapping; then outputs.json and the summary.
 * {@link #close} stops it all in reverse (pollers, edge, functions, clients, moto) and removes the pid file.
 */
public final class RunningStack implements AutoCloseable {
    /** Marks the health answer as this program's (so a second start can tell "already running" from "port taken"). */
    public static final String SERVICE = "pushcqrs-local-stack";

    private final StackSettings settings;
    private final EdgeServer edge;
    private final StateFolder state;
    private final Path logs;
    private final String stackName;
    private final PrintStream out;
    private final PrintStream err;
    private final Instant startedAt = Instant.now();
    private volatile String status = "starting";
    private volatile MotoServer moto;
    private DynamoDbClient dynamoDb;
    private DynamoDbStreamsClient streams;
    private SqsClient sqs;
    private volatile LambdaRuntime runtime;
    private LambdaApi lambdaApi;
    private final List<StreamPoller> pollers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> pollerClients = new CopyOnWriteArrayList<>();
    private volatile StackIam iam = StackIam.off();
    private final List<LineLog> lineLogs = new ArrayList<>();
    private volatile StackModel model;
    private Map<String, String> outputs;
    private final java.util.Set<String> resourceTypes = new java.util.TreeSet<>();
    private boolean closed;

    private RunningStack(StackSettings settings, EdgeServer edge, String stackName, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.edge = edge;
        this.state = new StateFolder(settings.stateDir());
        this.logs = settings.logDir();
        this.stackName = stackName;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the stack of the template on a bound edge and prints the summary to {@code out}. When a step fails,
     * everything started so far is stopped (the edge too) and the failure is thrown.
     */
    public static RunningStack start(Template template, EdgeServer edge, StackSettings settings, PrintStream out,
                                     PrintStream err) {
        RunningStack stack = new RunningStack(settings, edge, template.stackName(), out, err);
        try {
            stack.boot(template);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void boot(Template template) {
        template.resources().values().forEach(r -> resourceTypes.add(r.type()));
        state.claim(logs);
        String endpoint = edge.endpoint();
        StackLoader loader = new StackLoader(template, endpoint, settings.apiKey());
        loader.check();

        out.println("Starting the local stack " + stackName + " (moto's server, then " + endpoint + ")...");
        int motoPort = settings.motoPort() == 0 ? MotoServer.freePort() : settings.motoPort();
        moto = MotoServer.start("127.0.0.1", motoPort, logs.resolve("moto.log"));
        dynamoDb = MotoClients.dynamoDb(moto.endpoint());
        streams = MotoClients.streams(moto.endpoint());
        sqs = MotoClients.sqs(moto.endpoint());
        StackModel loaded = loader.load(new AwsBackend(dynamoDb, sqs));
        model = loaded;
        if (settings.iam() != IamMode.OFF) {
            iam = StackIam.start(settings.iam(), template, loader.intrinsics(), loaded.functions(),
                    lineLog("iam.log", out), out::print);
        }

        startFunctions(loaded, endpoint);
        LineLog edgeLog = lineLog("edge.log", null);
        lambdaApi = new LambdaApi(runtime, loaded.functions(), edgeLog);
        edge.start(new EdgeServer.Routes(new ApiGateway(loaded.apis(), runtime, lineLog("api.log", out),
                iam.invokePermission()), lambdaApi,
                new MotoForwarder("127.0.0.1", moto.port(), edgeLog).addCheck(new DynamoDbInputCheck(dynamoDb, edgeLog)),
                this::health, edgeLog, iam.guard()));
        startPollers(loaded, endpoint);

        outputs = StackOutputs.of(loaded, endpoint, logs);
        StackOutputs.write(outputs, state.dir().resolve("outputs.json"));
        out.print(summary());
        out.flush();
        status = "running";
    }

    private void startFunctions(StackModel loaded, String endpoint) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL", endpoint);
        environment.put("AWS_REGION", Intrinsics.REGION);
        environment.put("AWS_DEFAULT_REGION", Intrinsics.REGION);
        if (iam.mode() == IamMode.OFF) {
            environment.put("AWS_ACCESS_KEY_ID", "test");
            environment.put("AWS_SECRET_ACCESS_KEY", "test");
        } // else each function gets its role's temporary credentials, as Lambda gives them (StackIam)
        // the per-invocation lines go where this stack prints (startWith's stream), like its other lines
        StackSettings.Limits limits = settings.limits();
        LambdaRuntime started = new LambdaRuntime(new LambdaRuntimeConfig(state.dir().resolve("lambda"), logs,
                LambdaRuntime.defaultRicClasspath(), environment, settings.maxEnvs(), settings.lambdaJvmOptions(),
                limits.javaHomes(), limits.concurrencyLimit(), limits.cpuQuota()),
                LambdaRuntime.DEFAULT_MAX_QUEUE_WAIT, LambdaRuntime.DEFAULT_INIT_TIMEOUT, out);
        runtime = started;
        for (FunctionSpec f : loaded.functions()) {
            started.register(f.withEnvironment(iam.credentials(f.name())));
        }
    }

    private void startPollers(StackModel loaded, String endpoint) {
        LineLog esmLog = lineLog("esm.log", out);
        CheckpointStore checkpoints = new CheckpointStore(state.dir().resolve("checkpoints"));
        for (EsmSpec spec : loaded.mappings()) {
            try {
                checkpoints.deleteOtherStreams(spec.uuid());
            } catch (IOException e) {
                out.println("(could not clean old checkpoints in " + checkpoints.dir() + ": " + e.getMessage() + ")");
            }
            DynamoDbStreamsClient pollerStreams = streams;
            SqsClient pollerSqs = sqs;
            String refused = null;
            Session session = iam.mappingSession(spec);
            if (session != null) {
                // as AWS: the mapping reads the stream and sends to its destination with its function's role,
                // so its calls go through the edge's IAM check with that role's session
                refused = iam.checkMapping(spec);
                StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
                pollerStreams = MotoClients.streams(java.net.URI.create(endpoint), credentials);
                pollerSqs = MotoClients.sqs(java.net.URI.create(endpoint), credentials);
                pollerClients.add(pollerStreams);
                pollerClients.add(pollerSqs);
            }
            StreamPoller poller = new StreamPoller(spec, pollerStreams, pollerSqs, runtime, checkpoints,
                    StreamPoller.Options.defaults().withLog(esmLog));
            pollers.add(poller);
            if (refused != null && iam.mode() == IamMode.ENFORCE) {
                esmLog.accept("[esm " + spec.uuid() + "] NOT STARTED (IAM): " + refused);
            } else {
                if (refused != null) {
                    esmLog.accept("[esm " + spec.uuid() + "] IAM audit: AWS would refuse this mapping: " + refused);
                }
                poller.start();
            }
        }
    }

    private LineLog lineLog(String name, PrintStream echo) {
        LineLog log = new LineLog(logs.resolve(name), echo);
        lineLogs.add(log);
        return log;
    }

    /** The start-up summary. */
    public String summary() {
        LambdaRuntime r = runtime;
        StartupSummary.Details details = r == null ? StartupSummary.Details.NONE
                : new StartupSummary.Details(r::javaOf, r::codeProblem, r.concurrencySummary(), this::pollerState);
        return StartupSummary.of(model, outputs, edge.endpoint(), logs, state.dir().resolve("outputs.json"), details,
                resourceTypes, iam.describe(), iam.warnings());
    }

    /** "(polling)", "(STUCK: ...)" for a mapping, or null. */
    private String pollerState(String uuid) {
        for (StreamPoller p : pollers) {
            if (p.spec().uuid().equals(uuid)) {
                StreamPoller.Status st = p.status();
                return "(" + st.state().name().toLowerCase(java.util.Locale.ROOT)
                        + (st.problem() == null ? "" : ": " + st.problem()) + "; state and iterator age: GET " + EdgeServer.HEALTH_PATH + ")";
            }
        }
        return null;
    }

    /** The JSON of GET /_local/health. */
    public Map<String, Object> health() {
        return HealthReport.of(status, stackName, startedAt, edge.endpoint(), state.dir(), logs, moto, model, runtime,
                List.copyOf(pollers), iam);
    }

    /** outputs.json's content. */
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

    /** IAM of this start (off when --iam off). */
    public StackIam iam() {
        return iam;
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
        for (AutoCloseable c : pollerClients) {
            quietly(c::close);
        }
        quietly(iam::close);
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
        quietly(state::release);
    }

    private void quietly(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            err.println("local stack: while stopping: " + e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
