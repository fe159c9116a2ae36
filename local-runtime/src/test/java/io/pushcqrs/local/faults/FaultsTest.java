package io.pushcqrs.local.faults;

import io.pushcqrs.local.edge.RequestCheck.Refusal;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault spec, the backend's injected answers and the invoker's, without threads or a clock (a time source the test moves). */
class FaultsTest {
    static final String WRITE = "{\"TableName\":\"dev-notification-records\",\"Item\":{}}";

    @Test
    void theSpecParsesEveryKeyAndSaysWhatIsOn() {
        FaultSpec s = FaultSpec.parse("seed=42,invoke.throw=0.05,invoke.timeout=0.02,invoke.kill=0.01,backend.throttle=0.05,"
                + "backend.5xx=0.02,backend.outage=20s@30s,runtime.restart=1m,backend.table=records");
        assertThat(s).isEqualTo(new FaultSpec(42, 0.05, 0.02, 0.01, 0.05, 0.02, Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofMinutes(1), "records"));
        assertThat(s.active()).isTrue();
        assertThat(s.describe()).contains("throw 5.0 %", "JVM kill 1.0 %", "throttled 5.0 %", "unreachable for 20 s from 30 s",
                "every 60 s", "seed 42");
        assertThat(FaultSpec.NONE.active()).isFalse();
        assertThat(FaultSpec.NONE.describe()).isEqualTo("off");
        assertThat(FaultSpec.parse("backend.outage=500ms").outageStart()).isZero();
    }

    @Test
    void aBadSpecIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> FaultSpec.parse("invoke.explode=0.1")).hasMessageContaining("unknown key 'invoke.explode'");
        assertThatThrownBy(() -> FaultSpec.parse("invoke.throw=1.5")).hasMessageContaining("invoke.throw must be a fraction");
        assertThatThrownBy(() -> FaultSpec.parse("invoke.throw=x")).hasMessageContaining("invoke.throw must be a fraction");
        assertThatThrownBy(() -> FaultSpec.parse("backend.outage=soon")).hasMessageContaining("backend.outage needs a duration");
        assertThatThrownBy(() -> FaultSpec.parse("seed")).hasMessageContaining("is not key=value");
        assertThatThrownBy(() -> FaultSpec.parse("invoke.throw=0.6,invoke.kill=0.6")).hasMessageContaining("more than 1");
        assertThatThrownBy(() -> FaultSpec.parse(" ")).hasMessageContaining("needs key=value pairs");
    }

    static final String FUNCTION_SIGNATURE = "AWS4-HMAC-SHA256 Credential=ASIAABCDEFGHIJKLMNOP/20261202/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host, Signature=00";

    static Map<String, List<String>> target(String op) {
        return Map.of("x-amz-target", List.of("DynamoDB_20120810." + op), "Authorization", List.of(FUNCTION_SIGNATURE));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBackendFailsOnlyDataCallsOnTheNamedTablesInDynamoDbsErrorShape() {
        BackendFaults all = new BackendFaults(FaultSpec.parse("backend.throttle=1"), l -> { });
        Refusal r = all.check("POST", "/", target("PutItem"), bytes(WRITE));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).matches(
                "\\{\"__type\":\"(com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"
                        + "|com.amazon.coral.availability#ThrottlingException)\",\"message\":\".+\"}");
        assertThat(r.headers()).containsEntry("Content-Type", "application/x-amz-json-1.0").containsKey("x-amzn-RequestId");
        // batches and transactions name their tables elsewhere
        assertThat(all.check("POST", "/", target("BatchWriteItem"), bytes("{\"RequestItems\":{\"dev-notification-records\":[]}}")))
                .isNotNull();
        assertThat(all.check("POST", "/", target("TransactWriteItems"),
                bytes("{\"TransactItems\":[{\"Put\":{\"TableName\":\"dev-notification-records\"}}]}"))).isNotNull();
        // the write side, control calls, streams, other services: forwarded
        assertThat(all.check("POST", "/", target("PutItem"), bytes("{\"TableName\":\"dev-command-records\"}"))).isNull();
        assertThat(all.check("POST", "/", target("DescribeTable"), bytes(WRITE))).isNull();
        assertThat(all.check("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDBStreams_20120810.GetRecords")), bytes(WRITE)))
                .isNull();
        assertThat(all.check("POST", "/", Map.of(), bytes("Action=SendMessage"))).isNull();
        assertThat(all.check("POST", "/", target("PutItem"), bytes("not json"))).isNull();
        // an operator's long-term keys (check-sync's scan): not failed
        assertThat(all.check("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.Scan"), "authorization",
                List.of(FUNCTION_SIGNATURE.replace("ASIA", "AKIA"))), bytes(WRITE))).isNull();
        assertThat(all.check("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.Scan")), bytes(WRITE))).isNull();
        assertThat(all.throttled.get()).isEqualTo(3);

        Refusal five = new BackendFaults(FaultSpec.parse("backend.5xx=1"), l -> { }).check("POST", "/", target("Query"), bytes(WRITE));
        assertThat(five.status()).isIn(500, 503);
        assertThat(new String(five.body(), StandardCharsets.UTF_8)).containsAnyOf("InternalServerError", "ServiceUnavailableException");
    }

    @Test
    void theFractionsHoldAndTheSameSeedGivesTheSameSequence() {
        FaultSpec spec = FaultSpec.parse("seed=7,backend.throttle=0.05,backend.5xx=0.02");
        List<Integer> first = statuses(new BackendFaults(spec, l -> { }), 20_000);
        List<Integer> second = statuses(new BackendFaults(spec, l -> { }), 20_000);
        assertThat(first).isEqualTo(second);
        long throttled = first.stream().filter(s -> s == 400).count();
        long failed = first.stream().filter(s -> s >= 500).count();
        assertThat(throttled).isBetween(800L, 1200L);   // 5 % of 20,000 = 1,000
        assertThat(failed).isBetween(250L, 550L);       // 2 % = 400
        assertThat(statuses(new BackendFaults(FaultSpec.parse("seed=8,backend.throttle=0.05"), l -> { }), 2000)).isNotEqualTo(
                statuses(new BackendFaults(FaultSpec.parse("seed=7,backend.throttle=0.05"), l -> { }), 2000));
    }

    static List<Integer> statuses(BackendFaults f, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Refusal r = f.check("POST", "/", target("UpdateItem"), bytes(WRITE));
            out.add(r == null ? 200 : r.status());
        }
        return out;
    }

    @Test
    void theOutageRefusesEveryCallOfItsWindowAndEndsOnTime() {
        AtomicLong nanos = new AtomicLong();
        List<String> log = new CopyOnWriteArrayList<>();
        BackendFaults f = new BackendFaults(FaultSpec.parse("backend.outage=20s@30s"), log::add, nanos::get);
        assertThat(f.check("POST", "/", target("PutItem"), bytes(WRITE))).isNull();
        nanos.set(Duration.ofSeconds(30).toNanos());
        Refusal r = f.check("POST", "/", target("PutItem"), bytes(WRITE));
        assertThat(r.status()).isEqualTo(502);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("ServiceUnavailable");
        nanos.set(Duration.ofSeconds(49).toNanos());
        assertThat(f.check("POST", "/", target("GetItem"), bytes(WRITE)).status()).isEqualTo(502);
        nanos.set(Duration.ofSeconds(50).toNanos());
        assertThat(f.check("POST", "/", target("PutItem"), bytes(WRITE))).isNull();
        assertThat(f.unreachable.get()).isEqualTo(2);
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).contains("unreachable for 20 s");
        assertThat(log.get(1)).contains("over: 2 call(s)");
    }

    /** A function that answers OK and counts its invocations. */
    static final class Fn implements LambdaInvoker {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public InvokeResult invoke(String functionNameOrArn, byte[] payload) {
            calls.incrementAndGet();
            return new InvokeResult(200, bytes("null"), null, "req-" + calls.get(), 3);
        }
    }

    @Test
    void injectedInvocationFaultsAnswerAsLambdaDoesAfterTheFunctionRan() {
        Fn fn = new Fn();
        List<String> log = new CopyOnWriteArrayList<>();
        InvokeResult thrown = new FaultyInvoker(fn, FaultSpec.parse("invoke.throw=1"), f -> List.of(), log::add)
                .invoke("projector", bytes("{}"));
        assertThat(fn.calls.get()).as("the function ran: what it wrote stays written").isEqualTo(1);
        assertThat(thrown.functionError()).isEqualTo("Unhandled");
        assertThat(new String(thrown.payload(), StandardCharsets.UTF_8)).contains("\"errorType\":\"io.pushcqrs.local.faults.InjectedFault\"");

        InvokeResult timedOut = new FaultyInvoker(fn, FaultSpec.parse("invoke.timeout=1"), f -> List.of(), log::add)
                .invoke("projector", bytes("{}"));
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(new String(timedOut.payload(), StandardCharsets.UTF_8)).contains("Sandbox.Timedout").contains("Task timed out");

        List<String> asked = new CopyOnWriteArrayList<>();
        InvokeResult killed = new FaultyInvoker(fn, FaultSpec.parse("invoke.kill=1"), f -> {
            asked.add(f);
            return List.of();
        }, log::add).invoke("projector", bytes("{}"));
        assertThat(asked).containsExactly("projector");
        assertThat(killed.functionError()).isEqualTo("Unhandled");
        assertThat(new String(killed.payload(), StandardCharsets.UTF_8)).contains("Runtime.ExitError").contains("signal: killed");
        assertThat(log).hasSize(3).allMatch(l -> l.startsWith("FAULT invoke."));

        Fn clean = new Fn();
        assertThat(new FaultyInvoker(clean, FaultSpec.parse("seed=3,invoke.throw=0"), f -> List.of(), log::add)
                .invoke("projector", bytes("{}")).failed()).isFalse();
    }

    @Test
    void theStackPartsAreOnlyMadeForWhatIsAskedFor() {
        Faults none = new Faults(FaultSpec.NONE, l -> { });
        Fn fn = new Fn();
        assertThat(none.pollerInvoker(fn, f -> List.of())).isSameAs(fn);
        assertThat(none.backendCheck()).isNull();
        Faults some = new Faults(FaultSpec.parse("invoke.throw=0.1,backend.outage=1s"), l -> { });
        assertThat(some.pollerInvoker(fn, f -> List.of())).isInstanceOf(FaultyInvoker.class);
        assertThat(some.backendCheck()).isNotNull();
        assertThat(some.health()).containsKeys("spec", "invokeThrown", "backendUnreachable", "restarts");
    }
}
