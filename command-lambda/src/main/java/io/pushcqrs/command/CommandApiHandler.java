package io.pushcqrs.command;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pushcqrs.command.adapter.DynamoDbCommandRepository;
import io.pushcqrs.command.app.CommandRouter;
import io.pushcqrs.command.app.CommandService;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.Startup;
import io.pushcqrs.lambda.http.HttpApi;
import io.pushcqrs.lambda.log.Log;

import java.time.Clock;

/**
 * command-lambda behind API Gateway (REST, proxy integration): {@link CommandRouter} behind the toolkit's
 * {@link HttpApi} (the error flow, one log line per request). Built once, in the init phase, from the environment
 * (COMMAND_TABLE, required: without it the function does not start).
 */
public class CommandApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final HttpApi api;

    /** The Lambda runtime's constructor: the DynamoDB-backed service, from the environment. */
    public CommandApiHandler() {
        this(Startup.build("command-lambda", Log.lambda(),
                () -> new CommandService(DynamoDbCommandRepository.fromEnvironment(Env.system()), Clock.systemUTC())));
    }

    /** A handler over a given service (tests, other wiring). */
    public CommandApiHandler(CommandService service) {
        this.api = new HttpApi("command request", new CommandRouter(service), Log.lambda());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return api.handle(event, context);
    }
}
