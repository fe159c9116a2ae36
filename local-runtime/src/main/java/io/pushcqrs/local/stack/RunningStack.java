package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.ManagementApi;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.apigw.Throttling;
import io.pushcqrs.local.cloudformation.CloudFormationApi;
import io.pushcqrs.local.cloudformation.CloudFormationService;
import io.pushcqrs.local.cloudformation.DeploymentSources;
import io.pushcqrs.local.dynamodb.DynamoDbInputCheck;
import io.pushcqrs.local.console.ConsoleApi;
import io.pushcqrs.local.console.ConsoleHttp;
import io.pushcqrs.local.console.ConsoleRecorder;
import io.pushcqrs.local.console.ConsoleSource;
import io.pushcqrs.local.console.StackSource;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.edge.LineLog;
import io.pushcqrs.local.edge.MotoForwarder;
import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.iam.IamMode;
import io.pushcqrs.local.iam.StackIam;
import io.pushcqrs.local.lambda.LambdaRuntime;
import io.pushcqrs.local.lambda.LambdaRuntimeConfig;
import io.pushcqrs.local.moto.AwsBackend;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.resources.StackLoader;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.moto.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running local stack: everything one start started, in boot order: moto's server, the Lambda runtime, the edge
 * (API Gateway, the Lambda API, CloudFormation, moto), and the {@link StackInstaller} with the parts a deployment
 * updates ({@link FunctionsPart}, {@link PollersPart}, {@link ApiPart}). With a template ({@code --cdk-out}) that
 * template is deployed at once, through the same installer and CloudFormation records as a {@code cdk deploy}; without
 * one ({@code --empty}) the stack waits for {@code cdk bootstrap} and {@code cdk deploy} against its edge. Then
 * outputs.json (for a template) and the summary. {@link #close} stops it all in reverse (pollers, edge, functions,
 * clients, moto) and removes the pid file.
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
    private volatile PollersPart pollers;
    private volatile io.pushcqrs.local.faults.Faults faults;
    private io.pushcqrs.local.persist.MotoRecording.Replay replayed;
    private volatile IamPart iam;
    private volatile StackInstaller installer;
    private volatile CloudFormationService cloudFormation;
    private final List<LineLog> lineLogs = new ArrayList<>();
    private volatile StackModel model;
    private Map<String, String> outputs;
    private final java.util.Set<String> resourceTypes = new java.util.TreeSet<>();
    private volatile boolean closed;

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
     * Starts the stack on a bound edge, deploys the template when one is given (null: an empty stack, for
     * {@code cdk deploy}), and prints the summary to {@code out}. When a step fails, everything started so far is
     * stopped (the edge too) and the failure is thrown.
     */
    public static RunningStack start(Template template, EdgeServer edge, StackSettings settings, PrintStream out,
                                     PrintStream err) {
        RunningStack stack = new RunningStack(settings, edge, template == null ? null : template.stackName(), out, err);
        try {
            stack.boot(template);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void boot(Template template) {
        if (template != null) {
            template.resources().values().forEach(r -> resourceTypes.add(r.type()));
        }
        state.claim(logs);
        String endpoint = edge.endpoint();
        if (template != null) {
            installerCheck(template, endpoint);
        }

        out.println("Starting the local stack" + (stackName == null ? "" : " " + stackName) + " (moto's server, then "
                + endpoint + ")...");
        int motoPort = settings.motoPort() == 0 ? MotoServer.freePort() : settings.motoPort();
        Path persist = settings.persistDir();
        if (persist != null) {
            try {
                Files.createDirectories(persist);
            } catch (IOException e) {
                throw new StartupException("cannot create the --persist folder " + persist + ": " + e.getMessage());
            }
        }
        moto = persist == null ? MotoServer.start("127.0.0.1", motoPort, logs.resolve("moto.log"))
                : MotoServer.start("127.0.0.1", motoPort, logs.resolve("moto.log"), false,
                io.pushcqrs.local.persist.MotoRecording.motoEnvironment(persist));
        replayed = replay(persist);
        dynamoDb = MotoClients.dynamoDb(moto.endpoint());
        streams = MotoClients.streams(moto.endpoint());
        sqs = MotoClients.sqs(moto.endpoint());
        AwsBackend backend = new AwsBackend(dynamoDb, sqs, state.dir().resolve("lambda").resolve("code"));

        startRuntime(endpoint);
        LineLog edgeLog = lineLog("edge.log", null);
        // fault injection (--faults): only ever switched on here, in the local stack (docs/reliability.md)
        faults = new io.pushcqrs.local.faults.Faults(settings.faults(),
                settings.faults().active() ? lineLog("faults.log", out) : line -> { });
        MotoForwarder forwarder = new MotoForwarder("127.0.0.1", moto.port(), edgeLog);
        io.pushcqrs.local.faults.BackendFaults backendFaults = faults.backendCheck();
        if (backendFaults != null) {
            forwarder.addCheck(backendFaults);
        }
        forwarder.addCheck(new DynamoDbInputCheck(dynamoDb, edgeLog));
        LineLog apiLog = lineLog("api.log", out);
        iam = new IamPart(settings.iam(), edge, settings.iam() == IamMode.OFF ? line -> { } : lineLog("iam.log", out),
                out::print);
        Throttling throttling = new Throttling();
        lambdaApi = new LambdaApi(runtime, List.of(), edgeLog);
        edge.start(new EdgeServer.Routes(new ApiGateway(List.of(), runtime, apiLog, iam.invokePermission(), throttling),
                lambdaApi,
                forwarder,
                this::health, edgeLog, null));
        LambdaRuntime functions = runtime;
        CheckpointStore checkpoints = new CheckpointStore(state.dir().resolve("checkpoints"));
        pollers = new PollersPart(streams, sqs, faults.pollerInvoker(runtime, functions::processes), checkpoints,
                lineLog("esm.log", out), out, iam, URI.create(endpoint), settings.pollerIdle());
        if (replayed != null && replayed.replayed() > 0) {
            pollers.carryCheckpointsOver();
        }
        startConsole(checkpoints, edgeLog);
        // the parts a deployment updates, in order (a new part of the running stack is one more entry)
        installer = new StackInstaller(backend, endpoint, settings.apiKey(), List.of(
                iam,
                new FunctionsPart(runtime, lambdaApi, iam::credentials),
                pollers,
                new ApiPart(edge, runtime, apiLog, iam.invokePermission(), throttling)));
        LineLog cfnLog = lineLog("cloudformation.log", out);
        cloudFormation = new CloudFormationService(installer,
                new DeploymentSources(backend::readObject, backend::parameterValue), endpoint, cfnLog);
        edge.serve("cloudformation", new CloudFormationApi(cloudFormation, cfnLog));
        edge.serve("apigateway", new ManagementApi(this::apis));

        Path outputsFile = state.dir().resolve("outputs.json");
        if (template != null) {
            model = cloudFormation.deployAtStart(template, templateText(template));
            outputs = StackOutputs.of(model, endpoint, logs);
            StackOutputs.write(outputs, outputsFile);
        } else {
            try {
                Files.deleteIfExists(outputsFile); // a previous run's: nothing is deployed yet
            } catch (IOException e) {
                out.println("(could not delete the old " + outputsFile + ": " + e.getMessage() + ")");
            }
        }
        out.print(summary());
        out.flush();
        status = "running";
        faults.startRestarts(this::restartPollersAndMappedFunctions);
    }

    /** With --persist: the recording of the previous runs replayed into the new moto, before anything is deployed. */
    private io.pushcqrs.local.persist.MotoRecording.Replay replay(Path persist) {
        if (persist == null) {
            return null;
        }
        try {
            io.pushcqrs.local.persist.MotoRecording.Replay r = io.pushcqrs.local.persist.MotoRecording.replay(persist,
                    moto.endpoint(), out::println);
            if (r.replayed() + r.skippedReads() + r.unreadable() > 0) {
                out.println("Persisted state in " + persist + ": " + r.describe());
            }
            return r;
        } catch (IOException e) {
            throw new StartupException("cannot replay " + io.pushcqrs.local.persist.MotoRecording.file(persist) + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while replaying " + persist);
        }
    }

    /** Fault injection's restart under load: every poller stopped, its function's JVMs killed, the poller started again. */
    private void restartPollersAndMappedFunctions() {
        PollersPart p = pollers;
        LambdaRuntime r = runtime;
        if (p != null && r != null && !closed) {
            p.restart(spec -> r.processes(spec.functionName()).forEach(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * The console on the edge ({@code /_console/}): a recorder the runtime, the pollers and API Gateway tell of what
     * they do, read (with the on-request reads of {@link StackSource}) only when a page asks.
     */
    private void startConsole(CheckpointStore checkpoints, LineLog edgeLog) {
        ConsoleRecorder recorder = new ConsoleRecorder();
        runtime.events(recorder);
        pollers.events = recorder;
        edge.events(recorder);
        StackSource source = new StackSource(new StackSource.Parts(
                () -> new ConsoleSource.StackInfo(current() == null ? stackName : current().stackName(), status,
                        edge.endpoint(), startedAt),
                this::current, () -> pollers == null ? List.of() : pollers.pollers(), () -> runtime, settings.maxEnvs(),
                this::outputs, dynamoDb, streams, sqs, checkpoints));
        edge.mount(ConsoleHttp.PATH, new ConsoleHttp(new ConsoleApi(source, recorder), edgeLog));
    }

    /** Fails before anything starts when the template uses a resource type the local stack does not support. */
    private void installerCheck(Template template, String endpoint) {
        new StackLoader(template, endpoint, settings.apiKey()).check();
    }

    private static String templateText(Template template) {
        try {
            return template.file() == null ? template.root().toString() : Files.readString(template.file());
        } catch (IOException e) {
            return template.root().toString();
        }
    }

    private void startRuntime(String endpoint) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL", endpoint);
        environment.put("AWS_REGION", Intrinsics.REGION);
        environment.put("AWS_DEFAULT_REGION", Intrinsics.REGION);
        if (settings.iam() == IamMode.OFF) {
            environment.put("AWS_ACCESS_KEY_ID", "test");
            environment.put("AWS_SECRET_ACCESS_KEY", "test");
        } // else each function gets its role's temporary credentials, as Lambda gives them (IamPart, FunctionsPart)
        // the per-invocation lines go where this stack prints (startWith's stream), like its other lines
        StackSettings.Limits limits = settings.limits();
        runtime = new LambdaRuntime(new LambdaRuntimeConfig(state.dir().resolve("lambda"), logs,
                LambdaRuntime.defaultRicClasspath(), environment, settings.maxEnvs(), settings.lambdaJvmOptions(),
                limits.javaHomes(), limits.concurrencyLimit(), limits.cpuQuota()),
                LambdaRuntime.DEFAULT_MAX_QUEUE_WAIT, LambdaRuntime.DEFAULT_INIT_TIMEOUT, out);
    }

    /** The REST APIs of every deployed stack. */
    private List<RestApiModel> apis() {
        StackInstaller i = installer;
        List<RestApiModel> all = new ArrayList<>();
        if (i != null) {
            i.installed().values().forEach(m -> all.addAll(m.apis()));
        }
        return all;
    }

    private LineLog lineLog(String name, PrintStream echo) {
        LineLog log = new LineLog(logs.resolve(name), echo);
        lineLogs.add(log);
        return log;
    }

    /** The start-up summary. */
    public String summary() {
        io.pushcqrs.local.faults.Faults f = faults;
        String faultsLine = f == null || !f.active() ? ""
                : "  Faults          " + f.spec().describe() + "   (--faults, local stack only; faults.log)\n";
        if (settings.persistDir() != null) {
            io.pushcqrs.local.persist.MotoRecording.Replay r = replayed;
            faultsLine += "  Persisted       " + settings.persistDir() + "   (moto's recorder; "
                    + (r == null || r.replayed() == 0 ? "nothing to replay at start" : r.describe()) + ")\n";
        }
        String s = summaryWithoutFaults();
        if (settings.persistDir() != null) {
            s = s.replace("Data lives in moto's memory: it is gone when the stack stops.", "Data is recorded in "
                    + settings.persistDir() + " and replayed at the next start with the same --persist.");
        }
        int logsLine = s.indexOf("\n  Logs ");
        return logsLine < 0 ? s + faultsLine : s.substring(0, logsLine + 1) + faultsLine + s.substring(logsLine + 1);
    }

    private String summaryWithoutFaults() {
        if (model == null) {
            return StartupSummary.empty(edge.endpoint(), logs);
        }
        LambdaRuntime r = runtime;
        StartupSummary.Details details = r == null ? StartupSummary.Details.NONE
                : new StartupSummary.Details(r::javaOf, r::codeProblem, r.concurrencySummary(), this::pollerState);
        StackIam stackIam = iam();
        return StartupSummary.of(model, outputs, edge.endpoint(), logs, state.dir().resolve("outputs.json"), details,
                resourceTypes, stackIam.describe(), stackIam.warnings());
    }

    /** "(polling)", "(STUCK: ...)" for a mapping, or null. */
    private String pollerState(String uuid) {
        PollersPart p = pollers;
        for (StreamPoller poller : p == null ? List.<StreamPoller>of() : p.pollers()) {
            if (poller.spec().uuid().equals(uuid)) {
                StreamPoller.Status st = poller.status();
                return "(" + st.state().name().toLowerCase(java.util.Locale.ROOT)
                        + (st.problem() == null ? "" : ": " + st.problem()) + "; state and iterator age: GET "
                        + EdgeServer.HEALTH_PATH + ")";
            }
        }
        return null;
    }

    /** The JSON of GET /_local/health; {@code stacks} lists the deployed stacks and their status. */
    public Map<String, Object> health() {
        StackModel current = current();
        PollersPart p = pollers;
        Map<String, Object> h = new LinkedHashMap<>(HealthReport.of(status, current == null ? stackName : current.stackName(),
                startedAt, edge.endpoint(), state.dir(), logs, moto, current, runtime,
                p == null ? List.of() : p.pollers(), iam()));
        if (iam == null || iam.current().model() == null) {
            h.put("iam", Map.of("mode", settings.iam().label()));
        }
        CloudFormationService cfn = cloudFormation;
        h.put("stacks", cfn == null ? List.of() : cfn.stackNames());
        io.pushcqrs.local.faults.Faults f = faults;
        if (f != null && f.active()) {
            h.put("faults", f.health());
        }
        return h;
    }

    /** outputs.json's content (a stack started from cdk.out), or the deployed app's outputs in that form, or null. */
    public Map<String, String> outputs() {
        if (outputs != null) {
            return outputs;
        }
        StackModel current = current();
        return current == null ? null : StackOutputs.of(current, edge.endpoint(), logs);
    }

    /** The model of the stack started from cdk.out, else of the deployed stack that runs functions, else null. */
    public StackModel model() {
        return current();
    }

    private StackModel current() {
        StackInstaller i = installer;
        if (i != null && stackName != null && i.model(stackName) != null) {
            return i.model(stackName);
        }
        if (i != null) {
            for (StackModel m : i.installed().values()) {
                if (!m.functions().isEmpty() || !m.apis().isEmpty()) {
                    return m;
                }
            }
        }
        return model;
    }

    /** IAM of the deployed stack that runs functions (off when --iam off, or before a deployment). */
    public StackIam iam() {
        IamPart i = iam;
        return i == null ? StackIam.off() : i.current();
    }

    /** The stack's CloudFormation (what {@code cdk deploy} talks to). */
    public CloudFormationService cloudFormation() {
        return cloudFormation;
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
        if (faults != null) {
            quietly(faults::close);
        }
        if (pollers != null) {
            quietly(pollers::close);
        }
        if (iam != null) {
            quietly(iam::close);
        }
        quietly(edge::close);
        if (cloudFormation != null) {
            quietly(cloudFormation::close);
        }
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
