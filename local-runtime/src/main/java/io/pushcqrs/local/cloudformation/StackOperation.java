package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.stack.StackInstaller;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.ResourceTypes;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One stack operation with CloudFormation's states and events: a change set executed (a new stack, or an update in
 * place), or a stack deleted.
 * <ul>
 *   <li>create: {@code CREATE_IN_PROGRESS}, each resource {@code CREATE_IN_PROGRESS} in dependency order, the
 *       template installed ({@link StackInstaller}), each resource {@code CREATE_COMPLETE}, {@code CREATE_COMPLETE};</li>
 *   <li>update: {@code UPDATE_IN_PROGRESS}, the added and modified resources {@code CREATE_/UPDATE_IN_PROGRESS} then
 *       {@code _COMPLETE}, then {@code UPDATE_COMPLETE_CLEANUP_IN_PROGRESS} with the removed (and replaced) resources
 *       {@code DELETE_*}, {@code UPDATE_COMPLETE};</li>
 *   <li>a failure: the failing resource {@code CREATE_FAILED} / {@code UPDATE_FAILED} with the reason (what the local
 *       stack could not do, naming the feature), the others cancelled, then {@code ROLLBACK_IN_PROGRESS} ... {@code
 *       ROLLBACK_COMPLETE} (a new stack: what was created is deleted) or {@code UPDATE_ROLLBACK_IN_PROGRESS} ...
 *       {@code UPDATE_ROLLBACK_COMPLETE} (the previous template installed again, what was added deleted);</li>
 *   <li>delete: {@code DELETE_IN_PROGRESS}, each resource {@code DELETE_IN_PROGRESS} then {@code DELETE_COMPLETE} in
 *       reverse dependency order ({@code DELETE_SKIPPED} for DeletionPolicy Retain), {@code DELETE_COMPLETE}; a resource
 *       that cannot be deleted is {@code DELETE_FAILED} and so is the stack.</li>
 * </ul>
 * A custom-named resource whose change requires replacement fails as on AWS ("CloudFormation cannot update a stack
 * when a custom-named resource requires replacing"); a resource with a generated name is deleted and created again
 * under the same (deterministic) name.
 */
final class StackOperation implements Runnable {
    private final CloudFormationService service;
    private final StackInstaller installer;
    private final ChangeSetRecord cs;
    private final StackRecord stack;
    private final Path assetDir;
    private final Set<String> retainOnDelete;
    private final boolean delete;
    private boolean create;
    private String previousStatus;
    private RuntimeException failure;

    StackOperation(CloudFormationService service, StackInstaller installer, ChangeSetRecord cs, Path assetDir) {
        this.service = service;
        this.installer = installer;
        this.cs = cs;
        this.stack = service.stack(cs.stackId);
        this.assetDir = assetDir;
        this.retainOnDelete = Set.of();
        this.delete = false;
    }

    private StackOperation(CloudFormationService service, StackInstaller installer, StackRecord stack, Set<String> retain) {
        this.service = service;
        this.installer = installer;
        this.cs = null;
        this.stack = stack;
        this.assetDir = stack.assetDir;
        this.retainOnDelete = retain;
        this.delete = true;
    }

    static StackOperation delete(CloudFormationService service, StackInstaller installer, StackRecord stack,
                                 Set<String> retain) {
        return new StackOperation(service, installer, stack, retain);
    }

    /** The failure of a change set that could not be applied (after its rollback), or null. */
    RuntimeException failure() {
        return failure;
    }

    /** The first state change, made while the caller holds the service's lock (so the answer already shows it). */
    void begin() {
        previousStatus = stack.status;
        if (delete) {
            stackEvent("DELETE_IN_PROGRESS", "User Initiated");
            return;
        }
        create = cs.type.equals("CREATE");
        stack.changeSets.keySet().removeIf(id -> !id.equals(cs.id)); // AWS drops the other change sets of the stack
        stackEvent(create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", "User Initiated");
    }

    @Override
    public void run() {
        try {
            if (delete) {
                runDelete();
            } else {
                runChangeSet();
            }
        } catch (RuntimeException e) {
            service.log("ERROR CloudFormation: " + (delete ? "deleting " : "deploying ") + stack.name + " failed: " + e);
            synchronized (service) {
                stackEvent(delete ? "DELETE_FAILED" : create ? "ROLLBACK_FAILED" : "UPDATE_ROLLBACK_FAILED",
                        "the local stack failed: " + e.getMessage());
            }
            failure = e;
        }
    }

    // ------------------------------------------------------------------ change sets

    private void runChangeSet() {
        long t0 = System.nanoTime();
        Template template = template(cs.template.root(), cs.resolvedParameters, assetDir);
        List<ChangeSetRecord.ResourceChange> applied = new ArrayList<>();
        List<ChangeSetRecord.ResourceChange> removed = new ArrayList<>();
        for (ChangeSetRecord.ResourceChange c : cs.changes) {
            (c.action().equals("Remove") ? removed : applied).add(c);
        }
        synchronized (service) {
            for (ChangeSetRecord.ResourceChange c : applied) {
                StackRecord.ResourceRecord r = stack.resources.computeIfAbsent(c.logicalId(),
                        id -> new StackRecord.ResourceRecord(id, c.type()));
                boolean add = c.action().equals("Add");
                resourceEvent(r, add ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS",
                        "True".equals(c.replacement()) ? "Requested update requires the creation of a new physical"
                                + " resource; hence creating one." : null);
            }
        }
        // what must be replaced: AWS refuses it for a custom name; a generated name is deleted first, then created again
        List<StackModel.Provisioned> replace = new ArrayList<>();
        StackModel current = installer.model(stack.name);
        for (ChangeSetRecord.ResourceChange c : applied) {
            if (!"True".equals(c.replacement())) {
                continue;
            }
            String customName = customName(c);
            if (customName != null) {
                fail(template, applied, c.logicalId(), "CloudFormation cannot update a stack when a custom-named resource"
                        + " requires replacing. Rename " + customName + " and update the stack again.", null);
                return;
            }
            if (current != null) {
                current.provisioned().stream().filter(p -> p.logicalId().equals(c.logicalId())).forEach(replace::add);
            }
        }
        StackInstaller.Installed installed;
        try {
            installed = installer.install(template, replace, retained(template.root()), cs.importExisting);
        } catch (StackInstaller.Failed f) {
            fail(template, applied, failedLogicalId(template, applied, f), reason(f), f);
            return;
        } catch (TemplateException e) {
            fail(template, applied, failedLogicalId(template, applied, e), e.getMessage(), null);
            return;
        }
        synchronized (service) {
            Map<String, String> oldPhysical = new LinkedHashMap<>();
            stack.resources.forEach((id, r) -> oldPhysical.put(id, r.physicalId));
            for (ChangeSetRecord.ResourceChange c : applied) {
                StackRecord.ResourceRecord r = stack.resources.get(c.logicalId());
                r.physicalId = physicalId(installed.intrinsics(), c.logicalId());
                resourceEvent(r, c.action().equals("Add") ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", null);
            }
            // resources the change did not touch keep their record; make sure every present one has one
            for (String id : ChangePlanner.present(stack.name, template.root(), cs.resolvedParameters).keySet()) {
                if (!stack.resources.containsKey(id)) {
                    StackRecord.ResourceRecord r = new StackRecord.ResourceRecord(id,
                            template.resource(id).type());
                    r.physicalId = physicalId(installed.intrinsics(), id);
                    r.status = create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE";
                    stack.resources.put(id, r);
                }
            }
            boolean cleanup = !removed.isEmpty() || applied.stream().anyMatch(c -> "True".equals(c.replacement()));
            if (cleanup && !create) {
                stackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
                for (ChangeSetRecord.ResourceChange c : applied) {
                    if ("True".equals(c.replacement())) {
                        event(c.logicalId(), oldPhysical.get(c.logicalId()), c.type(), "DELETE_IN_PROGRESS", null);
                        event(c.logicalId(), oldPhysical.get(c.logicalId()), c.type(), "DELETE_COMPLETE", null);
                    }
                }
                Set<String> retain = retained(stack.template == null ? null : stack.template.root());
                for (ChangeSetRecord.ResourceChange c : removed) {
                    StackRecord.ResourceRecord r = stack.resources.remove(c.logicalId());
                    String physical = r == null ? c.physicalId() : r.physicalId;
                    if (retain.contains(c.logicalId())) {
                        event(c.logicalId(), physical, c.type(), "DELETE_SKIPPED", null);
                        continue;
                    }
                    event(c.logicalId(), physical, c.type(), "DELETE_IN_PROGRESS", null);
                    String why = installed.cleanupFailures().get(c.logicalId());
                    event(c.logicalId(), physical, c.type(), why == null ? "DELETE_COMPLETE" : "DELETE_FAILED", why);
                }
            }
            stack.template = cs.template;
            stack.parameters = new LinkedHashMap<>(cs.parameters);
            stack.resolvedParameters = new LinkedHashMap<>(cs.resolvedParameters);
            stack.tags = new LinkedHashMap<>(cs.tags);
            stack.capabilities = new ArrayList<>(cs.capabilities);
            stack.roleArn = cs.roleArn;
            stack.description = cs.template.root().path("Description").asText(null);
            stack.assetDir = assetDir;
            stack.outputs = outputs(template.root(), installed);
            if (!create) {
                stack.updated = Instant.now();
            }
            cs.executionStatus = "EXECUTE_COMPLETE";
            stack.changeSets.remove(cs.id);
            stackEvent(create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", null);
        }
        service.log(String.format("CloudFormation: %s %s in %.1f s (%d change(s))", stack.name,
                create ? "created" : "updated", (System.nanoTime() - t0) / 1e9, cs.changes.size()));
    }

    /**
     * The change could not be applied: the failing resource and the cancelled ones, then the rollback (a new stack's
     * resources deleted; an update's previous template installed again and its added resources deleted).
     */
    private void fail(Template template, List<ChangeSetRecord.ResourceChange> applied, String failedId, String reason,
                      StackInstaller.Failed failed) {
        List<String> failedIds = new ArrayList<>();
        synchronized (service) {
            for (ChangeSetRecord.ResourceChange c : applied) {
                StackRecord.ResourceRecord r = stack.resources.get(c.logicalId());
                boolean add = c.action().equals("Add");
                if (c.logicalId().equals(failedId)) {
                    resourceEvent(r, add ? "CREATE_FAILED" : "UPDATE_FAILED", reason);
                    failedIds.add(c.logicalId());
                } else {
                    resourceEvent(r, add ? "CREATE_FAILED" : "UPDATE_FAILED",
                            add ? "Resource creation cancelled" : "Resource update cancelled");
                }
            }
            String what = failedIds.isEmpty() ? reason
                    : "The following resource(s) failed to " + (create || isAdd(applied, failedId) ? "create" : "update")
                    + ": [" + String.join(", ", failedIds) + "]. ";
            stackEvent(create ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS",
                    create ? what + (what.endsWith(" ") ? "" : " ") + "Rollback requested by user." : what);
        }
        service.log("CloudFormation: " + stack.name + ": " + (failedId == null ? "" : failedId + ": ") + reason
                + "; rolling back");
        try {
            if (failed != null) {
                installer.rollback(failed);
            }
            if (!create && stack.template != null) {
                installer.install(template(stack.template.root(), stack.resolvedParameters, stack.assetDir), List.of(),
                        Set.of(), true);
            }
        } catch (RuntimeException e) {
            synchronized (service) {
                stackEvent(create ? "ROLLBACK_FAILED" : "UPDATE_ROLLBACK_FAILED",
                        "the rollback failed: " + e.getMessage());
            }
            failure = new TemplateException(reason + "; the rollback failed: " + e.getMessage(), e);
            return;
        }
        synchronized (service) {
            List<ChangeSetRecord.ResourceChange> reversed = new ArrayList<>(applied);
            java.util.Collections.reverse(reversed);
            if (create) {
                for (ChangeSetRecord.ResourceChange c : reversed) {
                    StackRecord.ResourceRecord r = stack.resources.get(c.logicalId());
                    resourceEvent(r, "DELETE_IN_PROGRESS", null);
                    resourceEvent(r, "DELETE_COMPLETE", null);
                }
                stack.resources.clear();
                stack.template = cs.template;
                stack.parameters = new LinkedHashMap<>(cs.parameters);
                String why = stack.statusReason;
                stackEvent("ROLLBACK_COMPLETE", why);
            } else {
                for (ChangeSetRecord.ResourceChange c : reversed) {
                    if (!c.action().equals("Add")) {
                        StackRecord.ResourceRecord r = stack.resources.get(c.logicalId());
                        resourceEvent(r, "UPDATE_IN_PROGRESS", null);
                        resourceEvent(r, "UPDATE_COMPLETE", null);
                    }
                }
                stackEvent("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null);
                for (ChangeSetRecord.ResourceChange c : reversed) {
                    if (c.action().equals("Add")) {
                        StackRecord.ResourceRecord r = stack.resources.remove(c.logicalId());
                        event(c.logicalId(), r == null ? null : r.physicalId, c.type(), "DELETE_IN_PROGRESS", null);
                        event(c.logicalId(), r == null ? null : r.physicalId, c.type(), "DELETE_COMPLETE", null);
                    }
                }
                stackEvent("UPDATE_ROLLBACK_COMPLETE", null);
            }
            cs.executionStatus = "EXECUTE_FAILED";
            stack.changeSets.remove(cs.id);
        }
        failure = new TemplateException((failedId == null ? "" : failedId + ": ") + reason);
    }

    // ------------------------------------------------------------------ delete

    private void runDelete() {
        long t0 = System.nanoTime();
        JsonNode root = stack.template == null ? null : stack.template.root();
        Set<String> retain = new LinkedHashSet<>(retainOnDelete);
        retain.addAll(retained(root));
        List<StackRecord.ResourceRecord> order = new ArrayList<>();
        synchronized (service) {
            if (previousStatus.equals("REVIEW_IN_PROGRESS") || stack.resources.isEmpty()) {
                deleted();
                return;
            }
            List<String> ids = root == null ? new ArrayList<>(stack.resources.keySet())
                    : new ArrayList<>(Dependencies.order(root.path("Resources")));
            ids.removeIf(id -> !stack.resources.containsKey(id));
            java.util.Collections.reverse(ids);
            for (String id : ids) {
                StackRecord.ResourceRecord r = stack.resources.get(id);
                order.add(r);
                if (!retain.contains(id)) {
                    resourceEvent(r, "DELETE_IN_PROGRESS", null);
                }
            }
        }
        Map<String, String> failures = new LinkedHashMap<>();
        StackModel model = installer.model(stack.name);
        failures.putAll(installer.uninstall(stack.name, retain));
        List<StackModel.Provisioned> again = new ArrayList<>();
        for (StackModel.Provisioned p : stack.undeleted) {
            if (!retain.contains(p.logicalId())) {
                again.add(p);
            }
        }
        failures.putAll(installer.delete(again));
        synchronized (service) {
            stack.undeleted = new ArrayList<>();
            List<StackModel.Provisioned> known = new ArrayList<>(stack.undeleted);
            if (model != null) {
                known.addAll(model.provisioned());
            }
            known.addAll(again);
            for (StackRecord.ResourceRecord r : order) {
                if (retain.contains(r.logicalId)) {
                    resourceEvent(r, "DELETE_SKIPPED", null);
                } else if (failures.containsKey(r.logicalId)) {
                    resourceEvent(r, "DELETE_FAILED", failures.get(r.logicalId));
                    known.stream().filter(p -> p.logicalId().equals(r.logicalId)).forEach(stack.undeleted::add);
                } else {
                    resourceEvent(r, "DELETE_COMPLETE", null);
                }
            }
            if (failures.isEmpty()) {
                deleted();
            } else {
                stackEvent("DELETE_FAILED", "The following resource(s) failed to delete: " + failures.keySet() + ". ");
            }
        }
        service.log(String.format("CloudFormation: %s %s in %.1f s", stack.name,
                failures.isEmpty() ? "deleted" : "failed to delete " + failures, (System.nanoTime() - t0) / 1e9));
    }

    private void deleted() {
        stack.resources.clear();
        stack.outputs = new LinkedHashMap<>();
        stack.changeSets.clear();
        stack.deleted = Instant.now();
        stackEvent("DELETE_COMPLETE", null);
    }

    // ------------------------------------------------------------------ helpers

    private Template template(JsonNode root, Map<String, String> params, Path assets) {
        return Template.parse(root, stack.name, null, assets).withParameterValues(params).withStackId(stack.id);
    }

    /** Logical ids whose DeletionPolicy keeps the resource when it leaves the stack. */
    private static Set<String> retained(JsonNode root) {
        Set<String> out = new LinkedHashSet<>();
        if (root != null) {
            root.path("Resources").properties().forEach(e -> {
                String policy = e.getValue().path("DeletionPolicy").asText("");
                if (policy.equals("Retain") || policy.equals("RetainExceptOnCreate")) {
                    out.add(e.getKey());
                }
            });
        }
        return out;
    }

    /** The name of a resource whose name property the template sets (a replacement would need a new name), or null. */
    private String customName(ChangeSetRecord.ResourceChange c) {
        ResourceTypes.TypeInfo info = ResourceTypes.info(c.type());
        if (info == null || info.nameProperty() == null) {
            return null;
        }
        JsonNode now = cs.template.root().path("Resources").path(c.logicalId()).path("Properties").path(info.nameProperty());
        JsonNode was = stack.template == null ? null
                : stack.template.root().path("Resources").path(c.logicalId()).path("Properties").path(info.nameProperty());
        if (now.isMissingNode() || was == null || !now.equals(was)) {
            return null; // a generated name, or a new name: nothing stands in the way
        }
        StackRecord.ResourceRecord r = stack.resources.get(c.logicalId());
        return r == null || r.physicalId == null ? c.logicalId() : r.physicalId;
    }

    /**
     * Which resource a failure is about: the one whose creation failed in the backend (matched by its physical name),
     * else the logical id the message names, else none (the stack's own reason then says it).
     */
    private static String failedLogicalId(Template template, List<ChangeSetRecord.ResourceChange> applied,
                                          RuntimeException e) {
        if (e instanceof StackInstaller.Failed f && f.failedResource() != null) {
            StackModel.Provisioned p = f.failedResource();
            Intrinsics in = new Intrinsics(template, "http://localhost");
            for (Template.Resource r : template.resources().values()) {
                if (!r.type().equals(p.type()) && !(p.type().equals("AWS::Lambda::Function")
                        && r.type().equals("AWS::Lambda::Function"))) {
                    continue;
                }
                try {
                    String ref = in.ref(r.logicalId(), "");
                    String name = ref.substring(ref.lastIndexOf('/') + 1);
                    if (ref.equals(p.physicalId()) || name.equals(p.physicalId())) {
                        return r.logicalId();
                    }
                    if (p.type().equals("AWS::Lambda::Function")) {
                        JsonNode code = r.property("Code");
                        if (p.physicalId().endsWith("/" + code.path("S3Key").asText("\u0000"))) {
                            return r.logicalId();
                        }
                    }
                } catch (RuntimeException ignored) {
                    // a name that cannot be computed here is not the one
                }
            }
        }
        String message = String.valueOf(e.getMessage());
        List<String> ids = new ArrayList<>();
        applied.forEach(c -> ids.add(c.logicalId()));
        template.resources().keySet().forEach(id -> {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        });
        ids.sort(Comparator.comparingInt(String::length).reversed());
        for (String id : ids) {
            if (message.matches("(?s).*(^|[^A-Za-z0-9])" + java.util.regex.Pattern.quote(id) + "([^A-Za-z0-9]|$).*")) {
                return id;
            }
        }
        return null;
    }

    private static String reason(StackInstaller.Failed f) {
        Throwable cause = f.getCause() == null ? f : f.getCause();
        return cause instanceof TemplateException ? cause.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static boolean isAdd(List<ChangeSetRecord.ResourceChange> applied, String id) {
        return applied.stream().anyMatch(c -> c.logicalId().equals(id) && c.action().equals("Add"));
    }

    private static String physicalId(Intrinsics in, String logicalId) {
        try {
            return in.ref(logicalId, "Resources." + logicalId);
        } catch (RuntimeException e) {
            return logicalId;
        }
    }

    /** The outputs as DescribeStacks shows them: value (resolved by the install), description, export name. */
    private static Map<String, String[]> outputs(JsonNode root, StackInstaller.Installed installed) {
        Map<String, String[]> out = new LinkedHashMap<>();
        installed.model().outputs().forEach((k, v) -> {
            JsonNode def = root.path("Outputs").path(k);
            String export = null;
            if (def.path("Export").has("Name")) {
                try {
                    export = installed.intrinsics().text(def.path("Export").path("Name"), "Outputs." + k + ".Export.Name");
                } catch (RuntimeException e) {
                    export = null;
                }
            }
            out.put(k, new String[]{v, def.path("Description").asText(null), export});
        });
        return out;
    }

    private void stackEvent(String status, String reason) {
        stack.status = status;
        stack.statusReason = reason;
        event(stack.name, stack.id, "AWS::CloudFormation::Stack", status, reason);
    }

    private void resourceEvent(StackRecord.ResourceRecord r, String status, String reason) {
        r.status = status;
        r.statusReason = reason;
        r.updated = Instant.now();
        event(r.logicalId, r.physicalId, r.type, status, reason);
    }

    private void event(String logicalId, String physicalId, String type, String status, String reason) {
        // strictly increasing (millisecond) timestamps: clients order events by them
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (!stack.events.isEmpty()) {
            Instant last = stack.events.get(stack.events.size() - 1).timestamp();
            if (!now.isAfter(last)) {
                now = last.plusMillis(1);
            }
        }
        stack.events.add(new StackRecord.StackEvent(UUID.randomUUID().toString(), stack.id, stack.name, logicalId,
                physicalId, type, now, status, reason));
    }
}
