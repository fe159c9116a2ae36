package io.pushcqrs.local.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the local stack emulates, per resource type (or area) and feature: enforced as AWS does, emulated without a
 * check (and which), or not emulated; with what the LocalStack free edition does for the same row where it is known
 * (its documentation and source, see docs/local-runtime.md). The start-up summary prints the rows of the resource types
 * the template uses; docs/local-runtime.md ("What is emulated") has every row (a test keeps the two in step). The
 * group "IAM" is a placeholder: its rows are the IAM section's.
 */
public final class Emulation {

    /** How a feature behaves locally. */
    public enum Status {
        /** refused or limited as AWS does */
        ENFORCED("enforced"),
        /** works, but what AWS would refuse or limit is not checked (the row says what) */
        NO_CHECK("no check"),
        /** not there */
        NOT_EMULATED("not emulated"),
        /** see another section */
        SEE_SECTION("see section");

        final String label;

        Status(String label) {
            this.label = label;
        }
    }

    /**
     * One feature.
     *
     * @param group      a resource type (AWS::Lambda::Function) or an area (DynamoDB items)
     * @param feature    the feature, short
     * @param status     how it behaves locally
     * @param detail     what exactly, in a few words
     * @param localStack what the LocalStack free edition does, or "?" when neither its docs nor its source say
     */
    public record Row(String group, String feature, Status status, String detail, String localStack) {
    }

    static final String DDB_ITEMS = "DynamoDB items (the edge)";
    static final String DDB_TABLE = "AWS::DynamoDB::Table";
    static final String ESM = "AWS::Lambda::EventSourceMapping";
    static final String LAMBDA = "AWS::Lambda::Function";
    static final String APIGW = "AWS::ApiGateway::RestApi";
    static final String IAM = "IAM";

    /** Every row, in the order of docs/local-runtime.md. */
    public static final List<Row> ROWS = List.of(
            new Row(IAM, "roles, policies, Lambda permissions, request signatures", Status.SEE_SECTION,
                    "see the IAM section of docs/local-runtime.md", "enforced only in LocalStack's paid editions"),

            new Row(DDB_ITEMS, "attribute values and names", Status.ENFORCED,
                    "one type per value, numbers (38 digits, 1E-130..9.9E+125), sets (not empty, no duplicates), NULL true,"
                            + " names 1 byte..64 KB at any depth, 32 levels of nesting: ValidationException before moto",
                    "DynamoDB Local's checks"),
            new Row(DDB_ITEMS, "item size and keys", Status.ENFORCED,
                    "400 KB items; key attributes present, of their type, not empty, 2048/1024 bytes; index keys of their"
                            + " type and not empty; exact primary keys on Get/Delete/Update",
                    "DynamoDB Local's checks"),
            new Row(DDB_ITEMS, "batches and transactions", Status.ENFORCED,
                    "25 writes, 100 gets or transaction items, one operation per item; expression parameters not empty",
                    "DynamoDB Local's checks"),
            new Row(DDB_ITEMS, "expressions", Status.NO_CHECK,
                    "moto parses and applies them: syntax errors are refused, not every message is DynamoDB's",
                    "DynamoDB Local"),
            new Row(DDB_ITEMS, "an update that makes an item over 400 KB", Status.NO_CHECK,
                    "left to moto (the edge cannot see the stored item)", "DynamoDB Local's checks"),
            new Row(DDB_TABLE, "keys, indexes, billing mode, stream, TTL attribute", Status.ENFORCED,
                    "created in moto from the template", "created (CloudFormation)"),
            new Row(DDB_TABLE, "throughput and throttling", Status.NOT_EMULATED,
                    "no ProvisionedThroughputExceededException, no partition limits", "not emulated"),
            new Row(DDB_TABLE, "TTL expiry", Status.NOT_EMULATED, "expired items stay", "off unless DYNAMODB_REMOVE_EXPIRED_ITEMS"),
            new Row(DDB_TABLE, "PITR, SSE, deletion protection, table class", Status.NO_CHECK, "accepted, no effect", "?"),
            new Row(DDB_TABLE, "stream shards", Status.NO_CHECK,
                    "moto's single shard; no shard splits, no 24 h retention", "?"),

            new Row(ESM, "batch size, batching window, 6 MB batches", Status.ENFORCED,
                    "a batch stops at BatchSize, the window or Lambda's 6 MB", "6 MB cut not implemented (its docs)"),
            new Row(ESM, "retries, record age, bisect, partial batch response, on-failure SQS", Status.ENFORCED,
                    "as AWS documents them (esm.rules)", "bisect not implemented; the others implemented (its docs)"),
            new Row(ESM, "ParallelizationFactor", Status.ENFORCED,
                    "1-10 concurrent batches per shard, a partition key's records in order, checkpoint past what is all done",
                    "not implemented (its docs)"),
            new Row(ESM, "throttled invocations", Status.ENFORCED,
                    "retried without counting against MaximumRetryAttempts", "?"),
            new Row(ESM, "iterator age, a shard that cannot be read", Status.ENFORCED,
                    "IteratorAge and STUCK state in /_local/health, one log line", "?"),
            new Row(ESM, "FilterCriteria, tumbling windows, SQS/Kinesis sources", Status.NOT_EMULATED,
                    "refused at start", "implemented (its docs)"),

            new Row(LAMBDA, "timeout", Status.ENFORCED, "the environment is stopped, Sandbox.Timedout", "enforced (its docs)"),
            new Row(LAMBDA, "init phase", Status.ENFORCED,
                    "10 s; a longer init is retried once at the invocation within the function's timeout", "?"),
            new Row(LAMBDA, "memory", Status.ENFORCED,
                    "MemorySize bounds the JVM: heap, -XX:MaxRAM, and its resident memory (stopped past it: signal: killed)",
                    "?"),
            new Row(LAMBDA, "CPU", Status.ENFORCED,
                    "-XX:ActiveProcessorCount at 1 per 1,769 MB; a cgroup CPU quota with --lambda-cpu-quota", "?"),
            new Row(LAMBDA, "6 MB request and response", Status.ENFORCED,
                    "413 RequestEntityTooLargeException; Function.ResponseSizeTooLarge", "enforced (its source)"),
            new Row(LAMBDA, "concurrency", Status.ENFORCED,
                    "reserved concurrency, else the account's (--concurrency-limit, 1,000): 429 at once",
                    "enforced (LAMBDA_LIMITS_CONCURRENT_EXECUTIONS, reserved concurrency)"),
            new Row(LAMBDA, "runtime", Status.ENFORCED,
                    "java21 runs on a Java 21, else the nearest newer one; AWS_EXECUTION_ENV; a handler compiled for a newer"
                            + " Java fails at init", "AWS's runtime images (the runtime's own Java)"),
            new Row(LAMBDA, "template limits", Status.ENFORCED,
                    "4 KB of environment variables, MemorySize 128..10240, Timeout 1..900", "4 KB checked (its source)"),
            new Row(LAMBDA, "Event invocations", Status.NO_CHECK,
                    "run in the background; no retries, destinations or 256 KB limit", "?"),
            new Row(LAMBDA, "layers, versions, aliases, SnapStart, provisioned concurrency, /tmp size", Status.NOT_EMULATED,
                    "layers: warning; only $LATEST", "versions and aliases implemented; layers in paid editions"),

            new Row(APIGW, "routes, methods, API keys", Status.ENFORCED,
                    "MISSING_AUTHENTICATION_TOKEN, INVALID_API_KEY as AWS answers them", "implemented"),
            new Row(APIGW, "usage plan throttle and quota, stage method throttling", Status.ENFORCED,
                    "token buckets per key, per method and for the account; quotas per key and period: 429 THROTTLED,"
                            + " QUOTA_EXCEEDED", "not enforced (no throttling step in its REST API invocation chain)"),
            new Row(APIGW, "integration timeout", Status.ENFORCED,
                    "29 s (or TimeoutInMillis): INTEGRATION_TIMEOUT 504, or DEFAULT_5XX's status", "?"),
            new Row(APIGW, "request validation, 10 MB payload", Status.ENFORCED,
                    "required parameters, JSON-schema body models; REQUEST_TOO_LARGE", "?"),
            new Row(APIGW, "gateway responses", Status.ENFORCED,
                    "status, headers, body templates; a changed DEFAULT_4XX/5XX status applies to its class",
                    "status code only, no templates or headers (its docs)"),
            new Row(APIGW, "authorizers, CORS, caching, custom domains, VTL mappings", Status.NOT_EMULATED,
                    "authorizers: warning, not enforced", "CORS and VTL implemented; custom domains in paid editions (its docs)"),

            new Row("AWS::SQS::Queue", "queues", Status.NO_CHECK, "moto's SQS: its own checks only", "implemented"),
            new Row("AWS::SecretsManager::Secret", "secrets", Status.NO_CHECK,
                    "moto; generated values come from moto's generator (not a cryptographic one)", "implemented"),
            new Row("AWS::S3::Bucket", "buckets and objects", Status.NO_CHECK,
                    "moto's S3 (cdk bootstrap's asset bucket); a bucket policy is kept, not evaluated", "implemented"),
            new Row("AWS::ECR::Repository", "repositories", Status.NO_CHECK, "created in moto; no images are run", "?"),
            new Row("AWS::SSM::Parameter", "String and StringList parameters", Status.NO_CHECK, "moto's SSM",
                    "implemented"),
            new Row("CloudFormation", "stacks, change sets, events, rollback", Status.ENFORCED,
                    "the stack's own: parameters, rules, capabilities, replacements, existing names as AWS checks them",
                    "implemented (its own engine)"),
            new Row("CloudWatch", "metrics, alarms, dashboards, log groups", Status.NOT_EMULATED,
                    "logs are files; the iterator age is in /_local/health", "?"));

    private Emulation() {
    }

    /** The groups the summary shows for a template: the IAM group, the DynamoDB items and those of its resource types. */
    static List<String> groupsFor(Set<String> resourceTypes) {
        List<String> groups = new ArrayList<>();
        for (Row r : ROWS) {
            boolean wanted = r.group().equals(IAM) || r.group().equals(DDB_ITEMS) && resourceTypes.contains(DDB_TABLE)
                    || resourceTypes.contains(r.group())
                    || r.group().equals("CloudWatch") && resourceTypes.stream().anyMatch(t -> t.startsWith("AWS::CloudWatch::"));
            if (wanted && !groups.contains(r.group())) {
                groups.add(r.group());
            }
        }
        return groups;
    }

    /** One line per group: "enforced: a, b; no check: c; not emulated: d". */
    static Map<String, String> summaryLines(List<String> groups) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String g : groups) {
            Map<Status, List<String>> by = new java.util.EnumMap<>(Status.class);
            for (Row r : ROWS) {
                if (r.group().equals(g)) {
                    by.computeIfAbsent(r.status(), s -> new ArrayList<>()).add(r.feature());
                }
            }
            List<String> parts = new ArrayList<>();
            by.forEach((status, features) -> parts.add(status == Status.SEE_SECTION
                    ? "see the IAM section of docs/local-runtime.md" : status.label + ": " + String.join("; ", features)));
            lines.put(g, String.join(" | ", parts));
        }
        return lines;
    }
}
