package io.pushcqrs.ops.config;

import io.pushcqrs.model.Schema;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.OpsException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resolved connection settings of one run.
 * <ul>
 *   <li>endpoint: --endpoint, else $AWS_ENDPOINT_URL_DYNAMODB / $AWS_ENDPOINT_URL, else Endpoint in the outputs,
 *       else none (the SDK's own endpoint for the region: real AWS);</li>
 *   <li>API URL and key: --api-url / --api-key, else ApiUrl / ApiKey in the outputs;</li>
 *   <li>tables: --command-table / --notification-table, else the outputs, else the dev defaults;</li>
 *   <li>region: --region, else $AWS_REGION / $AWS_DEFAULT_REGION, else us-east-1.</li>
 * </ul>
 */
public record Settings(Path outputsFile, boolean outputsFound, URI endpoint, String apiUrl, String apiKey,
                       String commandTable, String notificationTable, String region, boolean explicitAws) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String NO_OUTPUTS_HINT =
            "start the stack with scripts/local-up.sh --detach, or pass --api-url/--endpoint";

    static Settings resolve(ConnectionOptions o, Context ctx) {
        Path file = o.outputs != null ? o.outputs : ctx.repoRoot().resolve(ConnectionOptions.DEFAULT_OUTPUTS);
        if (o.outputs != null && !Files.isRegularFile(o.outputs)) {
            throw OpsException.usage("no outputs file " + o.outputs + ": " + NO_OUTPUTS_HINT);
        }
        Outputs outputs = Outputs.load(file);
        String endpointEnv = first(ctx.env("AWS_ENDPOINT_URL_DYNAMODB"), ctx.env("AWS_ENDPOINT_URL"));
        String endpoint = first(blankToNull(o.endpoint), endpointEnv, outputs.get(Outputs.ENDPOINT));
        String apiUrl = first(blankToNull(o.apiUrl), outputs.get(Outputs.API_URL));
        String apiKey = first(blankToNull(o.apiKey), outputs.get(Outputs.API_KEY));
        String commandTable = first(blankToNull(o.commandTable), outputs.get(Outputs.COMMAND_TABLE),
                Schema.DEFAULT_COMMAND_TABLE);
        String notificationTable = first(blankToNull(o.notificationTable), outputs.get(Outputs.NOTIFICATION_TABLE),
                Schema.DEFAULT_NOTIFICATION_TABLE);
        String region = first(blankToNull(o.region), ctx.env("AWS_REGION"), ctx.env("AWS_DEFAULT_REGION"),
                DEFAULT_REGION);
        boolean explicitAws = o.endpoint != null || endpointEnv != null || o.commandTable != null
                || o.notificationTable != null;
        return new Settings(file, outputs.present(), endpoint == null ? null : uri("endpoint", endpoint),
                apiUrl == null ? null : trimSlash(uri("API URL", apiUrl).toString()), apiKey,
                commandTable, notificationTable, region, explicitAws);
    }

    /**
     * For the commands that talk to DynamoDB: fails with the "no outputs" hint when nothing says where
     * the tables are (no outputs file, no endpoint, no table flag).
     */
    public Settings requireAws() {
        if (!outputsFound && !explicitAws) {
            throw OpsException.usage(noOutputsMessage());
        }
        return this;
    }

    /** For the commands that talk to the HTTP API: the API URL must be known. */
    public String requireApiUrl() {
        if (apiUrl == null) {
            throw OpsException.usage(outputsFound
                    ? outputsFile + " has no ApiUrl: pass --api-url"
                    : noOutputsMessage());
        }
        return apiUrl;
    }

    /** The endpoint as text for messages ("the region's AWS endpoint" when none is set). */
    public String endpointLabel() {
        return endpoint == null ? "AWS (" + region + ")" : endpoint.toString();
    }

    private String noOutputsMessage() {
        return "no " + ConnectionOptions.DEFAULT_OUTPUTS + ": " + NO_OUTPUTS_HINT + " (looked for " + outputsFile + ")";
    }

    private static URI uri(String what, String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw OpsException.usage(what + " must be an http(s) URL such as http://127.0.0.1:4566, was '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw OpsException.usage(what + " is not a URL: '" + value + "' (" + e.getReason() + ")");
        }
    }

    private static String trimSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
