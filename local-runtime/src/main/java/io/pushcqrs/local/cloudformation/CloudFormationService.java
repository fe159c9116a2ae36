package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.stack.StackInstaller;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack's CloudFormation: stacks, change sets and their execution, from the stack's own template
 * interpreter ({@link StackInstaller}), never moto's CloudFormation. What the CDK CLI calls for {@code cdk bootstrap},
 * {@code cdk deploy}, {@code cdk diff} and {@code cdk destroy} is here; {@link CloudFormationApi} puts it on the edge.
 * <p>
 * A change set is computed when it is created ({@link ChangePlanner}); executing it, or deleting a stack, runs on one
 * deployment thread ({@link StackOperation}), one operation at a time, with AWS's stack states and one event per
 * resource. ExecuteChangeSet and DeleteStack answer when the operation is done, or after {@link #SYNC_WAIT} at the
 * latest (the operation then goes on, and DescribeStacks shows its progress), so a client that polls (the CDK CLI
 * waits 5 s between polls) sees the result at its first look.
 */
public final class CloudFormationService implements AutoCloseable {
    /** How long ExecuteChangeSet and DeleteStack wait for their operation before they answer. */
    static final Duration SYNC_WAIT = Duration.ofSeconds(60);
    static final String ARN_PREFIX = "arn:" + Intrinsics.PARTITION + ":cloudformation:" + Intrinsics.REGION + ":"
            + Intrinsics.ACCOUNT_ID + ":";
    private static final Pattern VIRTUAL_HOSTED = Pattern.compile("^([a-z0-9][a-z0-9.-]*)\\.s3[.-]([a-z0-9-]+\\.)?amazonaws\\.com$");

    private final StackInstaller installer;
    private final DeploymentSources sources;
    private final String publicEndpoint;
    private final Consumer<String> log;
    private final Map<String, StackRecord> stacks = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cloudformation");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param installer      installs templates into the running stack
     * @param sources        templates in S3 and SSM parameters
     * @param publicEndpoint the edge endpoint (queue and API URLs)
     * @param log            one line per operation and failure
     */
    public CloudFormationService(StackInstaller installer, DeploymentSources sources, String publicEndpoint,
                                 Consumer<String> log) {
        this.installer = installer;
        this.sources = sources;
        this.publicEndpoint = publicEndpoint;
        this.log = log;
    }

    // ------------------------------------------------------------------ the stack a start deploys from cdk.out

    /**
     * Deploys a template of a cloud assembly at start ({@code --cdk-out}): the stack is created as a change set would
     * create it (events, resources, outputs), so that DescribeStacks shows it and a later {@code cdk deploy} updates it.
     * Throws the failure (after the rollback) when it cannot be created.
     */
    public StackModel deployAtStart(Template template, String body) {
        ChangeSetRecord cs;
        synchronized (this) {
            StackRecord stack = newStack(template.stackName());
            cs = new ChangeSetRecord(changeSetArn("local-stack-start"), "local-stack-start", stack, "CREATE",
                    TemplateDocument.parse(body), Map.of(), Map.of(), List.of(), "the local stack's start from cdk.out",
                    null);
            cs.changes = ChangePlanner.plan(stack.name, null, Map.of(), cs.template.root(), Map.of(), Map.of());
            cs.resolvedParameters = Map.of();
            cs.importExisting = true; // moto starts empty; a backend that kept them (tests) keeps its tables
            stack.changeSets.put(cs.id, cs);
        }
        StackOperation op = new StackOperation(this, installer, cs, template.assetDir());
        synchronized (this) {
            op.begin();
        }
        op.run();
        if (op.failure() != null) {
            throw op.failure();
        }
        return installer.model(template.stackName());
    }

    // ------------------------------------------------------------------ change sets

    synchronized Xml createChangeSet(QueryRequest q) {
        String stackName = q.required("StackName");
        String name = q.required("ChangeSetName");
        if (!name.matches("[a-zA-Z][-a-zA-Z0-9]*") || name.length() > 128) {
            throw CfnException.validation("1 validation error detected: Value '" + name + "' at 'changeSetName' failed"
                    + " to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        }
        String type = q.get("ChangeSetType", "UPDATE");
        StackRecord stack = live(stackName);
        if (type.equals("CREATE")) {
            if (stack != null && !stack.status.equals("REVIEW_IN_PROGRESS")) {
                throw new CfnException("AlreadyExistsException", 400, "Stack [" + stackName + "] already exists and"
                        + " cannot be created again with the changeSet [" + name + "].");
            }
        } else if (type.equals("UPDATE")) {
            if (stack == null) {
                throw CfnException.stackNotFound(stackName);
            }
            if (stack.status.equals("REVIEW_IN_PROGRESS") || stack.status.equals("ROLLBACK_COMPLETE")
                    || stack.status.equals("ROLLBACK_FAILED") || stack.status.equals("DELETE_FAILED")) {
                throw CfnException.validation("Stack:" + stack.id + " is in " + stack.status
                        + " state and can not be updated.");
            }
        } else {
            throw CfnException.validation("ChangeSetType " + type + " is not supported by the local stack (CREATE, UPDATE)");
        }
        if (stack != null && stack.inProgress()) {
            throw CfnException.validation("Stack:" + stack.id + " is in " + stack.status + " state and can not be updated.");
        }
        if (stack != null) {
            for (ChangeSetRecord other : stack.changeSets.values()) {
                if (other.name.equals(name)) {
                    throw new CfnException("AlreadyExistsException", 400, "ChangeSet " + name + " already exists");
                }
            }
        }
        TemplateDocument doc = templateOf(q, stack);
        if (doc.root().has("Transform")) {
            throw CfnException.validation("the local stack does not process Transform (" + doc.root().path("Transform")
                    + "): SAM and macros are not expanded; deploy a template without them");
        }
        Map<String, String> previous = stack == null ? Map.of() : stack.parameters;
        ParameterValues params = ParameterValues.of(doc.root().path("Parameters"), q.structs("Parameters"), previous,
                sources.parameter());
        new TemplateRules(doc.root().path("Parameters"), params.resolved()).check(doc.root().path("Rules"));
        List<String> capabilities = q.list("Capabilities");
        checkCapabilities(doc.root(), capabilities);
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> t : q.structs("Tags")) {
            tags.put(t.get("Key"), t.getOrDefault("Value", ""));
        }
        if (stack == null) {
            stack = newStack(stackName); // a new stack appears (REVIEW_IN_PROGRESS) once its change set is valid
        }
        ChangeSetRecord cs = new ChangeSetRecord(changeSetArn(name), name, stack, type, doc, params.declared(), tags,
                capabilities, q.get("Description"), q.get("RoleARN"));
        cs.resolvedParameters = params.resolved();
        cs.importExisting = q.bool("ImportExistingResources");
        try {
            JsonNode before = stack.template == null ? null : stack.template.root();
            cs.changes = ChangePlanner.plan(stack.name, before, stack.resolvedParameters, doc.root(), params.resolved(),
                    physicalIds(stack));
            boolean same = before != null && before.equals(doc.root()) && params.declared().equals(stack.parameters)
                    && tags.equals(stack.tags);
            if (cs.changes.isEmpty() && same) {
                cs.status = "FAILED";
                cs.statusReason = "The submitted information didn't contain changes. Submit different information to"
                        + " create a change set.";
                cs.executionStatus = "UNAVAILABLE";
            }
        } catch (TemplateException e) {
            cs.status = "FAILED";
            cs.statusReason = e.getMessage();
            cs.executionStatus = "UNAVAILABLE";
        }
        stack.changeSets.put(cs.id, cs);
        log.accept("CloudFormation: change set " + name + " of " + stack.name + " (" + type + "): " + cs.status
                + (cs.statusReason == null ? ", " + cs.changes.size() + " change(s)" : " (" + cs.statusReason + ")"));
        return new Xml().element("Id", cs.id).element("StackId", stack.id);
    }

    synchronized Xml describeChangeSet(QueryRequest q) {
        ChangeSetRecord cs = changeSet(q.get("StackName"), q.required("ChangeSetName"));
        Xml x = new Xml().element("ChangeSetName", cs.name).element("ChangeSetId", cs.id).element("StackId", cs.stackId)
                .element("StackName", cs.stackName).element("Description", cs.description);
        x.open("Parameters");
        cs.parameters.forEach((k, v) -> x.open("member").element("ParameterKey", k).element("ParameterValue", v)
                .close("member"));
        x.close("Parameters");
        x.element("CreationTime", cs.created).element("ExecutionStatus", cs.executionStatus).element("Status", cs.status)
                .element("StatusReason", cs.statusReason).strings("NotificationARNs", List.of())
                .strings("Capabilities", cs.capabilities);
        tags(x, cs.tags);
        x.open("Changes");
        for (ChangeSetRecord.ResourceChange c : cs.changes) {
            x.open("member").element("Type", "Resource").open("ResourceChange").element("Action", c.action())
                    .element("LogicalResourceId", c.logicalId()).element("PhysicalResourceId", c.physicalId())
                    .element("ResourceType", c.type()).element("Replacement", c.replacement())
                    .strings("Scope", c.scope());
            x.open("Details");
            for (ChangeSetRecord.Detail d : c.details()) {
                x.open("member").open("Target").element("Attribute", d.attribute()).element("Name", d.name())
                        .element("RequiresRecreation", d.requiresRecreation()).close("Target")
                        .element("Evaluation", d.evaluation()).element("ChangeSource", d.changeSource())
                        .element("CausingEntity", d.causingEntity()).close("member");
            }
            x.close("Details").close("ResourceChange").close("member");
        }
        x.close("Changes").element("IncludeNestedStacks", "false");
        return x;
    }

    synchronized Xml listChangeSets(QueryRequest q) {
        StackRecord stack = find(q.required("StackName"));
        Xml x = new Xml().open("Summaries");
        for (ChangeSetRecord cs : stack.changeSets.values()) {
            x.open("member").element("StackId", cs.stackId).element("StackName", cs.stackName)
                    .element("ChangeSetId", cs.id).element("ChangeSetName", cs.name)
                    .element("ExecutionStatus", cs.executionStatus).element("Status", cs.status)
                    .element("StatusReason", cs.statusReason).element("CreationTime", cs.created)
                    .element("Description", cs.description).close("member");
        }
        return x.close("Summaries");
    }

    /** Deletes a change set; one that does not exist (any more) is no error, as on AWS. */
    synchronized Xml deleteChangeSet(QueryRequest q) {
        ChangeSetRecord cs;
        try {
            cs = changeSet(q.get("StackName"), q.required("ChangeSetName"));
        } catch (CfnException e) {
            if (e.code().equals("ChangeSetNotFound")) {
                return null;
            }
            throw e;
        }
        if (cs.executionStatus.equals("EXECUTE_IN_PROGRESS")) {
            throw new CfnException("InvalidChangeSetStatus", 400, "Cannot delete ChangeSet in status EXECUTE_IN_PROGRESS");
        }
        stacks.get(cs.stackId).changeSets.remove(cs.id);
        return null;
    }

    /** Executes the change set; answers when done, or after {@link #SYNC_WAIT}. */
    Xml executeChangeSet(QueryRequest q) {
        StackOperation op;
        synchronized (this) {
            ChangeSetRecord cs = changeSet(q.get("StackName"), q.required("ChangeSetName"));
            StackRecord stack = stacks.get(cs.stackId);
            if (!cs.status.equals("CREATE_COMPLETE") || !cs.executionStatus.equals("AVAILABLE")) {
                throw new CfnException("InvalidChangeSetStatus", 400, "ChangeSet [" + cs.id + "] cannot be executed in"
                        + " its current status of [" + cs.status + "]");
            }
            if (stack.inProgress()) {
                throw CfnException.validation("Stack:" + stack.id + " is in " + stack.status
                        + " state and can not be updated.");
            }
            cs.executionStatus = "EXECUTE_IN_PROGRESS";
            op = new StackOperation(this, installer, cs, null);
            op.begin();
        }
        await(executor.submit(op));
        return null;
    }

    // ------------------------------------------------------------------ stacks

    /** CreateStack: a change set of type CREATE, executed at once (the CLI's {@code --method=direct}). */
    Xml createStack(QueryRequest q) {
        String stackName = q.required("StackName");
        synchronized (this) {
            if (live(stackName) != null) {
                throw new CfnException("AlreadyExistsException", 400, "Stack [" + stackName + "] already exists");
            }
        }
        String csName = "direct-" + UUID.randomUUID();
        Map<String, String> params = new LinkedHashMap<>(rawParams(q));
        params.put("ChangeSetName", csName);
        params.put("ChangeSetType", "CREATE");
        createChangeSet(new QueryRequest(params));
        executeChangeSet(new QueryRequest(Map.of("StackName", stackName, "ChangeSetName", csName)));
        synchronized (this) {
            return new Xml().element("StackId", live(stackName).id);
        }
    }

    /** UpdateStack: a change set of type UPDATE, executed at once; no changes is AWS's "No updates are to be performed.". */
    Xml updateStack(QueryRequest q) {
        String stackName = q.required("StackName");
        String csName = "direct-" + UUID.randomUUID();
        Map<String, String> params = new LinkedHashMap<>(rawParams(q));
        params.put("ChangeSetName", csName);
        params.put("ChangeSetType", "UPDATE");
        createChangeSet(new QueryRequest(params));
        String stackId;
        synchronized (this) {
            StackRecord stack = live(stackName);
            stackId = stack.id;
            ChangeSetRecord cs = stack.changeSets.values().stream().filter(c -> c.name.equals(csName)).findFirst().orElseThrow();
            if (cs.status.equals("FAILED")) {
                stack.changeSets.remove(cs.id);
                throw CfnException.validation(cs.statusReason.startsWith("The submitted information didn't contain changes")
                        ? "No updates are to be performed." : cs.statusReason);
            }
        }
        executeChangeSet(new QueryRequest(Map.of("StackName", stackName, "ChangeSetName", csName)));
        return new Xml().element("StackId", stackId);
    }

    /** Deletes a stack (its resources in reverse dependency order); answers when done, or after {@link #SYNC_WAIT}. */
    Xml deleteStack(QueryRequest q) {
        StackOperation op;
        synchronized (this) {
            String nameOrId = q.required("StackName");
            StackRecord stack = nameOrId.startsWith(ARN_PREFIX) ? stacks.get(nameOrId) : live(nameOrId);
            if (stack == null || stack.isDeleted()) {
                return null; // AWS answers success for a stack that does not exist
            }
            if (stack.terminationProtection) {
                throw CfnException.validation("Stack [" + stack.name + "] cannot be deleted while TerminationProtection is"
                        + " enabled");
            }
            if (stack.inProgress()) {
                throw CfnException.validation("Stack [" + stack.name + "] cannot be deleted while in status " + stack.status);
            }
            List<String> retain = q.list("RetainResources");
            if (!retain.isEmpty() && !stack.status.equals("DELETE_FAILED")) {
                throw CfnException.validation("Invalid operation on stack [" + stack.id + "]. RetainResources can only be"
                        + " specified when the stack is in the DELETE_FAILED state");
            }
            op = StackOperation.delete(this, installer, stack, Set.copyOf(retain));
            op.begin();
        }
        await(executor.submit(op));
        return null;
    }

    synchronized Xml describeStacks(QueryRequest q) {
        String nameOrId = q.get("StackName");
        List<StackRecord> list = new ArrayList<>();
        if (nameOrId != null && !nameOrId.isEmpty()) {
            list.add(find(nameOrId));
        } else {
            stacks.values().stream().filter(s -> !s.isDeleted()).forEach(list::add);
        }
        Xml x = new Xml().open("Stacks");
        for (StackRecord s : list) {
            x.open("member").element("StackId", s.id).element("StackName", s.name).element("Description", s.description);
            x.open("Parameters");
            s.parameters.forEach((k, v) -> {
                x.open("member").element("ParameterKey", k).element("ParameterValue", v);
                String resolved = s.resolvedParameters.get(k);
                if (resolved != null && !resolved.equals(v)) {
                    x.element("ResolvedValue", resolved);
                }
                x.close("member");
            });
            x.close("Parameters");
            x.element("CreationTime", s.created).element("DeletionTime", s.deleted).element("LastUpdatedTime", s.updated)
                    .element("StackStatus", s.status).element("StackStatusReason", s.statusReason)
                    .element("DisableRollback", "false").strings("NotificationARNs", List.of())
                    .strings("Capabilities", s.capabilities);
            x.open("Outputs");
            s.outputs.forEach((k, v) -> x.open("member").element("OutputKey", k).element("OutputValue", v[0])
                    .element("Description", v[1]).element("ExportName", v[2]).close("member"));
            x.close("Outputs").element("RoleARN", s.roleArn);
            tags(x, s.tags);
            x.element("EnableTerminationProtection", String.valueOf(s.terminationProtection))
                    .open("DriftInformation").element("StackDriftStatus", "NOT_CHECKED").close("DriftInformation")
                    .close("member");
        }
        return x.close("Stacks");
    }

    synchronized Xml listStacks(QueryRequest q) {
        List<String> filter = q.list("StackStatusFilter");
        Xml x = new Xml().open("StackSummaries");
        for (StackRecord s : stacks.values()) {
            if (!filter.isEmpty() && !filter.contains(s.status)) {
                continue;
            }
            x.open("member").element("StackId", s.id).element("StackName", s.name)
                    .element("TemplateDescription", s.description).element("CreationTime", s.created)
                    .element("LastUpdatedTime", s.updated).element("DeletionTime", s.deleted)
                    .element("StackStatus", s.status).element("StackStatusReason", s.statusReason)
                    .open("DriftInformation").element("StackDriftStatus", "NOT_CHECKED").close("DriftInformation")
                    .close("member");
        }
        return x.close("StackSummaries");
    }

    synchronized Xml describeStackEvents(QueryRequest q) {
        StackRecord s = find(q.required("StackName"));
        Xml x = new Xml().open("StackEvents");
        for (int i = s.events.size() - 1; i >= 0; i--) {
            StackRecord.StackEvent e = s.events.get(i);
            x.open("member").element("StackId", e.stackId()).element("EventId", e.eventId())
                    .element("StackName", e.stackName()).element("LogicalResourceId", e.logicalId())
                    .element("PhysicalResourceId", e.physicalId()).element("ResourceType", e.type())
                    .element("Timestamp", e.timestamp()).element("ResourceStatus", e.status())
                    .element("ResourceStatusReason", e.reason()).close("member");
        }
        return x.close("StackEvents");
    }

    synchronized Xml describeStackResources(QueryRequest q) {
        String logical = q.get("LogicalResourceId");
        String physical = q.get("PhysicalResourceId");
        StackRecord s = q.get("StackName") != null ? find(q.get("StackName")) : byPhysicalId(physical);
        Xml x = new Xml().open("StackResources");
        for (StackRecord.ResourceRecord r : s.resources.values()) {
            if ((logical != null && !logical.equals(r.logicalId)) || (physical != null && !physical.equals(r.physicalId))) {
                continue;
            }
            x.open("member").element("StackName", s.name).element("StackId", s.id)
                    .element("LogicalResourceId", r.logicalId).element("PhysicalResourceId", r.physicalId)
                    .element("ResourceType", r.type).element("Timestamp", r.updated).element("ResourceStatus", r.status)
                    .element("ResourceStatusReason", r.statusReason)
                    .open("DriftInformation").element("StackResourceDriftStatus", "NOT_CHECKED").close("DriftInformation")
                    .close("member");
        }
        return x.close("StackResources");
    }

    synchronized Xml describeStackResource(QueryRequest q) {
        StackRecord s = find(q.required("StackName"));
        String logical = q.required("LogicalResourceId");
        StackRecord.ResourceRecord r = s.resources.get(logical);
        if (r == null) {
            throw CfnException.validation("Resource " + logical + " does not exist for stack " + s.name);
        }
        JsonNode metadata = s.template == null ? null : s.template.root().path("Resources").path(logical).path("Metadata");
        return new Xml().open("StackResourceDetail").element("StackName", s.name).element("StackId", s.id)
                .element("LogicalResourceId", r.logicalId).element("PhysicalResourceId", r.physicalId)
                .element("ResourceType", r.type).element("LastUpdatedTimestamp", r.updated)
                .element("ResourceStatus", r.status).element("ResourceStatusReason", r.statusReason)
                .element("Metadata", metadata == null || metadata.isMissingNode() ? null : metadata.toString())
                .open("DriftInformation").element("StackResourceDriftStatus", "NOT_CHECKED").close("DriftInformation")
                .close("StackResourceDetail");
    }

    synchronized Xml listStackResources(QueryRequest q) {
        StackRecord s = find(q.required("StackName"));
        if (s.isDeleted()) {
            throw CfnException.stackNotFound(q.get("StackName"));
        }
        Xml x = new Xml().open("StackResourceSummaries");
        for (StackRecord.ResourceRecord r : s.resources.values()) {
            x.open("member").element("LogicalResourceId", r.logicalId).element("PhysicalResourceId", r.physicalId)
                    .element("ResourceType", r.type).element("LastUpdatedTimestamp", r.updated)
                    .element("ResourceStatus", r.status).element("ResourceStatusReason", r.statusReason)
                    .open("DriftInformation").element("StackResourceDriftStatus", "NOT_CHECKED").close("DriftInformation")
                    .close("member");
        }
        return x.close("StackResourceSummaries");
    }

    synchronized Xml getTemplate(QueryRequest q) {
        TemplateDocument doc;
        String changeSet = q.get("ChangeSetName");
        if (changeSet != null && !changeSet.isEmpty()) {
            doc = changeSet(q.get("StackName"), changeSet).template;
        } else {
            StackRecord s = find(q.required("StackName"));
            doc = s.template;
            if (doc == null) {
                // a REVIEW_IN_PROGRESS stack: the template of its change set
                doc = s.changeSets.values().stream().reduce((a, b) -> b).map(c -> c.template).orElse(null);
            }
        }
        return new Xml().element("TemplateBody", doc == null ? "{}" : doc.text())
                .strings("StagesAvailable", List.of("Original", "Processed"));
    }

    synchronized Xml getTemplateSummary(QueryRequest q) {
        TemplateDocument doc;
        if (q.get("StackName") != null) {
            StackRecord s = find(q.get("StackName"));
            doc = s.template;
            if (doc == null) {
                throw CfnException.validation("Stack " + s.name + " has no template yet");
            }
        } else {
            doc = templateOf(q, null);
        }
        return summary(doc, true);
    }

    synchronized Xml validateTemplate(QueryRequest q) {
        return summary(templateOf(q, null), false);
    }

    synchronized Xml updateTerminationProtection(QueryRequest q) {
        StackRecord s = find(q.required("StackName"));
        s.terminationProtection = q.bool("EnableTerminationProtection");
        return new Xml().element("StackId", s.id);
    }

    synchronized Xml listExports(QueryRequest q) {
        Xml x = new Xml().open("Exports");
        for (StackRecord s : stacks.values()) {
            if (s.isDeleted()) {
                continue;
            }
            s.outputs.forEach((k, v) -> {
                if (v[2] != null) {
                    x.open("member").element("ExportingStackId", s.id).element("Name", v[2]).element("Value", v[0])
                            .close("member");
                }
            });
        }
        return x.close("Exports");
    }

    /** DescribeEvents (the newer operation-events API the CLI asks after a failed change set): none recorded. */
    synchronized Xml describeEvents(QueryRequest q) {
        return new Xml().open("OperationEvents").close("OperationEvents");
    }

    // ------------------------------------------------------------------ for StackOperation and the start-up summary

    /** The stacks that exist now (not deleted), in creation order. */
    public synchronized List<String> stackNames() {
        return stacks.values().stream().filter(s -> !s.isDeleted()).map(s -> s.name + " " + s.status).toList();
    }

    synchronized StackRecord stack(String id) {
        return stacks.get(id);
    }

    String publicEndpoint() {
        return publicEndpoint;
    }

    void log(String line) {
        log.accept(line);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ helpers

    private StackRecord newStack(String name) {
        if (!name.matches("[a-zA-Z][-a-zA-Z0-9]*") || name.length() > 128) {
            throw CfnException.validation("1 validation error detected: Value '" + name + "' at 'stackName' failed to"
                    + " satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        }
        StackRecord s = new StackRecord(ARN_PREFIX + "stack/" + name + "/" + UUID.randomUUID(), name);
        s.status = "REVIEW_IN_PROGRESS";
        stacks.put(s.id, s);
        s.events.add(new StackRecord.StackEvent(UUID.randomUUID().toString(), s.id, s.name, s.name, s.id,
                "AWS::CloudFormation::Stack", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), "REVIEW_IN_PROGRESS",
                "User Initiated"));
        return s;
    }

    private static String changeSetArn(String name) {
        return ARN_PREFIX + "changeSet/" + name + "/" + UUID.randomUUID();
    }

    /** The stack a name (live) or id (also deleted) designates; AWS's ValidationError when there is none. */
    private StackRecord find(String nameOrId) {
        StackRecord s = nameOrId.startsWith(ARN_PREFIX) ? stacks.get(nameOrId) : live(nameOrId);
        if (s == null) {
            throw CfnException.stackNotFound(nameOrId);
        }
        return s;
    }

    private StackRecord live(String name) {
        for (StackRecord s : stacks.values()) {
            if (s.name.equals(name) && !s.isDeleted()) {
                return s;
            }
        }
        return null;
    }

    private StackRecord byPhysicalId(String physical) {
        if (physical == null) {
            throw CfnException.validation("StackName or PhysicalResourceId must be given");
        }
        for (StackRecord s : stacks.values()) {
            for (StackRecord.ResourceRecord r : s.resources.values()) {
                if (physical.equals(r.physicalId) && !s.isDeleted()) {
                    return s;
                }
            }
        }
        throw CfnException.validation("Stack for " + physical + " does not exist");
    }

    private ChangeSetRecord changeSet(String stackNameOrId, String nameOrArn) {
        if (nameOrArn.startsWith(ARN_PREFIX)) {
            for (StackRecord s : stacks.values()) {
                ChangeSetRecord cs = s.changeSets.get(nameOrArn);
                if (cs != null) {
                    return cs;
                }
            }
            throw CfnException.changeSetNotFound(nameOrArn);
        }
        if (stackNameOrId == null || stackNameOrId.isEmpty()) {
            throw CfnException.validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
        }
        StackRecord s = stackNameOrId.startsWith(ARN_PREFIX) ? stacks.get(stackNameOrId) : live(stackNameOrId);
        if (s != null) {
            for (ChangeSetRecord cs : s.changeSets.values()) {
                if (cs.name.equals(nameOrArn)) {
                    return cs;
                }
            }
        }
        throw CfnException.changeSetNotFound(nameOrArn);
    }

    /** TemplateBody, TemplateURL (an object of moto's S3) or UsePreviousTemplate. */
    private TemplateDocument templateOf(QueryRequest q, StackRecord stack) {
        String body = q.get("TemplateBody");
        String url = q.get("TemplateURL");
        if (body != null && url != null) {
            throw CfnException.validation("Specify exactly one of TemplateBody and TemplateURL");
        }
        if (body != null) {
            if (body.getBytes(StandardCharsets.UTF_8).length > TemplateDocument.MAX_BODY_BYTES) {
                throw CfnException.validation("1 validation error detected: Value at 'templateBody' failed to satisfy"
                        + " constraint: Member must have length less than or equal to " + TemplateDocument.MAX_BODY_BYTES);
            }
            return TemplateDocument.parse(body);
        }
        if (url != null) {
            String[] bucketKey = s3Location(url);
            byte[] bytes;
            try {
                bytes = sources.object().apply(bucketKey[0], bucketKey[1]);
            } catch (TemplateException e) {
                throw CfnException.validation("S3 error: " + e.getMessage());
            }
            if (bytes.length > TemplateDocument.MAX_URL_BYTES) {
                throw CfnException.validation("Template may not exceed " + TemplateDocument.MAX_URL_BYTES + " bytes in size.");
            }
            return TemplateDocument.parse(new String(bytes, StandardCharsets.UTF_8));
        }
        if (q.bool("UsePreviousTemplate") && stack != null && stack.template != null) {
            return stack.template;
        }
        throw CfnException.validation("Either Template URL or Template Body must be specified.");
    }

    /**
     * The bucket and key of a TemplateURL: path style ({@code https://s3.us-east-1.amazonaws.com/bucket/key}, or the
     * endpoint the CLI was given, {@code http://127.0.0.1:4566/bucket/key}) or virtual-hosted style
     * ({@code https://bucket.s3.us-east-1.amazonaws.com/key}).
     */
    static String[] s3Location(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw CfnException.validation("TemplateURL must be a supported URL.");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http")) || u.getHost() == null) {
            throw CfnException.validation("TemplateURL must be a supported URL.");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        Matcher m = VIRTUAL_HOSTED.matcher(u.getHost());
        if (m.matches() && !m.group(1).equals("s3")) {
            return new String[]{m.group(1), path.startsWith("/") ? path.substring(1) : path};
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        if (slash <= 0 || slash == p.length() - 1) {
            throw CfnException.validation("TemplateURL must be a supported URL.");
        }
        return new String[]{p.substring(0, slash), p.substring(slash + 1)};
    }

    /** IAM resources need CAPABILITY_IAM; named ones CAPABILITY_NAMED_IAM (InsufficientCapabilitiesException). */
    private static void checkCapabilities(JsonNode root, List<String> capabilities) {
        boolean iam = false;
        boolean named = false;
        for (Map.Entry<String, JsonNode> e : root.path("Resources").properties()) {
            String type = e.getValue().path("Type").asText();
            if (type.startsWith("AWS::IAM::")) {
                iam = true;
                JsonNode p = e.getValue().path("Properties");
                named |= p.has("RoleName") || p.has("ManagedPolicyName") || p.has("UserName") || p.has("GroupName");
            }
        }
        if (named && !capabilities.contains("CAPABILITY_NAMED_IAM")) {
            throw new CfnException("InsufficientCapabilitiesException", 400, "Requires capabilities : [CAPABILITY_NAMED_IAM]");
        }
        if (iam && !capabilities.contains("CAPABILITY_IAM") && !capabilities.contains("CAPABILITY_NAMED_IAM")) {
            throw new CfnException("InsufficientCapabilitiesException", 400, "Requires capabilities : [CAPABILITY_IAM]");
        }
    }

    private static Xml summary(TemplateDocument doc, boolean full) {
        JsonNode root = doc.root();
        Xml x = new Xml().open("Parameters");
        root.path("Parameters").properties().forEach(e -> {
            JsonNode p = e.getValue();
            x.open("member").element("ParameterKey", e.getKey())
                    .element("DefaultValue", p.has("Default") ? p.get("Default").asText() : null)
                    .element(full ? "ParameterType" : "NoEcho", full ? p.path("Type").asText("String")
                            : String.valueOf(p.path("NoEcho").asBoolean(false)))
                    .element("Description", p.path("Description").asText(null));
            if (full) {
                x.element("NoEcho", String.valueOf(p.path("NoEcho").asBoolean(false)));
                List<String> allowed = new ArrayList<>();
                p.path("AllowedValues").forEach(a -> allowed.add(a.asText()));
                x.open("ParameterConstraints").strings("AllowedValues", allowed).close("ParameterConstraints");
            }
            x.close("member");
        });
        x.close("Parameters").element("Description", root.path("Description").asText(null));
        List<String> caps = new ArrayList<>();
        List<String> types = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> {
            String type = e.getValue().path("Type").asText();
            if (!types.contains(type)) {
                types.add(type);
            }
            if (type.startsWith("AWS::IAM::") && caps.isEmpty()) {
                caps.add("CAPABILITY_IAM");
            }
        });
        x.strings("Capabilities", caps);
        if (full) {
            x.strings("ResourceTypes", types).element("Version", root.path("AWSTemplateFormatVersion").asText("2010-09-09"))
                    .strings("DeclaredTransforms", List.of()).open("ResourceIdentifierSummaries")
                    .close("ResourceIdentifierSummaries");
        }
        return x;
    }

    private static void tags(Xml x, Map<String, String> tags) {
        x.open("Tags");
        tags.forEach((k, v) -> x.open("member").element("Key", k).element("Value", v).close("member"));
        x.close("Tags");
    }

    private static Map<String, String> physicalIds(StackRecord s) {
        Map<String, String> out = new LinkedHashMap<>();
        s.resources.values().forEach(r -> out.put(r.logicalId, r.physicalId));
        return out;
    }

    private static Map<String, String> rawParams(QueryRequest q) {
        return q.all();
    }

    private void await(Future<?> f) {
        try {
            f.get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: DescribeStacks shows its progress
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.accept("ERROR CloudFormation: an operation failed: " + e.getCause());
        }
    }
}
