package io.pushcqrs.command.adapter;

/**
 * Runs code with the SDK's endpoint and credential settings given as system properties: the
 * same settings the SDK reads from AWS_ENDPOINT_URL / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
 * which a test cannot set for its own JVM.
 */
final class SdkSettings {
    private SdkSettings() {
    }

    static void withEndpoint(String endpoint, Runnable body) {
        System.setProperty("aws.endpointUrl", endpoint);
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try {
            body.run();
        } finally {
            System.clearProperty("aws.endpointUrl");
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
