package io.pushcqrs.local.cloudformation;

import com.sun.net.httpserver.Headers;
import io.pushcqrs.local.edge.EdgeServer;
import io.pushcqrs.local.edge.LambdaApi;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * CloudFormation's API on the edge (the requests signed for {@code cloudformation}), in AWS's query protocol: a form
 * body with {@code Action}, an XML answer, errors as {@code <ErrorResponse>} with AWS's codes. The operations are
 * {@link CloudFormationService}'s; an operation the local stack does not have answers 400 with a message naming it and
 * the list of those it has.
 */
public final class CloudFormationApi implements EdgeServer.SignedService {
    private final Map<String, Function<QueryRequest, Xml>> actions = new LinkedHashMap<>();
    private final Consumer<String> log;

    public CloudFormationApi(CloudFormationService service, Consumer<String> log) {
        this.log = log;
        actions.put("CreateChangeSet", service::createChangeSet);
        actions.put("DescribeChangeSet", service::describeChangeSet);
        actions.put("ExecuteChangeSet", service::executeChangeSet);
        actions.put("DeleteChangeSet", service::deleteChangeSet);
        actions.put("ListChangeSets", service::listChangeSets);
        actions.put("CreateStack", service::createStack);
        actions.put("UpdateStack", service::updateStack);
        actions.put("DeleteStack", service::deleteStack);
        actions.put("DescribeStacks", service::describeStacks);
        actions.put("ListStacks", service::listStacks);
        actions.put("DescribeStackEvents", service::describeStackEvents);
        actions.put("DescribeStackResources", service::describeStackResources);
        actions.put("DescribeStackResource", service::describeStackResource);
        actions.put("ListStackResources", service::listStackResources);
        actions.put("GetTemplate", service::getTemplate);
        actions.put("GetTemplateSummary", service::getTemplateSummary);
        actions.put("ValidateTemplate", service::validateTemplate);
        actions.put("UpdateTerminationProtection", service::updateTerminationProtection);
        actions.put("ListExports", service::listExports);
        actions.put("DescribeEvents", service::describeEvents);
    }

    /** The operations answered. */
    public List<String> actions() {
        return List.copyOf(actions.keySet());
    }

    @Override
    public LambdaApi.Answer handle(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        QueryRequest q = QueryRequest.parse(rawQuery, body);
        String action = q.action();
        try {
            if (action == null) {
                throw new CfnException("MissingAction", 400, "Missing Action");
            }
            Function<QueryRequest, Xml> op = actions.get(action);
            if (op == null) {
                log.accept("CloudFormation: " + action + " is not supported by the local stack");
                throw new CfnException("InvalidAction", 400, "The action " + action + " is not supported by the local"
                        + " stack's CloudFormation; it answers " + String.join(", ", actions.keySet()));
            }
            return answer(200, Xml.response(action, requestId, op.apply(q)), requestId);
        } catch (CfnException e) {
            return answer(e.status(), Xml.error(e.status() >= 500 ? "Receiver" : "Sender", e.code(), e.getMessage(),
                    requestId), requestId);
        } catch (RuntimeException e) {
            log.accept("ERROR CloudFormation " + action + ": " + e);
            return answer(500, Xml.error("Receiver", "InternalFailure", "the local stack's CloudFormation failed: " + e,
                    requestId), requestId);
        }
    }

    private static LambdaApi.Answer answer(int status, String xml, String requestId) {
        return new LambdaApi.Answer(status, Map.of("Content-Type", "text/xml", "x-amzn-RequestId", requestId),
                xml.getBytes(StandardCharsets.UTF_8));
    }
}
