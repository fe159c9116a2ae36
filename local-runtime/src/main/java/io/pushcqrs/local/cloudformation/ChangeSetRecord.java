package io.pushcqrs.local.cloudformation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A change set: what it would deploy (template, parameters, tags) and the changes it found against the stack, its
 * status (CREATE_COMPLETE, or FAILED with the reason, e.g. no changes) and execution status.
 */
final class ChangeSetRecord {
    final String id;
    final String name;
    final String stackId;
    final String stackName;
    final String type;
    final Instant created = Instant.now();
    final TemplateDocument template;
    final Map<String, String> parameters;
    final Map<String, String> tags;
    final List<String> capabilities;
    final String description;
    final String roleArn;
    /** ImportExistingResources: a table or queue that exists already under the template's name is taken over. */
    boolean importExisting;
    /** The parameter values the template gets (SSM types resolved). */
    Map<String, String> resolvedParameters = Map.of();
    List<ResourceChange> changes = List.of();
    String status = "CREATE_COMPLETE";
    String statusReason;
    String executionStatus = "AVAILABLE";

    ChangeSetRecord(String id, String name, StackRecord stack, String type, TemplateDocument template,
                    Map<String, String> parameters, Map<String, String> tags, List<String> capabilities,
                    String description, String roleArn) {
        this.id = id;
        this.name = name;
        this.stackId = stack.id;
        this.stackName = stack.name;
        this.type = type;
        this.template = template;
        this.parameters = parameters;
        this.tags = tags;
        this.capabilities = capabilities;
        this.description = description;
        this.roleArn = roleArn;
    }

    /**
     * One resource change, as DescribeChangeSet lists it.
     *
     * @param action      Add, Modify, Remove
     * @param logicalId   the logical id
     * @param physicalId  the physical id (Modify, Remove), or null
     * @param type        the resource type
     * @param replacement True, False, Conditional (Modify), or null
     * @param scope       Properties, Metadata, ...
     * @param details     the changed properties
     */
    record ResourceChange(String action, String logicalId, String physicalId, String type, String replacement,
                          List<String> scope, List<Detail> details) {
    }

    /**
     * A changed property: its name, whether it requires recreation (Never, Always, Conditionally), and whether the
     * template changed it (Static, DirectModification) or a resource it refers to (Dynamic, ResourceReference).
     */
    record Detail(String attribute, String name, String requiresRecreation, String evaluation, String changeSource,
                  String causingEntity) {
    }
}
