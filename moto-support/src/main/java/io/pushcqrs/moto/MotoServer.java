package io.pushcqrs.moto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code python3 -m moto.server}) as a child process: the open-source AWS emulator
 * that serves DynamoDB, DynamoDB Streams and SQS for the adapter tests and the embedded stack.
 * <p>
 * {@link #start} picks the port, waits until {@code /moto-api/} answers and fails with a message
 * that says how to install moto when python3 or moto is missing. {@link #close} stops the process.
 * The python executable is {@code python3} unless the environment variable {@code MOTO_PYTHON} names another.
 */
public final class MotoServer implements AutoCloseable {
    public static final String INSTALL_HINT =
            "moto's server is needed (the open-source AWS emulator): install it with  pip install \"moto[server]\"";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Environment variable: {@code false} serves every request on a new connection, as moto's own server does. */
    public static final String ENV_KEEP_ALIVE = "MOTO_KEEP_ALIVE";

    private static MotoServer shared;

    private final Process process;
    private final String host;
    private final int port;
    private final Path log;

    private MotoServer(Process process, String host, int port, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /**
     * moto 5.2 writes every answer through a serializer driven by botocore's service model, value by value: an item
     * of notification-records costs ~1.5 ms, so a Query of 20 items spent ~27 ms and a check-sync Scan of 5,000 items
     * ~8 s in it (cProfile: 0.73 of 0.92 s of a 500-item Scan page), and a stream record ~0.9 ms in GetRecords. For
     * the four DynamoDB read operations, whose answers are only items, keys, counts and consumed capacity, and for
     * DynamoDB Streams' GetRecords, the JSON protocol is that same dict as JSON, so this writes it with
     * {@code json.dumps} (binary values base64 and timestamps as epoch seconds, as the serializer writes them): the
     * Query of 20 items takes ~9 ms, the Scan page ~80 ms. Only for requests in the JSON protocol the AWS SDKs use; every other
     * answer, and every error, still goes through moto's serializer. {@code MotoServerTest} proves both give the same
     * JSON for every attribute type, empty answers, keys, and consumed capacity. {@code MOTO_FAST_READS=false}
     * turns it off (docs/benchmarks.md has the numbers).
     */
    static final String FAST_READS = String.join("\n",
            "FAST_READ_OPERATIONS = ('GetItem', 'Query', 'Scan', 'BatchGetItem', 'GetRecords')",
            "def install_fast_reads():",
            "    import base64, calendar, json",
            "    from datetime import datetime",
            "    from moto.core.responses import ActionResult",
            "    from moto.dynamodb import responses as dynamo_responses",
            "    from moto.dynamodbstreams import responses as streams_responses",
            "    def default(o):",
            "        if isinstance(o, (bytes, bytearray)):",
            "            return base64.b64encode(o).decode('ascii')",
            "        if isinstance(o, datetime):",
            "            # as moto's serializer writes a timestamp: epoch seconds, truncated to milliseconds",
            "            seconds = calendar.timegm(o.utctimetuple() if o.tzinfo else o.timetuple())",
            "            return seconds + (o.microsecond // 1000) / 1000.0 if o.microsecond else seconds",
            "        raise TypeError('not JSON: ' + type(o).__name__)",
            "    def fast(slow):",
            "        def execute_result(self, context):",
            "            name = context.operation_model.name",
            "            content_type = context.response.headers.get('Content-Type') or ''",
            "            if (name in FAST_READ_OPERATIONS and isinstance(self.result, dict)",
            "                    and content_type.startswith('application/x-amz-json-1.0')):",
            "                try:",
            "                    body = json.dumps(self.result, default=default)",
            "                except (TypeError, ValueError):",
            "                    return slow(self, context)",
            "                FAST_READ_HITS[name] = FAST_READ_HITS.get(name, 0) + 1",
            "                return 200, {'Content-Type': 'application/x-amz-json-1.0'}, body",
            "            return slow(self, context)",
            "        return execute_result",
            "    slow = dynamo_responses.DynamoResult.execute_result",
            "    dynamo_responses.DynamoResult.execute_result = fast(slow)",
            "    class StreamRecords(ActionResult):",
            "        execute_result = fast(ActionResult.execute_result)",
            "    get_records = streams_responses.DynamoDBStreamsHandler.get_records",
            "    streams_responses.DynamoDBStreamsHandler.get_records = lambda self: StreamRecords(get_records(self).result)",
            "    return {'dynamodb': slow, 'streams': ActionResult.execute_result, 'StreamRecords': StreamRecords}",
            "FAST_READ_HITS = {}");

    /**
     * moto's server as {@code python3 -m moto.server} runs it (werkzeug, a thread per connection), with two changes.
     * <ul>
     *   <li><b>Connections are kept alive.</b> werkzeug answers every request with {@code Connection: close} (its
     *   request handler cannot tell where an unread body ends), so every call through the edge paid a new TCP
     *   connection to moto and a new thread. Here the request body is read whole before moto sees it, so the next
     *   request starts where this one ended; the forced {@code Connection: close} is left out (a client that asks
     *   to close still gets its answer with it); and werkzeug's drain of "what is left of the body" after the answer
     *   (which, on a kept-alive connection, would swallow the next request) has nothing to drain and is skipped. The
     *   answer's head and body are separate writes, so Nagle's algorithm is off (TCP_NODELAY): with it on, a reused
     *   connection waits for the client's delayed ACK, ~40 ms a call.
     *   Written against werkzeug 3.x; {@code MotoServerTest} checks the reuse. docs/benchmarks.md has the before and
     *   after.</li>
     *   <li><b>With {@code atomic} (argument 3 = 1), DynamoDB requests are served one at a time.</b> moto checks a
     *   condition and writes in separate steps, and a cancelled transaction restores a copy of the whole table taken
     *   when it began (losing what other requests wrote meanwhile); DynamoDB applies each request atomically. Serving
     *   DynamoDB requests one by one gives tests DynamoDB's atomicity, so a test of concurrent writers tests the
     *   code, not moto's races. Other services (streams, SQS long polls) stay concurrent.</li>
     *   <li><b>Read answers are written with {@code json.dumps}</b> ({@link #FAST_READS}): see there.</li>
     * </ul>
     * Arguments: host, port, atomic (1 or 0), keep-alive (1 or 0: 0 is werkzeug's own handler, which closes every
     * connection; {@value #ENV_KEEP_ALIVE}=false asks for it, to measure the difference: scripts/bench.sh --before).
     */
    static final String LAUNCHER = String.join("\n",
            FAST_READS,
            "import io, os, selectors, sys, threading",
            "if os.environ.get('MOTO_FAST_READS', 'true').lower() != 'false':",
            "    install_fast_reads()",
            "import werkzeug.serving",
            "from werkzeug.serving import run_simple, WSGIRequestHandler",
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
            "os.environ.setdefault('MOTO_PORT', sys.argv[2])",
            "app = DomainDispatcherApplication(create_backend_app)",
            "atomic = len(sys.argv) > 3 and sys.argv[3] == '1'",
            "keep_alive = len(sys.argv) <= 4 or sys.argv[4] == '1'",
            "lock = threading.Lock()",
            "class NoDrain:",
            "    EVENT_READ = selectors.EVENT_READ",
            "    class DefaultSelector:",
            "        def register(self, *args, **kwargs): pass",
            "        def select(self, timeout=None): return []",
            "        def close(self): pass",
            "werkzeug.serving.selectors = NoDrain",
            "class KeepAlive(WSGIRequestHandler):",
            "    protocol_version = 'HTTP/1.1'",
            "    disable_nagle_algorithm = True",
            "    def send_header(self, keyword, value):",
            "        if keyword.lower() == 'connection' and value.lower() == 'close' and not self.close_connection:",
            "            return",
            "        super().send_header(keyword, value)",
            "def serve(environ, start_response):",
            "    stream = environ['wsgi.input']",
            "    length = environ.get('CONTENT_LENGTH')",
            "    if length:",
            "        body = stream.read(int(length))",
            "    elif environ.get('wsgi.input_terminated'):",
            "        body = stream.read()",
            "    else:",
            "        body = b''",
            "    environ['wsgi.input'] = io.BytesIO(body)",
            "    if atomic and environ.get('HTTP_X_AMZ_TARGET', '').startswith('DynamoDB_'):",
            "        with lock:",
            "            result = app(environ, start_response)",
            "            try:",
            "                return [b''.join(result)]",
            "            finally:",
            "                if hasattr(result, 'close'):",
            "                    result.close()",
            "    return app(environ, start_response)",
            "run_simple(sys.argv[1], int(sys.argv[2]), serve, threaded=True,",
            "           request_handler=KeepAlive if keep_alive else WSGIRequestHandler)");

    /**
     * One server for the whole JVM (tests share it; each test uses its own table names), with DynamoDB's
     * per-request atomicity ({@link #LAUNCHER}). Stopped at exit.
     */
    public static synchronized MotoServer shared() {
        if (shared == null || !shared.isAlive()) {
            try {
                shared = start("127.0.0.1", freePort(), Files.createTempFile("moto-", ".log"), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MotoServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "moto-stop"));
        }
        return shared;
    }

    /** Starts moto on 127.0.0.1 and a free port, logging to a temporary file. */
    public static MotoServer start() {
        try {
            return start("127.0.0.1", freePort(), Files.createTempFile("moto-", ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts moto on host:port, its output appended to logFile; returns once it answers. */
    public static MotoServer start(String host, int port, Path logFile) {
        return start(host, port, logFile, false);
    }

    /**
     * Starts moto on host:port, its output appended to logFile; returns once it answers. With atomicDynamoDb
     * its DynamoDB requests are served one at a time ({@link #LAUNCHER}).
     */
    public static MotoServer start(String host, int port, Path logFile, boolean atomicDynamoDb) {
        return start(host, port, logFile, atomicDynamoDb, java.util.Map.of());
    }

    /** The same, with extra environment variables for moto (its recorder's, for instance). */
    public static MotoServer start(String host, int port, Path logFile, boolean atomicDynamoDb,
                                   java.util.Map<String, String> environment) {
        String python = python();
        checkInstalled(python);
        List<String> cmd = new ArrayList<>(List.of(python, "-c", LAUNCHER, host, Integer.toString(port),
                atomicDynamoDb ? "1" : "0", "false".equalsIgnoreCase(System.getenv(ENV_KEEP_ALIVE)) ? "0" : "1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putIfAbsent("AWS_ACCESS_KEY_ID", "test");
        pb.environment().putIfAbsent("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("PYTHONUNBUFFERED", "1");
        // AWS's managed policies (arn:aws:iam::aws:policy/...) exist, as on AWS: roles attach them (cdk bootstrap's do)
        pb.environment().putIfAbsent("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
        pb.environment().putAll(environment);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new MotoUnavailableException("cannot run " + python + ": " + e.getMessage() + ". " + INSTALL_HINT, e);
        }
        MotoServer server = new MotoServer(process, host, port, logFile);
        server.awaitReady();
        return server;
    }

    /** The pythons found to have moto's server in this JVM: checked once (each check imports moto, seconds). */
    private static final java.util.Set<String> CHECKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Fails with {@link MotoUnavailableException} (and the install hint) when python3 or moto is missing. A python that
     * passed is not checked again in this JVM (the embedded stack checks before it starts anything, then starts moto).
     */
    public static void checkInstalled(String python) {
        if (CHECKED.contains(python)) {
            return;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import moto.server, sys; print(__import__('moto').__version__)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new MotoUnavailableException("moto's server is not installed for " + python + " ("
                        + lastLine(out) + "). " + INSTALL_HINT, null);
            }
            CHECKED.add(python);
        } catch (IOException e) {
            throw new MotoUnavailableException(python + " was not found (" + e.getMessage() + "). Install Python 3, then: "
                    + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MotoUnavailableException("interrupted while checking for moto", e);
        }
    }

    public static String python() {
        String configured = System.getenv("MOTO_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new MotoUnavailableException("moto's server exited with code " + process.exitValue()
                        + " before answering on port " + port + ": " + tail(), null);
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new MotoUnavailableException("interrupted while waiting for moto", e);
            }
        }
        close();
        throw new MotoUnavailableException("moto's server did not answer on " + endpoint() + " within "
                + START_TIMEOUT.toSeconds() + " s: " + tail(), null);
    }

    /** True when moto answers its health resource. */
    public boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/moto-api/").openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.getInputStream().close();
            return code == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops every resource moto holds (tables, streams, queues). */
    public void reset() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/moto-api/reset").openConnection();
            c.setRequestMethod("POST");
            c.setConnectTimeout(2000);
            c.setReadTimeout(10000);
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + c.getResponseCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Stops moto (and anything it started), waiting up to 10 s before killing it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** A port that is free now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
