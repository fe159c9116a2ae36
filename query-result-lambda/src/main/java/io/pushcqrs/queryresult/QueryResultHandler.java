package io.pushcqrs.queryresult;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.Startup;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.queryresult.adapter.QueryInvocations;
import io.pushcqrs.queryresult.adapter.SecretsManagerSecrets;
import io.pushcqrs.queryresult.app.QueryService;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * query-result-lambda, invoked directly (Lambda Invoke) by query-lambda with a JSON query request:
 * {@link QueryInvocations} over {@link QueryService}. Built once, in the init phase: the cursor key from the Secrets
 * Manager secret of CURSOR_SECRET_ARN and the table of NOTIFICATION_TABLE (both required: without them the function
 * does not start).
 */
public final class QueryResultHandler implements RequestStreamHandler {
    private final QueryInvocations invocations;

    /** The Lambda runtime's constructor: wired from the environment. */
    public QueryResultHandler() {
        this(Startup.build("query-result-lambda", Log.lambda(), () -> QueryInvocations.fromEnvironment(Env.system(),
                Log.lambda(), id -> SecretsManagerSecrets.secretString(Env.system(), id))));
    }

    public QueryResultHandler(QueryService service, Log log) {
        this(new QueryInvocations(service, log));
    }

    public QueryResultHandler(QueryInvocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        invocations.handle(input, output, context);
    }
}
