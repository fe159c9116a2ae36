package io.pushcqrs.local.stack;

import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.LambdaRuntime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The Lambda functions of a deployment: a new or changed function (code, handler, environment, timeout, memory, its
 * role's credentials) is registered in the {@link LambdaRuntime}, which swaps it the way Lambda does (new invocations
 * run the new version, invocations in flight finish in the old environments); a deleted one is unregistered; an
 * unchanged one keeps its warm environments. The edge's Lambda API answers for the functions of every installed stack.
 */
final class FunctionsPart implements StackPart {
    private final LambdaRuntime runtime;
    private final LambdaApi lambdaApi;
    private final Function<String, Map<String, String>> credentials;
    /** What runs now, by function name: the spec as registered (with its credentials). */
    private final Map<String, FunctionSpec> running = new ConcurrentHashMap<>();

    /**
     * @param credentials a function's role credentials for its environment (IAM), empty when IAM is off
     */
    FunctionsPart(LambdaRuntime runtime, LambdaApi lambdaApi, Function<String, Map<String, String>> credentials) {
        this.runtime = runtime;
        this.lambdaApi = lambdaApi;
        this.credentials = credentials;
    }

    @Override
    public void apply(Change change) {
        Map<String, FunctionSpec> before = new LinkedHashMap<>();
        if (change.before() != null) {
            change.before().functions().forEach(f -> before.put(f.name(), f));
        }
        Map<String, FunctionSpec> after = new LinkedHashMap<>();
        if (change.after() != null) {
            change.after().functions().forEach(f -> after.put(f.name(), f.withEnvironment(credentials.apply(f.name()))));
        }
        for (String name : before.keySet()) {
            if (!after.containsKey(name) && running.remove(name) != null) {
                runtime.unregister(name);
            }
        }
        for (FunctionSpec f : after.values()) {
            if (!Objects.equals(running.get(f.name()), f)) {
                runtime.register(f);
                running.put(f.name(), f);
            }
        }
        List<FunctionSpec> all = new ArrayList<>();
        change.all().forEach(m -> all.addAll(m.functions()));
        lambdaApi.setFunctions(all);
    }
}
