package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.InvokePermission;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.apigw.Throttling;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LineLog;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.util.ArrayList;
import java.util.List;

/**
 * The REST APIs of a deployment: the edge serves a new {@link ApiGateway} over the APIs of every installed stack
 * (routes, stages, keys, validators, gateway responses as the template now declares them), with the same throttling
 * state and IAM's invoke check. Requests in flight finish on the gateway they started with.
 */
final class ApiPart implements StackPart {
    private final EdgeServer edge;
    private final LambdaInvoker invoker;
    private final LineLog log;
    private final InvokePermission permission;
    private final Throttling throttling;

    ApiPart(EdgeServer edge, LambdaInvoker invoker, LineLog log, InvokePermission permission, Throttling throttling) {
        this.edge = edge;
        this.invoker = invoker;
        this.log = log;
        this.permission = permission;
        this.throttling = throttling;
    }

    @Override
    public void apply(Change change) {
        List<RestApiModel> apis = new ArrayList<>();
        change.all().forEach(m -> apis.addAll(m.apis()));
        EdgeServer.Routes now = edge.routes();
        edge.update(new EdgeServer.Routes(new ApiGateway(apis, invoker, log, permission, throttling), now.lambdaApi(),
                now.moto(), now.health(), now.log(), now.guard()));
    }
}
