package io.pushcqrs.local.stack;

import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.resources.StackModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The start-up summary: endpoints, API URLs and keys, tables, queues, functions, pollers, logs, what is not emulated. */
final class StartupSummary {
    private StartupSummary() {
    }

    static String of(StackModel model, Map<String, String> outputs, String endpoint, Path logs, Path outputsFile) {
        StringBuilder s = new StringBuilder();
        String nl = System.lineSeparator();
        s.append(nl).append("Local stack ").append(model.stackName()).append(" is running (pid ")
                .append(ProcessHandle.current().pid()).append(")").append(nl);
        line(s, "Edge endpoint", outputs.get("Endpoint") + "   (AWS_ENDPOINT_URL for any AWS SDK or the AWS CLI)");
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
            line(s, "Function", f.name() + "   (" + f.handler() + ", " + f.timeoutSeconds() + " s, " + f.memoryMb() + " MB)");
        }
        for (EsmSpec m : model.mappings()) {
            line(s, "Stream poller", m.streamArn().replaceAll(".*:table/([^/]+)/stream/.*", "$1") + " -> " + m.functionName()
                    + (m.enabled() ? "" : "   (disabled)"));
        }
        line(s, "Logs", logs + "   (invocations.log, <function>.log, api.log, esm.log, edge.log, moto.log)");
        line(s, "Outputs", outputsFile.toString());
        if (!model.ignored().isEmpty()) {
            List<String> ignored = new ArrayList<>();
            model.ignored().forEach((type, n) -> ignored.add(type + (n > 1 ? " x" + n : "")));
            line(s, "Not emulated", String.join(", ", ignored));
        }
        for (String w : model.warnings()) {
            line(s, "Warning", w);
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
        line(s, "Deploy", "scripts/deploy.sh --target local   (cdk bootstrap + cdk deploy against the edge)");
        line(s, "Logs", logs + "   (cloudformation.log, invocations.log, <function>.log, api.log, esm.log, edge.log,"
                + " moto.log)");
        s.append("Data lives in moto's memory: it is gone when the stack stops.").append(nl);
        s.append("Stop with Ctrl-C (or scripts/local-down.sh when started with --detach).").append(nl).append(nl);
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format("  %-15s %s%n", label, value));
    }
}
