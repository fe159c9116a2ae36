package io.pushcqrs.queryresult.adapter;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one Secrets Manager call of the function (GetSecretValue at init), against moto, in this JVM so that the AWS
 * call recorder sees it: the module's aws-calls.json lists it on {@code secret/cursor-secret} (the secret's name here
 * ends with that logical name, as the recorder resolves names), and infra's IamTest checks the role grants it.
 */
@Tag(Tiers.MOTO)
class SecretsManagerSecretsTest {
    private static SecretsManagerClient admin;
    private static String arn;
    private static Map<String, String> env;

    @BeforeAll
    static void createSecret() {
        String endpoint = MotoServer.shared().endpoint().toString();
        admin = SecretsManagerClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        arn = admin.createSecret(b -> b.name("qr-" + UUID.randomUUID() + "-cursor-secret")
                .secretString("s".repeat(64))).arn();
        env = Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_REGION", LocalAws.REGION.id(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    @AfterAll
    static void deleteSecret() {
        admin.deleteSecret(b -> b.secretId(arn).forceDeleteWithoutRecovery(true));
        admin.close();
    }

    @Test
    void readsTheSecretStringByArn() {
        assertThat(withEnvironment(() -> SecretsManagerSecrets.secretString(Env.of(env), arn))).isEqualTo("s".repeat(64));
    }

    @Test
    void anUnknownSecretIsResourceNotFound() {
        String unknown = arn.replace("-cursor-secret", "-missing");
        assertThatThrownBy(() -> withEnvironment(() -> SecretsManagerSecrets.secretString(Env.of(env), unknown)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    /** The SDK reads the endpoint and credentials from system properties as well as the environment. */
    private static <T> T withEnvironment(java.util.function.Supplier<T> call) {
        String endpoint = System.getProperty("aws.endpointUrl");
        String key = System.getProperty("aws.accessKeyId");
        String secret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.endpointUrl", env.get("AWS_ENDPOINT_URL"));
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try {
            return call.get();
        } finally {
            restore("aws.endpointUrl", endpoint);
            restore("aws.accessKeyId", key);
            restore("aws.secretAccessKey", secret);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
