#!/usr/bin/env python3
"""Cold start of the four Lambda jars: the time from starting a fresh JVM to the first response.

Each run starts the function the way Lambda (and the embedded stack) does: a new JVM running the AWS Lambda
Runtime Interface Client (RIC 2.10.1) with the jar on its class path, the function's environment, C1 only
(the template's JAVA_TOOL_OPTIONS). This script plays the Lambda Runtime API for it: it hands out one event
and waits for the answer. Two times per run:

  init_ms   JVM start -> the RIC's first GET /next (class loading, the handler's constructor: the init phase)
  first_ms  JVM start -> the first response POST (init + the first invocation, AWS calls included)
  cpu_ms    the CPU time (user + system, all threads) the JVM used until then: a cold start is CPU-bound, and
            on a shared, busy machine this varies far less than the wall-clock times

DynamoDB and Secrets Manager are moto (started here on a free loopback port, tables and the cursor secret
created with boto3); query-lambda's Lambda Invoke goes to this script, which answers one canned page.
Output: a table of medians (and min/max) per function, and a JSON result file (--out).

  scripts/cold-start.py                       # the four jars, 7 runs each, JSON log format as deployed
  scripts/cold-start.py --runs 11 --only command-lambda --jar-dir /tmp/old-jars --out before.json
  scripts/cold-start.py --log-format TEXT     # as before the functions had a log format

Needs: the jars (mvn -B package -DskipTests), java 17+, python3 with moto[server] (boto3 comes with it).
"""
import argparse
import base64
import glob
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
M2 = os.path.expanduser("~/.m2/repository")
RIC = [("com/amazonaws/aws-lambda-java-runtime-interface-client", "2.10.1"),
       ("com/amazonaws/aws-lambda-java-core", "1.4.0"),
       ("com/amazonaws/aws-lambda-java-serialization", "1.4.1")]
COMMAND_TABLE = "cold-command-records"
NOTIFICATION_TABLE = "cold-notification-records"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ric_classpath():
    jars = []
    for path, version in RIC:
        found = glob.glob(os.path.join(M2, path, version, "*-" + version + ".jar"))
        if not found:
            sys.exit("not in ~/.m2: " + path + " " + version + " (run mvn -B package -DskipTests once)")
        jars.append(found[0])
    return jars


def native_library(ric_jar, workdir):
    target = os.path.join(workdir, "libaws-lambda-jni.so")
    with zipfile.ZipFile(ric_jar) as z, open(target, "wb") as out:
        out.write(z.read("jni/libaws-lambda-jni.linux-x86_64.so"))
    return target


def start_moto():
    port = free_port()
    proc = subprocess.Popen([os.environ.get("MOTO_PYTHON", "python3"), "-m", "moto.server", "-H", "127.0.0.1",
                             "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = "http://127.0.0.1:%d" % port
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, endpoint
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("moto did not start")


def provision(endpoint):
    import boto3
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    ddb = boto3.client("dynamodb", **kw)
    ddb.create_table(TableName=COMMAND_TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "transaction_id", "AttributeType": "S"},
                                           {"AttributeName": "created_at", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "transaction_id", "KeyType": "HASH"},
                                {"AttributeName": "created_at", "KeyType": "RANGE"}])
    ddb.create_table(TableName=NOTIFICATION_TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"},
                                           {"AttributeName": "view_sk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"},
                                {"AttributeName": "view_sk", "KeyType": "RANGE"}])
    sm = boto3.client("secretsmanager", **kw)
    return sm.create_secret(Name="cold-cursor-key", SecretString="k" * 64)["ARN"]


def resource(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return json.load(f)


def functions(secret_arn, invoke_endpoint):
    post = resource("command-lambda", "src", "test", "resources", "events", "post-commands.json")
    body = json.loads(post["body"])
    del body["transaction_id"]  # a fresh item every run: the same PutItem path each time
    del body["created_at"]
    post["body"] = json.dumps(body)
    return {
        "command-lambda": dict(handler="io.pushcqrs.command.CommandApiHandler::handleRequest", memory=1024,
                               env={"COMMAND_TABLE": COMMAND_TABLE}, event=post),
        "stream-processor": dict(handler="io.pushcqrs.projection.StreamHandler::handleRequest", memory=512,
                                 env={"NOTIFICATION_TABLE": NOTIFICATION_TABLE,
                                      # required; the sample batch holds no poison record, so nothing is sent
                                      "ON_FAILURE_QUEUE_URL": "http://127.0.0.1:1/000000000000/cold-stream-processor-dlq"},
                                 event=resource("stream-processor", "src", "test", "resources", "events",
                                                "dynamodb-stream-batch.json")),
        "query-result-lambda": dict(handler="io.pushcqrs.queryresult.QueryResultHandler::handleRequest", memory=1024,
                                    env={"NOTIFICATION_TABLE": NOTIFICATION_TABLE, "CURSOR_SECRET_ARN": secret_arn},
                                    event=resource("query-result-lambda", "src", "test", "resources", "requests",
                                                   "user.json")),
        "query-lambda": dict(handler="io.pushcqrs.query.QueryApiHandler::handleRequest", memory=1024,
                             env={"QUERY_RESULT_FUNCTION": "query-result-lambda",
                                  "AWS_ENDPOINT_URL_LAMBDA": invoke_endpoint},
                             event=resource("query-lambda", "src", "test", "resources", "events", "query-user.json")),
    }


CANNED_PAGE = json.dumps({"success": True, "items": [{"notification": {
    "transaction_id": "tx-1", "created_at": 1700000000000, "user_id": "user-1", "platform": "IOS",
    "device_token": "t", "status": "SENT"}, "source_version": 1}]}).encode()


class RuntimeApi(http.server.BaseHTTPRequestHandler):
    """The Lambda Runtime API for one invocation, and Lambda's Invoke API answering one canned page."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        run = self.server.run
        if self.path.endswith("/invocation/next"):
            if run.get("next_at") is None:
                run["next_at"] = time.monotonic()
                self.answer(200, run["event"], {
                    "Lambda-Runtime-Aws-Request-Id": run["request_id"],
                    "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 60000),
                    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:cold",
                    "Content-Type": "application/json"})
            else:
                run["done"].wait(60)  # the second /next: the JVM is killed before it gets an answer
                self.answer(500)
        else:
            self.answer(404)

    def do_POST(self):
        run = self.server.run
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        if "/functions/" in self.path and self.path.endswith("/invocations"):
            self.answer(200, CANNED_PAGE, {"Content-Type": "application/json"})
            return
        if "/invocation/" in self.path:
            run["response_at"] = time.monotonic()
            run["outcome"] = "error" if self.path.endswith("/error") else "ok"
            run["payload"] = payload[:300].decode("utf-8", "replace")
            self.answer(202, b"{}")
            run["done"].set()
            return
        if self.path.endswith("/init/error"):
            run["outcome"] = "init error"
            run["payload"] = payload[:300].decode("utf-8", "replace")
            run["response_at"] = time.monotonic()
            self.answer(202, b"{}")
            run["done"].set()
            return
        self.answer(404)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the killed JVM resets its waiting /next connection


def run_once(fn, jar, api, classpath, jni, moto, log_format, workdir):
    run = {"event": json.dumps(fn["event"]).encode(), "request_id": str(uuid.uuid4()), "done": threading.Event()}
    api.run = run
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % api.server_address[1],
        "AWS_LAMBDA_FUNCTION_NAME": "cold", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn["memory"]), "_HANDLER": fn["handler"],
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": moto,
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": workdir, "JAVA_TOOL_OPTIONS": "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"})
    if log_format == "JSON":
        env.update({"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO"})
    env.update(fn["env"])
    heap = max(64, fn["memory"] * 85 // 100)
    command = ["java", "-Xmx%dm" % heap, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
               "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jni,
               "-cp", os.pathsep.join([jar] + classpath), "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
               fn["handler"]]
    log = open(os.path.join(workdir, "function.log"), "ab")
    started = time.monotonic()
    proc = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    finished = run["done"].wait(60)
    cpu_ms = cpu_millis(proc.pid)
    proc.kill()
    proc.wait()
    log.close()
    if not finished or run.get("outcome") != "ok":
        raise RuntimeError("no answer (%s): %s; see %s" % (run.get("outcome"), run.get("payload"),
                                                           os.path.join(workdir, "function.log")))
    return {"init_ms": round((run["next_at"] - started) * 1000), "first_ms": round((run["response_at"] - started) * 1000),
            "cpu_ms": cpu_ms}


def cpu_millis(pid):
    """utime + stime of a process from /proc, in ms (None where /proc is not there)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def main():
    p = argparse.ArgumentParser(description="Cold start (JVM start to first response) of the Lambda jars.",
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--runs", type=int, default=7, help="fresh JVMs per function (default 7)")
    p.add_argument("--only", action="append", help="a function (repeatable); default: all four")
    p.add_argument("--jar-dir", help="where the jars are (default: <module>/target/<module>.jar)")
    p.add_argument("--log-format", choices=["JSON", "TEXT"], default="JSON",
                   help="AWS_LAMBDA_LOG_FORMAT the runtime gets (JSON as the template deploys; TEXT: unset)")
    p.add_argument("--out", help="write the results as JSON to this file")
    args = p.parse_args()

    workdir = tempfile.mkdtemp(prefix="cold-start-")
    classpath = ric_classpath()
    jni = native_library(classpath[0], workdir)
    moto_proc, moto = start_moto()
    api = QuietServer(("127.0.0.1", 0), RuntimeApi)
    api.daemon_threads = True
    threading.Thread(target=api.serve_forever, daemon=True).start()
    results = {}
    try:
        secret_arn = provision(moto)
        fns = functions(secret_arn, "http://127.0.0.1:%d" % api.server_address[1])
        names = args.only or list(fns)
        for name in names:
            jar = os.path.join(args.jar_dir, name + ".jar") if args.jar_dir else \
                os.path.join(ROOT, name, "target", name + ".jar")
            if not os.path.exists(jar):
                sys.exit("no jar " + jar + " (mvn -B package -DskipTests)")
            runs = [run_once(fns[name], jar, api, classpath, jni, moto, args.log_format, workdir)
                    for _ in range(args.runs)]
            results[name] = {
                "jar_bytes": os.path.getsize(jar), "runs": runs,
                "init_ms_median": statistics.median(r["init_ms"] for r in runs),
                "cpu_ms_median": statistics.median(r["cpu_ms"] or 0 for r in runs),
                "first_ms_median": statistics.median(r["first_ms"] for r in runs),
                "first_ms_min": min(r["first_ms"] for r in runs), "first_ms_max": max(r["first_ms"] for r in runs)}
            r = results[name]
            print("%-20s jar %10s B  init median %5d ms  first response median %5d ms (min %d, max %d)  CPU median %5d ms"
                  "  (%d runs)" % (name, format(r["jar_bytes"], ","), r["init_ms_median"], r["first_ms_median"],
                                   r["first_ms_min"], r["first_ms_max"], r["cpu_ms_median"], len(runs)), flush=True)
    finally:
        api.shutdown()
        moto_proc.kill()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({"log_format": args.log_format, "runs_per_function": args.runs, "functions": results}, f,
                      indent=2)


if __name__ == "__main__":
    main()
