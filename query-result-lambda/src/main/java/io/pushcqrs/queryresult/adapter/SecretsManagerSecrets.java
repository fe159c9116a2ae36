package io.pushcqrs.queryresult.adapter;

import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;


/**
 * Reads a secret's SecretString with GetSecretValue (the only Secrets Manager call the function makes; its role may
 * make it on the cursor secret only). The client has the shared settings of {@link AwsClients} (URL-connection HTTP client, AWS_REGION, the SDK's
 * endpoint resolution, standard retries and the same timeouts as DynamoDB's). One call at init, then the client is closed.
 */
public final class SecretsManagerSecrets {
    private SecretsManagerSecrets() {
    }

    /** The SecretString of the secret, or null when it has none (a binary secret). */
    public static String secretString(Env env, String secretId) {
        try (SecretsManagerClient client = client(env)) {
            GetSecretValueResponse response = client.getSecretValue(b -> b.secretId(secretId));
            return response.secretString();
        }
    }

    static SecretsManagerClient client(Env env) {
        return AwsClients.build(SecretsManagerClient.builder(), env, AwsClients.Settings.DEFAULT);
    }
}
