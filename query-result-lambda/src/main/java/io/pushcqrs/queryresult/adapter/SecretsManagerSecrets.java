package io.pushcqrs.queryresult.adapter;

import io.pushcqrs.lambda.aws.DynamoDbClients;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.util.function.UnaryOperator;

/**
 * Reads a secret's SecretString with GetSecretValue (the only Secrets Manager call the function makes; its role may
 * make it on the cursor secret only). The client is built like the DynamoDB one: URL-connection HTTP client (no
 * Apache, no Netty in the jar), AWS_REGION, the SDK's endpoint resolution (AWS_ENDPOINT_URL on LocalStack and the
 * embedded stack), standard retries and the same timeouts. One call at init, then the client is closed.
 */
public final class SecretsManagerSecrets {
    private SecretsManagerSecrets() {
    }

    /** The SecretString of the secret, or null when it has none (a binary secret). */
    public static String secretString(UnaryOperator<String> env, String secretId) {
        try (SecretsManagerClient client = client(env)) {
            GetSecretValueResponse response = client.getSecretValue(b -> b.secretId(secretId));
            return response.secretString();
        }
    }

    static SecretsManagerClient client(UnaryOperator<String> env) {
        return SecretsManagerClient.builder()
                .region(DynamoDbClients.region(env))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(DynamoDbClients.CONNECT_TIMEOUT)
                        .socketTimeout(DynamoDbClients.SOCKET_TIMEOUT)
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(DynamoDbClients.API_CALL_TIMEOUT)
                        .build())
                .build();
    }
}
