package io.pushcqrs.ops.config;

import io.pushcqrs.ops.Context;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The connection options every subcommand shares. Each value comes from its flag, else the environment
 * (endpoint and region only), else {@code .local/outputs.json}; see {@link Settings#resolve}.
 */
public final class ConnectionOptions {
    /** Where the outputs file is looked for by default, relative to the repository root. */
    public static final String DEFAULT_OUTPUTS = ".local/outputs.json";

    @Option(names = "--outputs", paramLabel = "FILE",
            description = "Outputs of the running stack (default: " + DEFAULT_OUTPUTS + " in the repository root).")
    Path outputs;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "AWS endpoint, e.g. http://127.0.0.1:4566 (default: $AWS_ENDPOINT_URL, else Endpoint in the outputs).")
    String endpoint;

    @Option(names = "--api-url", paramLabel = "URL",
            description = "Base URL of the HTTP API, /commands etc. are appended (default: ApiUrl in the outputs).")
    String apiUrl;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "API key sent as x-api-key (default: ApiKey in the outputs).")
    String apiKey;

    @Option(names = "--command-table", paramLabel = "NAME",
            description = "command-records table (default: CommandTable in the outputs, else dev-command-records).")
    String commandTable;

    @Option(names = "--notification-table", paramLabel = "NAME",
            description = "notification-records table (default: NotificationTable in the outputs, else dev-notification-records).")
    String notificationTable;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: $AWS_REGION, else us-east-1).")
    String region;

    /** Resolves flags, environment and outputs file into settings. */
    public Settings resolve(Context ctx) {
        return Settings.resolve(this, ctx);
    }

    /** For tests and callers that build options in code. */
    public static ConnectionOptions of(Path outputs, String endpoint, String apiUrl, String apiKey,
                                       String commandTable, String notificationTable, String region) {
        ConnectionOptions o = new ConnectionOptions();
        o.outputs = outputs;
        o.endpoint = endpoint;
        o.apiUrl = apiUrl;
        o.apiKey = apiKey;
        o.commandTable = commandTable;
        o.notificationTable = notificationTable;
        o.region = region;
        return o;
    }
}
