package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.dynamodb.DynamoDbInputRules;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.resources.StackModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The start-up summary: endpoints, API URLs and keys, tables, queues, functions, pollers, logs, what is not emulated. */
final class StartupSummary {
    private StartupSummary() {
    }

    /**
     * What the running parts add to the summary.
     *
     * @param javaOf      function -> the Java that runs it
     * @param codeProblem function -> what its code would meet on AWS with its runtime (init error, newer classes)
     * @param concurrency the Lambda concurrency limits, one phrase
     * @param pollerState mapping uuid -> its state now
     */
    record Details(Function<String, Optional<String>> javaOf, Function<String, Optional<String>> codeProblem,
                   String concurrency, Function<String, String> pollerState) {
        static final Details NONE = new Details(f -> Optional.empty(), f -> Optional.empty(), null, m -> null);
    }

    static String of(StackModel model, Map<String, String> outputs, String endpoint, Path logs, Path outputsFile) {
        return of(model, outputs, endpoint, logs, outputsFile, Details.NONE, Set.of(), null, List.of());
    }

    /**
     * @param iam         the IAM line (mode, what is evaluated), or null for none
     * @param iamWarnings what IAM accepts and does not evaluate, one sentence each
     */
    static String of(StackModel model, Map<String, String> outputs, String endpoint, Path logs, Path outputsFile,
                     Details details, Set<String> resourceTypes, String iam, List<String> iamWarnings) {
        StringBuilder s = new StringBuilder();
        String nl = System.lineSeparator();
        s.append(nl).append("Local stack ").append(model.stackName()).append(" is running (pid ")
                .append(ProcessHandle.current().pid()).append(")").append(nl);
        line(s, "Edge endpoint", outputs.get("Endpoint") + "   (AWS_ENDPOINT_URL for any AWS SDK or the AWS CLI)");
        line(s, "Console", console(endpoint));
        for (RestApiModel a : model.apis()) {
            for (RestApiModel.Stage stage : a.stages().values()) {
                line(s, "API", endpoint + "/restapis/" + a.id() + "/" + stage.name() + "/_user_request_"
                        + "   (" + a.name() + ", stage " + stage.name() + ")");
                line(s, "", endpoint + "/" + stage.name() + "   (the same, short form)");
                for (RestApiModel.ApiKey k : stage.apiKeys()) {
                    line(s, "API key", k.value() + "   (header x-api-key; key " + k.name() + ")");
                }
            }
        }
        for (StackModel.Table t : model.tables()) {
            line(s, "Table", t.name() + (t.streamArn() == null ? "" : "   stream " + t.streamArn()));
        }
        for (StackModel.Queue q : model.queues()) {
            line(s, "Queue", q.url());
        }
        for (FunctionSpec f : model.functions()) {
            line(s, "Function", f.name() + "   (" + f.handler() + ", " + f.timeoutSeconds() + " s, " + f.memoryMb() + " MB, "
                    + f.runtime() + details.javaOf().apply(f.name()).map(j -> " on " + j).orElse("")
                    + (f.reservedConcurrency() == FunctionSpec.UNRESERVED ? "" : ", reserved concurrency " + f.reservedConcurrency())
                    + ")");
        }
        if (details.concurrency() != null && !model.functions().isEmpty()) {
            line(s, "", "Lambda " + details.concurrency());
        }
        for (EsmSpec m : model.mappings()) {
            String state = details.pollerState().apply(m.uuid());
            line(s, "Stream poller", DynamoDbInputRules.tableName(m.streamArn()) + " -> " + m.functionName()
                    + (m.enabled() ? "" : "   (disabled)")
                    + (m.parallelizationFactor() > 1 ? "   (" + m.parallelizationFactor() + " concurrent batches per shard)" : "")
                    + (state == null ? "" : "   " + state));
        }
        if (iam != null) {
            line(s, "IAM", iam);
        }
        line(s, "Logs", logs + "   (invocations.log, <function>.log, api.log, esm.log, edge.log, moto.log"
                + (iam != null ? ", iam.log" : "") + ")");
        line(s, "Outputs", outputsFile.toString());
        if (!model.ignored().isEmpty()) {
            List<String> ignored = new ArrayList<>();
            model.ignored().forEach((type, n) -> ignored.add(type + (n > 1 ? " x" + n : "")));
            line(s, "Not emulated", String.join(", ", ignored));
        }
        for (String w : model.warnings()) {
            line(s, "Warning", w);
        }
        for (FunctionSpec f : model.functions()) {
            details.codeProblem().apply(f.name()).ifPresent(p -> line(s, "Warning", "function " + f.name() + ": " + p));
        }
        for (String w : iamWarnings) {
            line(s, "Warning", "IAM: " + w);
        }
        if (!resourceTypes.isEmpty()) {
            line(s, "Emulation", "per resource type: enforced as AWS does | no check | not emulated (every row, with the"
                    + " LocalStack free edition's: docs/local-runtime.md, \"What is emulated\")");
            Emulation.summaryLines(Emulation.groupsFor(resourceTypes)).forEach((group, text) ->
                    s.append(String.format("    %-31s %s%n", group, text)));
        }
        s.append("Data lives in moto's memory: it is gone when the stack stops.").append(nl);
        s.append("Stop with Ctrl-C (or scripts/local-down.sh when started with --detach).").append(nl).append(nl);
        return s.toString();
    }

    /** The summary of a stack started empty ({@code --empty}): where to deploy to. */
    static String empty(String endpoint, Path logs) {
        StringBuilder s = new StringBuilder();
        String nl = System.lineSeparator();
        s.append(nl).append("Local stack is running, empty (pid ").append(ProcessHandle.current().pid()).append(")").append(nl);
        line(s, "Edge endpoint", endpoint + "   (AWS_ENDPOINT_URL for any AWS SDK, the AWS CLI and the CDK CLI)");
        line(s, "Console", console(endpoint));
        line(s, "Deploy", "scripts/deploy.sh --target local   (cdk bootstrap + cdk deploy against the edge)");
        line(s, "Logs", logs + "   (cloudformation.log, invocations.log, <function>.log, api.log, esm.log, edge.log,"
                + " moto.log)");
        s.append("Data lives in moto's memory: it is gone when the stack stops.").append(nl);
        s.append("Stop with Ctrl-C (or scripts/local-down.sh when started with --detach).").append(nl).append(nl);
        return s.toString();
    }

    /** The console's line: its URL and what it is. */
    static String console(String endpoint) {
        return endpoint + io.pushcqrs.local.console.ConsoleHttp.PATH + "/   (the stack at a glance in a browser: read side, stream"
                + " mapping, DLQ, functions, tables, API; this machine only)";
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format("  %-15s %s%n", label, value));
    }
}
