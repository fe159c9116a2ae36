package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a change set changes, resource by resource, as DescribeChangeSet lists it: Add (in the new template only),
 * Remove (in the deployed one only), Modify (its Properties or Metadata differ, a parameter it refers to has a new
 * value, or a resource it refers to is replaced), each Modify with the changed properties and whether they require a
 * new physical resource ({@link Replacements}). Resources whose Condition is false count as absent. Adds and Modifies
 * come in dependency order, Removes in reverse.
 */
final class ChangePlanner {
    private ChangePlanner() {
    }

    /**
     * @param stackName   the stack
     * @param before      the deployed template's root, or null (a new stack)
     * @param beforeParams the deployed parameter values (resolved)
     * @param after       the new template's root
     * @param afterParams the new parameter values (resolved)
     * @param physicalIds the stack's resources' physical ids by logical id
     */
    static List<ChangeSetRecord.ResourceChange> plan(String stackName, JsonNode before, Map<String, String> beforeParams,
                                                     JsonNode after, Map<String, String> afterParams,
                                                     Map<String, String> physicalIds) {
        Map<String, JsonNode> old = present(stackName, before, beforeParams);
        Map<String, JsonNode> now = present(stackName, after, afterParams);
        Set<String> changedParams = new TreeSet<>();
        Set<String> names = new LinkedHashSet<>(beforeParams.keySet());
        names.addAll(afterParams.keySet());
        for (String p : names) {
            if (!Objects.equals(beforeParams.get(p), afterParams.get(p))) {
                changedParams.add(p);
            }
        }

        List<String> order = Dependencies.order(after.path("Resources"));
        Map<String, ChangeSetRecord.ResourceChange> changes = new LinkedHashMap<>();
        Set<String> replaced = new LinkedHashSet<>();
        for (String id : order) {
            if (!now.containsKey(id)) {
                continue;
            }
            JsonNode n = now.get(id);
            String type = n.path("Type").asText();
            JsonNode o = old.get(id);
            if (o == null) {
                changes.put(id, new ChangeSetRecord.ResourceChange("Add", id, null, type, null, List.of(), List.of()));
                continue;
            }
            if (!o.path("Type").asText().equals(type)) {
                throw CfnException.validation("Update of resource type is not permitted. The new template modifies"
                        + " resource type of the following resources: [" + id + "]");
            }
            List<ChangeSetRecord.Detail> details = new ArrayList<>();
            Set<String> scope = new LinkedHashSet<>();
            JsonNode op = o.path("Properties");
            JsonNode np = n.path("Properties");
            Set<String> props = new TreeSet<>();
            op.fieldNames().forEachRemaining(props::add);
            np.fieldNames().forEachRemaining(props::add);
            for (String p : props) {
                JsonNode a = op.path(p);
                JsonNode b = np.path(p);
                if (!a.equals(b)) {
                    scope.add("Properties");
                    details.add(new ChangeSetRecord.Detail("Properties", p, Replacements.requiresRecreation(type, p),
                            "Static", "DirectModification", null));
                } else if (!changedParams.isEmpty()) {
                    Set<String> refs = new LinkedHashSet<>();
                    Dependencies.references(b, refs);
                    for (String param : refs) {
                        if (changedParams.contains(param)) {
                            scope.add("Properties");
                            details.add(new ChangeSetRecord.Detail("Properties", p, Replacements.requiresRecreation(type, p),
                                    "Static", "ParameterReference", param));
                        }
                    }
                }
            }
            if (!o.path("Metadata").equals(n.path("Metadata"))) {
                scope.add("Metadata");
            }
            if (!scope.isEmpty()) {
                boolean replace = details.stream().anyMatch(d -> d.requiresRecreation().equals("Always"));
                if (replace) {
                    replaced.add(id);
                }
                changes.put(id, new ChangeSetRecord.ResourceChange("Modify", id, physicalIds.get(id), type,
                        replace ? "True" : "False", List.copyOf(scope), details));
            }
        }
        // resources that refer to a replaced one see a new physical id or attribute (CloudFormation's Dynamic changes)
        for (String id : order) {
            if (!now.containsKey(id) || !old.containsKey(id) || changes.containsKey(id) && changes.get(id).action().equals("Add")) {
                continue;
            }
            JsonNode n = now.get(id);
            String type = n.path("Type").asText();
            List<ChangeSetRecord.Detail> dynamic = new ArrayList<>();
            n.path("Properties").properties().forEach(e -> {
                Set<String> refs = new LinkedHashSet<>();
                Dependencies.references(e.getValue(), refs);
                for (String r : refs) {
                    if (replaced.contains(r)) {
                        dynamic.add(new ChangeSetRecord.Detail("Properties", e.getKey(),
                                Replacements.requiresRecreation(type, e.getKey()).equals("Always") ? "Conditionally" : "Never",
                                "Dynamic", "ResourceReference", r));
                    }
                }
            });
            if (dynamic.isEmpty()) {
                continue;
            }
            ChangeSetRecord.ResourceChange c = changes.get(id);
            List<ChangeSetRecord.Detail> details = new ArrayList<>(c == null ? List.of() : c.details());
            details.addAll(dynamic);
            String replacement = c != null && c.replacement().equals("True") ? "True"
                    : dynamic.stream().anyMatch(d -> d.requiresRecreation().equals("Conditionally")) ? "Conditional" : "False";
            Set<String> scope = new LinkedHashSet<>(c == null ? List.of() : c.scope());
            scope.add("Properties");
            changes.put(id, new ChangeSetRecord.ResourceChange("Modify", id, physicalIds.get(id), type, replacement,
                    List.copyOf(scope), details));
        }
        List<ChangeSetRecord.ResourceChange> out = new ArrayList<>(changes.values());
        if (before != null) {
            List<String> oldOrder = Dependencies.order(before.path("Resources"));
            for (int i = oldOrder.size() - 1; i >= 0; i--) {
                String id = oldOrder.get(i);
                if (old.containsKey(id) && !now.containsKey(id)) {
                    out.add(new ChangeSetRecord.ResourceChange("Remove", id, physicalIds.get(id),
                            old.get(id).path("Type").asText(), null, List.of(), List.of()));
                }
            }
        }
        return out;
    }

    /** The template's resources whose Condition holds (none for a null template). */
    static Map<String, JsonNode> present(String stackName, JsonNode root, Map<String, String> params) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (root == null) {
            return out;
        }
        Template t = Template.parse(root, stackName, null, null).withParameterValues(params);
        Intrinsics in = new Intrinsics(t, "http://localhost");
        for (Map.Entry<String, JsonNode> e : root.path("Resources").properties()) {
            if (in.exists(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    static JsonNode missing() {
        return MissingNode.getInstance();
    }
}
