package io.pushcqrs.local.cloudformation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stack as the CloudFormation API shows it: its id (an ARN with a new UUID per creation, as on AWS), status and
 * reason, the template and parameters last deployed, outputs, resources, events (newest last) and change sets. Guarded
 * by the {@link CloudFormationService}'s lock.
 */
final class StackRecord {
    final String id;
    final String name;
    final Instant created = Instant.now();
    Instant updated;
    Instant deleted;
    String status;
    String statusReason;
    String description;
    /** The deployed template (null while REVIEW_IN_PROGRESS: nothing deployed yet). */
    TemplateDocument template;
    Map<String, String> parameters = new LinkedHashMap<>();
    /** The values the template got (SSM types resolved): DescribeStacks' ResolvedValue. */
    Map<String, String> resolvedParameters = new LinkedHashMap<>();
    /** The cloud assembly folder of a stack deployed at start from cdk.out (its functions' code), else null. */
    java.nio.file.Path assetDir;
    /** Resources whose deletion failed (DELETE_FAILED): deleted again by the next DeleteStack. */
    List<io.pushcqrs.local.resources.StackModel.Provisioned> undeleted = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    List<String> capabilities = new ArrayList<>();
    String roleArn;
    boolean terminationProtection;
    /** Resolved outputs: key -> [value, description, export name or null]. */
    Map<String, String[]> outputs = new LinkedHashMap<>();
    /** Resources by logical id, in template order. */
    final Map<String, ResourceRecord> resources = new LinkedHashMap<>();
    final List<StackEvent> events = new ArrayList<>();
    final Map<String, ChangeSetRecord> changeSets = new LinkedHashMap<>();

    StackRecord(String id, String name) {
        this.id = id;
        this.name = name;
    }

    boolean isDeleted() {
        return "DELETE_COMPLETE".equals(status);
    }

    boolean inProgress() {
        return status.endsWith("_IN_PROGRESS") && !status.equals("REVIEW_IN_PROGRESS");
    }

    /** A resource of the stack as DescribeStackResources and ListStackResources show it. */
    static final class ResourceRecord {
        final String logicalId;
        String type;
        String physicalId;
        String status;
        String statusReason;
        Instant updated = Instant.now();

        ResourceRecord(String logicalId, String type) {
            this.logicalId = logicalId;
            this.type = type;
        }
    }

    /** One event of DescribeStackEvents. */
    record StackEvent(String eventId, String stackId, String stackName, String logicalId, String physicalId,
                      String type, Instant timestamp, String status, String reason) {
    }
}
