package io.pushcqrs.projection;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.Startup;
import io.pushcqrs.lambda.log.Log;
import io.pushcqrs.projection.adapter.DynamoDbViewStore;
import io.pushcqrs.projection.adapter.StreamBatches;
import io.pushcqrs.projection.app.ProjectionService;

import java.time.Clock;

/**
 * stream-processor, called by the event source mapping of command-records' stream: {@link StreamBatches} over
 * {@link ProjectionService} (partial batch responses, the first-record rule, the batch's log lines). Built once, in
 * the init phase, from the environment (NOTIFICATION_TABLE, required: without it the function does not start).
 */
public class StreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final StreamBatches batches;

    /** The constructor the Lambda runtime calls: configuration from the environment. */
    public StreamHandler() {
        this(Startup.build("stream-processor", Log.lambda(), () -> service(Env.system())));
    }

    /**
     * The projection as the function runs it: NOTIFICATION_TABLE (required), PROJECTION_CONCURRENCY (optional, default
     * {@value ProjectionService#DEFAULT_CONCURRENCY}: how many item keys of a batch are written at once).
     */
    static ProjectionService service(Env env) {
        String value = env.optional("PROJECTION_CONCURRENCY", Integer.toString(ProjectionService.DEFAULT_CONCURRENCY));
        int concurrency;
        try {
            concurrency = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            concurrency = 0;
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("environment variable PROJECTION_CONCURRENCY is '" + value
                    + "': a whole number from 1 to 64 (item keys of a batch written at once)");
        }
        return new ProjectionService(DynamoDbViewStore.fromEnvironment(env), Clock.systemUTC(), concurrency);
    }

    public StreamHandler(ProjectionService service) {
        this.batches = new StreamBatches(service, Log.lambda());
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return batches.handle(event, context);
    }
}
