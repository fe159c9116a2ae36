package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A LambdaInvoker for tests: records every call and answers with a configurable function. */
public final class FakeInvoker implements LambdaInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded call. */
    public record Call(String function, byte[] payload) {
        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile BiFunction<String, byte[], InvokeResult> answer =
            (f, p) -> ok("{\"statusCode\":200,\"body\":\"{\\\"success\\\":true}\"}");

    public FakeInvoker answering(BiFunction<String, byte[], InvokeResult> answer) {
        this.answer = answer;
        return this;
    }

    public FakeInvoker answering(String payload) {
        return answering((f, p) -> ok(payload));
    }

    public static InvokeResult ok(String payload) {
        return new InvokeResult(200, payload.getBytes(StandardCharsets.UTF_8), null, "req-1", 3);
    }

    public static InvokeResult functionError(String payload) {
        return new InvokeResult(200, payload.getBytes(StandardCharsets.UTF_8), "Unhandled", "req-2", 3);
    }

    @Override
    public InvokeResult invoke(String functionNameOrArn, byte[] payload) {
        calls.add(new Call(functionNameOrArn, payload));
        return answer.apply(functionNameOrArn, payload);
    }

    public Call last() {
        return calls.get(calls.size() - 1);
    }
}
