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
 * @param provisioned every resource created in the backend, in the order it was created (a redeploy deletes what
 *                    is no longer there; a deleted stack deletes them in reverse order)
 */
public record StackModel(String stackName, List<Table> tables, List<Queue> queues, List<FunctionSpec> functions,
                         List<EsmSpec> mappings, List<RestApiModel> apis, Map<String, String> outputs,
                         Map<String, Integer> ignored, List<String> warnings, List<Provisioned> provisioned) {

    public StackModel {
        tables = List.copyOf(tables);
        queues = List.copyOf(queues);
        functions = List.copyOf(functions);
        mappings = List.copyOf(mappings);
        apis = List.copyOf(apis);
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        ignored = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ignored));
        warnings = List.copyOf(warnings);
        provisioned = List.copyOf(provisioned);
    }

    /** A model without a list of provisioned resources (tests, and stacks that never delete). */
    public StackModel(String stackName, List<Table> tables, List<Queue> queues, List<FunctionSpec> functions,
                      List<EsmSpec> mappings, List<RestApiModel> apis, Map<String, String> outputs,
                      Map<String, Integer> ignored, List<String> warnings) {
        this(stackName, tables, queues, functions, mappings, apis, outputs, ignored, warnings, List.of());
    }

    /** A table as created: streamArn is null when the table has no stream. */
    public record Table(String logicalId, String name, String arn, String streamArn) {
    }

    /** A queue as created. */
    public record Queue(String logicalId, String name, String arn, String url) {
    }

    /**
     * A resource created in the backend: its logical id, type and physical id (what Ref answers: a table's name, a
     * queue's URL, a secret's ARN, a managed policy's ARN...), and for IAM policies the roles it is attached to.
     */
    public record Provisioned(String logicalId, String type, String physicalId, List<String> attachedTo) {
        public Provisioned {
            attachedTo = List.copyOf(attachedTo);
        }
    }
}
