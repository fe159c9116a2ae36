package io.pushcqrs.local.stack;

import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.LambdaRuntime;
import io.pushcqrs.local.resources.StackModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Lambda functions of a deployment: a new or changed function (code, handler, environment, timeout, memory) is
 * registered in the {@link LambdaRuntime}, which swaps it the way Lambda does (new invocations run the new version,
 * invocations in flight finish in the old environments); a deleted one is unregistered; an unchanged one keeps its
 * warm environments. The edge's Lambda API answers for the functions of every installed stack.
 */
final class FunctionsPart implements StackPart {
    private final LambdaRuntime runtime;
    private final LambdaApi lambdaApi;

    FunctionsPart(LambdaRuntime runtime, LambdaApi lambdaApi) {
        this.runtime = runtime;
        this.lambdaApi = lambdaApi;
    }

    @Override
    public void apply(Change change) {
        Map<String, FunctionSpec> before = byName(change.before());
        Map<String, FunctionSpec> after = byName(change.after());
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                runtime.unregister(name);
            }
        }
        for (FunctionSpec f : after.values()) {
            if (!Objects.equals(before.get(f.name()), f)) {
                runtime.register(f);
            }
        }
        List<FunctionSpec> all = new ArrayList<>();
        change.all().forEach(m -> all.addAll(m.functions()));
        lambdaApi.setFunctions(all);
    }

    private static Map<String, FunctionSpec> byName(StackModel model) {
        Map<String, FunctionSpec> out = new LinkedHashMap<>();
        if (model != null) {
            model.functions().forEach(f -> out.put(f.name(), f));
        }
        return out;
    }
}
