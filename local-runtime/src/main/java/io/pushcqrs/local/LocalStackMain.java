package io.pushcqrs.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.MotoForwarder;
import io.pushcqrs.local.iam.IamMode;
import io.pushcqrs.local.lambda.LambdaRuntimeConfig;
import io.pushcqrs.local.stack.RunningStack;
import io.pushcqrs.local.stack.StackSettings;
import io.pushcqrs.local.stack.StartupException;
import io.pushcqrs.local.stack.StateFolder;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.MotoUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded local stack: what LocalStack does for this app, with no Docker, from the template {@code cdk synth}
 * wrote. It starts moto's server (DynamoDB, DynamoDB Streams, SQS), provisions the template's tables and queues in
 * it, runs the functions in RIC JVMs (LambdaRuntime), one stream poller per event source mapping
 * (StreamPoller), and serves API Gateway, the Lambda API and every other AWS call on one edge port.
 * <p>
 * This class is the command line: its options, the checks before anything starts (the template, a stack already
 * running, the edge port, moto installed), the messages and exit codes. The start itself is
 * {@link RunningStack#start}: it prints a start-up summary, writes {@code <state-dir>/outputs.json} (flat, like
 * {@code cdk deploy --outputs-file}) and {@code <state-dir>/local.pid}; the stack runs until it is stopped (Ctrl-C or
 * SIGTERM), when it stops everything it started. See docs/local-runtime.md.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true, sortOptions = false,
        version = "local-stack 1.0.0-SNAPSHOT",
        description = "Runs the synthesized CDK app locally with no Docker: moto for DynamoDB/Streams/SQS, Lambda "
                + "functions in JVMs, stream pollers, API Gateway, all on one edge port; deploys cdk.out at start, or "
                + "starts empty (--empty) and takes cdk bootstrap / cdk deploy on the edge.")
public final class LocalStackMain implements Callable<Integer> {
    /** Marks the health answer as this program's (so a second start can tell "already running" from "port taken"). */
    public static final String SERVICE = RunningStack.SERVICE;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // before anything in this JVM uses the JDK HTTP client (the edge's forwarder to moto sets Host)
        MotoForwarder.prepareJvm();
    }

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

    @Option(names = "--empty", description = "start with nothing deployed: deploy with cdk bootstrap / cdk deploy against"
            + " the edge (scripts/deploy.sh --target local); --cdk-out and --stack are not read")
    boolean empty;

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

    @Option(names = "--iam", description = "IAM: enforce (deny what AWS would deny, as AWS answers), audit (let it through,"
            + " list it in iam.log and when the stack stops) or off (default: ${DEFAULT-VALUE})",
            converter = IamModeConverter.class)
    IamMode iam = IamMode.ENFORCE;

    /** enforce / audit / off, in any case. */
    static final class IamModeConverter implements CommandLine.ITypeConverter<IamMode> {
        @Override
        public IamMode convert(String value) {
            try {
                return IamMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--lambda-java-home", description = "a Java installation for the functions' runtimes, besides the ones"
            + " found (/usr/lib/jvm/*, JAVA_HOME...) (repeatable)")
    List<Path> lambdaJavaHomes = new ArrayList<>();

    @Option(names = "--concurrency-limit", description = "the account's Lambda concurrency: functions without reserved"
            + " concurrency share it, an invoke beyond it is refused with 429 (default: ${DEFAULT-VALUE}, AWS's default quota)")
    int concurrencyLimit = LambdaRuntimeConfig.DEFAULT_CONCURRENCY_LIMIT;

    @Option(names = "--lambda-cpu-quota", description = "give each function JVM a cgroup CPU quota in proportion to its"
            + " memory (1 CPU at 1,769 MB) where the machine allows one")
    boolean lambdaCpuQuota;

    @Option(names = "--faults", description = "inject faults (local stack only, for soaks): comma-separated key=value,"
            + " e.g. seed=42,invoke.throw=0.05,invoke.timeout=0.02,invoke.kill=0.01,backend.throttle=0.05,backend.5xx=0.02,"
            + "backend.outage=20s@30s,runtime.restart=60s (docs/reliability.md)")
    String faults;

    @Option(names = "--persist", paramLabel = "DIR", description = "keep tables, queues, items and the stream position in DIR"
            + " across stops and starts (moto's request recorder, replayed at start; docs/reliability.md)")
    Path persist;

    @Option(names = "--poller-idle-ms", defaultValue = "${env:LOCAL_POLLER_IDLE_MS:-50}",
            description = "the stream pollers' pause after a read that found nothing, in ms (default: the environment's"
                    + " LOCAL_POLLER_IDLE_MS, else 50; AWS polls a shard about 4 times a second)")
    long pollerIdleMs = 50;

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
    public static RunningStack startWith(PrintStream out, String... args) {
        LocalStackMain main = new LocalStackMain(out, out);
        new CommandLine(main).parseArgs(args);
        return main.start();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStackMain()).execute(args));
    }

    @Override
    public Integer call() {
        RunningStack running;
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

    /** Checks what it can before anything starts, then starts the whole stack; everything started is stopped again when a step fails. */
    public RunningStack start() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path state = stateDir.toAbsolutePath().normalize();
        Path logs = (logDir == null ? state.resolve("logs") : logDir).toAbsolutePath().normalize();
        if (maxEnvs < 1) {
            throw new StartupException("--max-envs must be at least 1");
        }
        if (concurrencyLimit < 1) {
            throw new StartupException("--concurrency-limit must be at least 1");
        }
        io.pushcqrs.local.faults.FaultSpec faultSpec;
        try {
            faultSpec = faults == null ? io.pushcqrs.local.faults.FaultSpec.NONE : io.pushcqrs.local.faults.FaultSpec.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
        if (pollerIdleMs < 1 || pollerIdleMs > 60_000) {
            throw new StartupException("--poller-idle-ms must be from 1 to 60000 (LOCAL_POLLER_IDLE_MS, or the option): "
                    + pollerIdleMs);
        }
        Template template = empty ? null : Template.load(cdkOut.toAbsolutePath().normalize(), stack);
        new StateFolder(state).refuseWhenAlreadyRunning();
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
        StackSettings settings = new StackSettings(host, port, motoPort, state, logs, apiKey, maxEnvs, lambdaJvmOptions,
                iam,
                new StackSettings.Limits(lambdaJavaHomes.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
                        concurrencyLimit, lambdaCpuQuota), faultSpec,
                persist == null ? null : persist.toAbsolutePath().normalize(), java.time.Duration.ofMillis(pollerIdleMs));
        try {
            return RunningStack.start(template, edge, settings, out, err);
        } catch (StartupException | TemplateException | MotoUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
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
}
