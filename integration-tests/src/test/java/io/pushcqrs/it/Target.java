package io.pushcqrs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the scenarios run: an edge endpoint for the AWS APIs, the API's base URL and key, and the names the stack's
 * outputs give. Built from the flat outputs every target writes ({@code .local/outputs.json} of the embedded stack,
 * the file {@code scripts/deploy-localstack.sh} writes for LocalStack): {@code Endpoint}, {@code ApiUrl},
 * {@code ApiKey}, {@code CommandTable}, {@code NotificationTable}, {@code DlqUrl}, {@code CommandStreamArn}...
 *
 * @param name              what the target is, for messages ("embedded stack", "LocalStack 4.14.0"...)
 * @param endpoint          AWS_ENDPOINT_URL of every AWS client (DynamoDB, DynamoDB Streams, SQS)
 * @param apiUrl            the API's base URL without a trailing slash (append {@code /commands})
 * @param apiKey            the value of the x-api-key header
 * @param commandTable      command-records (the write model)
 * @param notificationTable notification-records (the read model)
 * @param dlqUrl            the stream mapping's on-failure queue
 * @param streamArn         command-records' stream
 * @param stackName         the CloudFormation stack
 * @param logDir            the target's log folder, when it has one on this machine (else null)
 */
public record Target(String name, URI endpoint, String apiUrl, String apiKey, String commandTable,
                     String notificationTable, String dlqUrl, String streamArn, String stackName, Path logDir) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Target {
        Objects.requireNonNull(endpoint, "Endpoint");
        Objects.requireNonNull(apiUrl, "ApiUrl");
        Objects.requireNonNull(apiKey, "ApiKey");
        Objects.requireNonNull(commandTable, "CommandTable");
        Objects.requireNonNull(notificationTable, "NotificationTable");
        apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    }

    /** A target from flat outputs; fails, naming what is missing, when a required output is absent. */
    public static Target fromOutputs(String name, Map<String, String> outputs) {
        StringBuilder missing = new StringBuilder();
        for (String key : new String[]{"Endpoint", "ApiUrl", "ApiKey", "CommandTable", "NotificationTable"}) {
            String v = outputs.get(key);
            if (v == null || v.isBlank()) {
                missing.append(missing.length() == 0 ? "" : ", ").append(key);
            }
        }
        if (missing.length() > 0) {
            throw new IllegalArgumentException("the outputs of " + name + " lack " + missing + " (have: " + outputs.keySet() + ")");
        }
        String logDir = outputs.get("LogDir");
        return new Target(name, URI.create(outputs.get("Endpoint")), outputs.get("ApiUrl"), outputs.get("ApiKey"),
                outputs.get("CommandTable"), outputs.get("NotificationTable"), outputs.get("DlqUrl"),
                outputs.get("CommandStreamArn"), outputs.get("StackName"),
                logDir == null || logDir.isBlank() ? null : Path.of(logDir));
    }

    /** Reads a flat outputs file (string values; a nested {@code {"<stack>": {...}}} file of {@code cdk deploy} works too). */
    public static Map<String, String> readOutputs(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            if (root.size() == 1 && root.elements().next().isObject()) {
                root = root.elements().next(); // cdk deploy --outputs-file: {"<stack>": {...}}
            }
            Map<String, String> outputs = new LinkedHashMap<>();
            root.properties().forEach(e -> outputs.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            return outputs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outputs file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name + " (endpoint " + endpoint + ", API " + apiUrl + ", tables " + commandTable + " / " + notificationTable + ")";
    }
}
