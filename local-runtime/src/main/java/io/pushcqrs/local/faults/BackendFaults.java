package io.pushcqrs.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.edge.RequestCheck;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The edge's check that makes the backend fail: DynamoDB data calls the stack's functions make (signed with the
 * temporary credentials it gives them) on the tables of {@link FaultSpec#backendTable()}
 * are answered, instead of forwarded, with DynamoDB's throttling errors (400), its 500/503, or, during the outage, the
 * edge's own answer when moto does not answer (502 ServiceUnavailable). The SDK retries all of them as retryable.
 */
public final class BackendFaults implements RequestCheck {
    static final String TARGET_PREFIX = "DynamoDB_20120810.";
    static final Set<String> DATA_OPERATIONS = Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
            "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultSpec spec;
    private final Dice dice;
    private final LongSupplier nanos;
    private final long startNanos;
    private final Consumer<String> log;
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong unreachable = new AtomicLong();
    private volatile boolean outageSaid;

    public BackendFaults(FaultSpec spec, Consumer<String> log) {
        this(spec, log, System::nanoTime);
    }

    /** With the time source the outage is measured on (tests). */
    BackendFaults(FaultSpec spec, Consumer<String> log, LongSupplier nanos) {
        this.spec = spec;
        this.dice = new Dice(spec.seed() + 1);
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.log = log;
    }

    @Override
    public Refusal check(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String operation = operation(headers);
        if (operation == null || !DATA_OPERATIONS.contains(operation) || !fromTheStacksSessions(headers) || !touches(body)) {
            return null;
        }
        if (inOutage()) {
            unreachable.incrementAndGet();
            if (!outageSaid) {
                outageSaid = true;
                log.accept("FAULT backend.outage: DynamoDB calls on *" + spec.backendTable() + "* unreachable for "
                        + spec.outageLength().toSeconds() + " s");
            }
            return answer(502, "ServiceUnavailable", "the local stack's AWS backend did not answer (injected outage)");
        }
        double roll = dice.roll();
        if (roll < spec.backendThrottle()) {
            throttled.incrementAndGet();
            return roll < spec.backendThrottle() / 2
                    ? answer(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded. Consider increasing your"
                            + " provisioning level with the UpdateTable API.")
                    : answer(400, "com.amazon.coral.availability#ThrottlingException",
                    "Rate of requests exceeds the allowed throughput.");
        }
        if (roll < spec.backendThrottle() + spec.backend5xx()) {
            failed.incrementAndGet();
            return roll < spec.backendThrottle() + spec.backend5xx() / 2
                    ? answer(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
                    : answer(503, "com.amazon.coral.availability#ServiceUnavailableException", "Service Unavailable");
        }
        return null;
    }

    boolean inOutage() {
        if (spec.outageLength().isZero()) {
            return false;
        }
        Duration since = Duration.ofNanos(nanos.getAsLong() - startNanos);
        boolean in = since.compareTo(spec.outageStart()) >= 0 && since.compareTo(spec.outageStart().plus(spec.outageLength())) < 0;
        if (!in && outageSaid && since.compareTo(spec.outageStart().plus(spec.outageLength())) >= 0) {
            outageSaid = false;
            log.accept("FAULT backend.outage over: " + unreachable.get() + " call(s) were refused");
        }
        return in;
    }

    /**
     * True for calls signed with temporary credentials ({@code ASIA...}): those the stack gives its functions and
     * pollers (with IAM on, the default), as Lambda does. An operator's tool with long-term keys (check-sync's scan,
     * the soak's own reads) is not failed: the faults are the read side's, not the observer's.
     */
    static boolean fromTheStacksSessions(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Authorization") && !h.getValue().isEmpty()) {
                String a = h.getValue().get(0);
                int c = a.indexOf("Credential=");
                return c >= 0 && a.startsWith("ASIA", c + "Credential=".length());
            }
        }
        return false;
    }

    static String operation(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("X-Amz-Target") && !h.getValue().isEmpty()) {
                String t = h.getValue().get(0);
                return t.startsWith(TARGET_PREFIX) ? t.substring(TARGET_PREFIX.length()) : null;
            }
        }
        return null;
    }

    /** True when the request names a table that contains the spec's text. */
    boolean touches(byte[] body) {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (Exception e) {
            return false; // the forwarder and moto answer what cannot be read
        }
        if (req == null) {
            return false;
        }
        if (matches(req.path("TableName").asText(null))) {
            return true;
        }
        var names = req.path("RequestItems").fieldNames();
        while (names.hasNext()) {
            if (matches(names.next())) {
                return true;
            }
        }
        for (JsonNode item : req.path("TransactItems")) {
            var ops = item.elements();
            while (ops.hasNext()) {
                if (matches(ops.next().path("TableName").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(String table) {
        return table != null && table.contains(spec.backendTable());
    }

    private static Refusal answer(int status, String type, String message) {
        byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Refusal(status, Map.of("Content-Type", "application/x-amz-json-1.0",
                "x-amzn-RequestId", UUID.randomUUID().toString()), body);
    }
}
