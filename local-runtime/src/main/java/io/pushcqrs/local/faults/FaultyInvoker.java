package io.pushcqrs.local.faults;

import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The invoker the stream pollers use when invocation faults are on: a fraction of invocations fail as a Lambda function
 * fails, after the function has run (so what it wrote stays written, as when a real function throws or times out at
 * the end of a batch), or with its JVM killed while the batch runs. The poller sees the answer AWS's poller would see,
 * and retries (docs/reliability.md, "Faults").
 */
public final class FaultyInvoker implements LambdaInvoker {
    /** The longest a killed invocation runs before its JVM is killed. */
    static final int MAX_KILL_DELAY_MS = 200;

    private final LambdaInvoker delegate;
    private final FaultSpec spec;
    private final Dice dice;
    private final Function<String, List<ProcessHandle>> processesOf;
    private final Consumer<String> log;
    final AtomicLong thrown = new AtomicLong();
    final AtomicLong timedOut = new AtomicLong();
    final AtomicLong killed = new AtomicLong();

    /**
     * @param processesOf the JVMs of a function, by the name or ARN the poller invokes
     * @param log         one line per injected fault
     */
    public FaultyInvoker(LambdaInvoker delegate, FaultSpec spec, Function<String, List<ProcessHandle>> processesOf,
                         Consumer<String> log) {
        this.delegate = delegate;
        this.spec = spec;
        this.dice = new Dice(spec.seed());
        this.processesOf = processesOf;
        this.log = log;
    }

    @Override
    public InvokeResult invoke(String functionNameOrArn, byte[] payload) {
        double roll = dice.roll();
        if (roll < spec.invokeThrow()) {
            InvokeResult real = delegate.invoke(functionNameOrArn, payload);
            thrown.incrementAndGet();
            log.accept("FAULT invoke.throw " + functionNameOrArn + " (request " + real.requestId() + ", the function answered "
                    + (real.failed() ? "an error" : "OK") + ")");
            return error(real, "io.pushcqrs.local.faults.InjectedFault", "injected fault: the handler threw after its work");
        }
        if (roll < spec.invokeThrow() + spec.invokeTimeout()) {
            InvokeResult real = delegate.invoke(functionNameOrArn, payload);
            timedOut.incrementAndGet();
            log.accept("FAULT invoke.timeout " + functionNameOrArn + " (request " + real.requestId() + ")");
            return error(real, "Sandbox.Timedout", real.requestId() + " Task timed out (injected fault)");
        }
        if (roll < spec.invokeThrow() + spec.invokeTimeout() + spec.invokeKill()) {
            return kill(functionNameOrArn, payload);
        }
        return delegate.invoke(functionNameOrArn, payload);
    }

    private InvokeResult kill(String function, byte[] payload) {
        int delayMs = dice.below(MAX_KILL_DELAY_MS + 1);
        CompletableFuture<InvokeResult> running = CompletableFuture.supplyAsync(() -> delegate.invoke(function, payload));
        boolean finishedFirst = false;
        try {
            running.get(delayMs, TimeUnit.MILLISECONDS);
            finishedFirst = true;
        } catch (TimeoutException e) {
            // still running: the kill lands mid-batch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            finishedFirst = true;
        }
        List<ProcessHandle> jvms = processesOf.apply(function);
        jvms.forEach(ProcessHandle::destroyForcibly);
        killed.incrementAndGet();
        InvokeResult result = running.join();
        log.accept("FAULT invoke.kill " + function + " after " + delayMs + " ms: " + jvms.size() + " JVM(s) killed, "
                + (finishedFirst ? "the batch had finished" : "mid-batch") + " (request " + result.requestId() + ")");
        return result.failed() ? result : error(result, "Runtime.ExitError", "RequestId: " + result.requestId()
                + " Error: Runtime exited with error: signal: killed (injected fault)");
    }

    private static InvokeResult error(InvokeResult real, String type, String message) {
        String body = "{\"errorMessage\":\"" + message.replace("\"", "'") + "\",\"errorType\":\"" + type + "\",\"stackTrace\":[]}";
        return new InvokeResult(200, body.getBytes(StandardCharsets.UTF_8), "Unhandled", real.requestId(), real.durationMs());
    }
}
