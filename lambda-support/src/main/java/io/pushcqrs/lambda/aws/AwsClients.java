package io.pushcqrs.lambda.aws;

import io.pushcqrs.lambda.Env;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.time.Duration;

/**
 * The one way a function builds an AWS client (DynamoDB, Lambda, Secrets Manager): the URL-connection HTTP client
 * (no Apache, no Netty in the jar), the region from AWS_REGION (us-east-1 when unset), credentials from the default
 * chain (the role's variables in Lambda), and the endpoint the SDK resolves itself: AWS_ENDPOINT_URL_&lt;SERVICE&gt; or
 * AWS_ENDPOINT_URL (and the aws.endpointUrl system property), which LocalStack and the embedded stack set. Retries and
 * timeouts come from a {@link Settings}: a call gives up well before the function's own timeout, so a stalled service
 * is answered with a 503.
 * <pre>
 * DynamoDbClient ddb = AwsClients.build(DynamoDbClient.builder(), env, AwsClients.Settings.DEFAULT);
 * </pre>
 */
public final class AwsClients {
    public static final String DEFAULT_REGION = "us-east-1";
    /**
     * The JDK's HTTP client (under the SDK's URL-connection client) keeps at most {@code http.maxConnections} idle
     * connections per host, 5 unless set; the projection writes up to PROJECTION_CONCURRENCY (8 by default, 64 at most)
     * records at once, and every connection above 5 was closed after its call and opened again for the next. The
     * property is read once, when the JDK's keep-alive cache first loads: this class sets it before it builds a client
     * (a value given with -D or JAVA_TOOL_OPTIONS stays).
     */
    static final String MAX_CONNECTIONS_PROPERTY = "http.maxConnections";
    static final String MAX_CONNECTIONS = "64";

    static {
        if (System.getProperty(MAX_CONNECTIONS_PROPERTY) == null) {
            System.setProperty(MAX_CONNECTIONS_PROPERTY, MAX_CONNECTIONS);
        }
    }

    private AwsClients() {
    }

    /**
     * Connect and socket timeouts of the HTTP client, the whole call's timeout (all attempts), and how many attempts
     * (the SDK's standard retry mode, with its backoff).
     */
    public record Settings(Duration connectTimeout, Duration socketTimeout, Duration apiCallTimeout, int maxAttempts) {
        /** DynamoDB and Secrets Manager: 2 s to connect, 5 s per read, 8 s per call, 3 attempts. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(8), 3);

        /** One bound for the whole call (e.g. a Lambda invoke): it is also the socket timeout; connect at most 2 s. */
        public static Settings bounded(Duration callTimeout, int maxAttempts) {
            Duration connect = callTimeout.compareTo(Duration.ofSeconds(2)) < 0 ? callTimeout : Duration.ofSeconds(2);
            return new Settings(connect, callTimeout, callTimeout, maxAttempts);
        }
    }

    /** AWS_REGION, or us-east-1 when it is unset or blank. */
    public static Region region(Env env) {
        return Region.of(env.optional("AWS_REGION", DEFAULT_REGION));
    }

    /** A client of the builder's service with these settings. */
    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder, Env env,
                                                                                              Settings settings) {
        return configure(builder, env, settings).build();
    }

    /** The builder with these settings, for a caller that sets more (an endpoint in tests). */
    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> B configure(B builder, Env env,
                                                                                                  Settings settings) {
        return builder
                .region(region(env))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts()).build())
                        .apiCallTimeout(settings.apiCallTimeout())
                        .build());
    }
}
