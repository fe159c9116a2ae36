package io.pushcqrs.local.resources;

import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;

import java.util.List;
import java.util.Map;

/**
 * The stack as the local runtime runs it: what was provisioned in the AWS backend, and what the Lambda runtime,
 * the stream pollers and the API Gateway need.
 *
 * @param stackName the stack's name (the template file name)
 * @param tables    the DynamoDB tables, as created
 * @param queues    the SQS queues, as created
 * @param functions the Lambda functions
 * @param mappings  the event source mappings (stream ARNs are the backend's real ones)
 * @param apis      the REST APIs
 * @param outputs   the template's Outputs, resolved (execute-api URLs rewritten to the local edge)
 * @param ignored   resource type -> count of resources accepted but not emulated
 * @param warnings  settings the local stack accepts but does not honour, one sentence each
 */
public record StackModel(String stackName, List<Table> tables, List<Queue> queues, List<FunctionSpec> functions,
                         List<EsmSpec> mappings, List<RestApiModel> apis, Map<String, String> outputs,
                         Map<String, Integer> ignored, List<String> warnings) {

    public StackModel {
        tables = List.copyOf(tables);
        queues = List.copyOf(queues);
        functions = List.copyOf(functions);
        mappings = List.copyOf(mappings);
        apis = List.copyOf(apis);
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        ignored = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ignored));
        warnings = List.copyOf(warnings);
    }

    /** A table as created: streamArn is null when the table has no stream. */
    public record Table(String logicalId, String name, String arn, String streamArn) {
    }

    /** A queue as created. */
    public record Queue(String logicalId, String name, String arn, String url) {
    }
}
