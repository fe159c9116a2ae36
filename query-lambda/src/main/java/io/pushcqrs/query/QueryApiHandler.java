package io.pushcqrs.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.Startup;
import io.pushcqrs.lambda.http.HttpApi;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.query.app.QueryRouter;

/**
 * query-lambda behind API Gateway (REST, proxy integration): {@link QueryRouter} behind the toolkit's
 * {@link HttpApi} (the error flow, one log line per request). Built once, in the init phase, from the environment
 * (QUERY_RESULT_FUNCTION, required: without it the function does not start).
 */
public class QueryApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final HttpApi api;

    /** The constructor the Lambda runtime calls: the reader named by QUERY_RESULT_FUNCTION. */
    public QueryApiHandler() {
        this(Startup.build("query-lambda", Log.lambda(), () -> QueryRouter.fromEnvironment(Env.system())));
    }

    public QueryApiHandler(QueryRouter router) {
        this.api = new HttpApi("query request", router, Log.lambda());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return api.handle(event, context);
    }
}
