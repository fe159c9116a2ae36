package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.InvokePermission;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.edge.RequestGuard;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.iam.IamMode;
import io.pushcqrs.local.iam.Session;
import io.pushcqrs.local.iam.StackIam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * IAM for every deployed stack that runs functions ({@code --iam enforce|audit|off}): on each deployment the stack's
 * roles, policies and Lambda permissions are read again ({@link StackIam}) from the template just installed; a
 * function whose role did not change keeps its session (its running environments' credentials stay valid). The
 * edge's guard checks the calls made with any stack's sessions; the other parts ask this one for a function's
 * credentials ({@link FunctionsPart}), a mapping's session and check ({@link PollersPart}), and API Gateway's invoke
 * permission ({@link ApiPart}). It comes first in the installer's list, so that they see the new model. What AWS would
 * refuse (enforce) fails the deployment, which rolls back.
 */
final class IamPart implements StackPart {
    private final IamMode mode;
    private final EdgeServer edge;
    private final Consumer<String> log;
    private final Consumer<String> console;
    private final Map<String, StackIam> byStack = new ConcurrentHashMap<>();

    IamPart(IamMode mode, EdgeServer edge, Consumer<String> log, Consumer<String> console) {
        this.mode = mode;
        this.edge = edge;
        this.log = log;
        this.console = console;
    }

    @Override
    public void apply(Change change) {
        StackIam previous = byStack.get(change.stackName());
        if (change.after() == null || mode == IamMode.OFF || change.after().functions().isEmpty()) {
            byStack.remove(change.stackName());
        } else {
            byStack.put(change.stackName(), StackIam.start(mode, change.template(), change.intrinsics(),
                    change.after().functions(), log, console, previous));
        }
        EdgeServer.Routes now = edge.routes();
        if (now != null) {
            edge.update(new EdgeServer.Routes(now.apiGateway(), now.lambdaApi(), now.moto(), now.health(), now.log(),
                    guard()));
        }
    }

    IamMode mode() {
        return mode;
    }

    /** The IAM of the stack that runs a function, or null. */
    private StackIam of(String function) {
        for (StackIam iam : byStack.values()) {
            if (iam.model() != null && iam.model().functionRoles().containsKey(function)) {
                return iam;
            }
        }
        for (StackIam iam : byStack.values()) {
            if (!iam.credentials(function).isEmpty()) {
                return iam;
            }
        }
        return null;
    }

    /** What Lambda puts in the function's environment for its role (empty when IAM is off). */
    Map<String, String> credentials(String function) {
        StackIam iam = of(function);
        return iam == null ? Map.of() : iam.credentials(function);
    }

    /** The session a mapping polls with, or null (IAM off). */
    Session mappingSession(EsmSpec spec) {
        StackIam iam = of(spec.functionName());
        return iam == null ? null : iam.mappingSession(spec);
    }

    /** AWS's refusal of the mapping for its function's role, or null. */
    String checkMapping(EsmSpec spec) {
        StackIam iam = of(spec.functionName());
        return iam == null ? null : iam.checkMapping(spec);
    }

    /** API Gateway's invoke check: the permissions of the stack that runs the function. */
    InvokePermission invokePermission() {
        return (apiId, stage, httpMethod, resourcePath, function) -> {
            StackIam iam = of(function);
            return iam == null ? null : iam.invokePermission().denial(apiId, stage, httpMethod, resourcePath, function);
        };
    }

    /** The edge's check of the calls made with any stack's sessions, or null when there is none. */
    RequestGuard guard() {
        List<RequestGuard> guards = new ArrayList<>();
        byStack.values().forEach(i -> {
            if (i.guard() != null) {
                guards.add(i.guard());
            }
        });
        if (guards.isEmpty()) {
            return null;
        }
        return new RequestGuard() {
            @Override
            public boolean applies(String authorization, String rawQuery) {
                return guards.stream().anyMatch(g -> g.applies(authorization, rawQuery));
            }

            @Override
            public LambdaApi.Answer check(String method, String rawPath, String rawQuery,
                                          Map<String, List<String>> headers, byte[] body) {
                String authorization = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Authorization"))
                        .findFirst().map(e -> e.getValue().isEmpty() ? null : e.getValue().get(0)).orElse(null);
                for (RequestGuard g : guards) {
                    if (g.applies(authorization, rawQuery)) {
                        return g.check(method, rawPath, rawQuery, headers, body);
                    }
                }
                return null;
            }
        };
    }

    /** The IAM of the (first) stack that runs functions, for the summary and health; off when there is none. */
    StackIam current() {
        return byStack.values().stream().findFirst().orElse(StackIam.off());
    }

    @Override
    public void close() {
        byStack.values().forEach(StackIam::close);
    }
}
