package io.pushcqrs.ops.aws;

import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.config.Settings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * DynamoDB, DynamoDB Streams and SQS clients for the settings of a run. Credentials come from the SDK's default chain; when none is
 * configured at all (no environment keys, profile, web identity, container credentials or ~/.aws files) and
 * the endpoint is local, the dummy test/test pair is used, as LocalStack and moto accept any key.
 */
public final class AwsClients {
    private static final List<String> CREDENTIAL_ENV = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI");

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Settings settings, Context ctx) {
        return configure(DynamoDbClient.builder(), settings, ctx)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
    }

    /** The SQS client of the same endpoint, region and credentials (the on-failure queue). */
    public static SqsClient sqs(Settings settings, Context ctx) {
        return configure(SqsClient.builder(), settings, ctx).build();
    }

    /** The DynamoDB Streams client of the same endpoint (the records an on-failure message points at). */
    public static DynamoDbStreamsClient streams(Settings settings, Context ctx) {
        return configure(DynamoDbStreamsClient.builder(), settings, ctx).build();
    }

    /** Region, credentials, the URL-connection HTTP client with its timeouts, and the endpoint when one is set. */
    private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder,
                                                                                             Settings settings,
                                                                                             Context ctx) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings.endpoint(), ctx))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }

    /** The credentials for an endpoint: the default chain, or test/test for a local endpoint when none is configured. */
    public static AwsCredentialsProvider credentials(URI endpoint, Context ctx) {
        if (isLocal(endpoint) && !credentialsConfigured(ctx)) {
            return LocalAws.CREDENTIALS;
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** True when any source of the default chain is configured (environment, system properties, ~/.aws files). */
    public static boolean credentialsConfigured(Context ctx) {
        for (String name : CREDENTIAL_ENV) {
            if (ctx.env(name) != null) {
                return true;
            }
        }
        if (System.getProperty("aws.accessKeyId") != null) {
            return true;
        }
        String home = System.getProperty("user.home");
        String credentialsFile = ctx.env("AWS_SHARED_CREDENTIALS_FILE");
        String configFile = ctx.env("AWS_CONFIG_FILE");
        return exists(credentialsFile != null ? Path.of(credentialsFile) : Path.of(home, ".aws", "credentials"))
                || exists(configFile != null ? Path.of(configFile) : Path.of(home, ".aws", "config"));
    }

    /** True for loopback and well-known local emulator hosts. */
    public static boolean isLocal(URI endpoint) {
        if (endpoint == null || endpoint.getHost() == null) {
            return false;
        }
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
                || host.equals("[::1]") || host.equals("::1") || host.equals("0.0.0.0")
                || host.equals("localstack") || host.equals("host.docker.internal")
                || host.endsWith("localhost.localstack.cloud");
    }

    private static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
