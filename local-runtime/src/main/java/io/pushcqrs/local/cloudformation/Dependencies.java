package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order of a template's resources, as CloudFormation derives it: a resource depends on those its DependsOn names
 * and those it refers to ({@code Ref}, {@code Fn::GetAtt}, {@code ${X}} / {@code ${X.Attr}} in {@code Fn::Sub}).
 * Events of a deployment follow this order (creations and updates), deletions the reverse. A reference to a resource
 * that is not there, or a cycle, is the ValidationError AWS answers.
 */
final class Dependencies {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private Dependencies() {
    }

    /** Logical ids in an order where each comes after every resource it depends on (template order otherwise). */
    static List<String> order(JsonNode resources) {
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        resources.properties().forEach(e -> deps.put(e.getKey(), dependencies(e.getValue(), resources)));
        for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
            for (String d : e.getValue()) {
                if (!deps.containsKey(d)) {
                    throw CfnException.validation("Template format error: Unresolved resource dependencies [" + d
                            + "] in the Resources block of the template");
                }
            }
        }
        // a stable order: each time, the first resource in template order whose dependencies are all placed
        List<String> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(deps.keySet());
        while (!pending.isEmpty()) {
            String next = null;
            for (String id : pending) {
                if (done.containsAll(deps.get(id))) {
                    next = id;
                    break;
                }
            }
            if (next == null) {
                throw CfnException.validation("Circular dependency between resources: " + pending);
            }
            pending.remove(next);
            out.add(next);
            done.add(next);
        }
        return out;
    }

    /** The resources one resource depends on: DependsOn and the resources its properties refer to. */
    static Set<String> dependencies(JsonNode resource, JsonNode resources) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode dependsOn = resource.path("DependsOn");
        if (dependsOn.isTextual()) {
            out.add(dependsOn.asText());
        } else {
            dependsOn.forEach(d -> out.add(d.asText()));
        }
        Set<String> refs = new LinkedHashSet<>();
        references(resource.path("Properties"), refs);
        for (String r : refs) {
            if (resources.has(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every name a value refers to: Ref targets, Fn::GetAtt logical ids, Fn::Sub variables (parameters too). */
    static void references(JsonNode value, Set<String> out) {
        if (value.isObject()) {
            if (value.size() == 1) {
                String key = value.fieldNames().next();
                JsonNode arg = value.get(key);
                switch (key) {
                    case "Ref" -> {
                        if (arg.isTextual() && !arg.asText().startsWith("AWS::")) {
                            out.add(arg.asText());
                        }
                        return;
                    }
                    case "Fn::GetAtt" -> {
                        if (arg.isTextual()) {
                            out.add(arg.asText().split("\\.", 2)[0]);
                        } else if (arg.isArray() && !arg.isEmpty()) {
                            out.add(arg.get(0).asText());
                        }
                        return;
                    }
                    case "Fn::Sub" -> {
                        String text = arg.isTextual() ? arg.asText() : arg.path(0).asText("");
                        Set<String> local = new LinkedHashSet<>();
                        if (arg.isArray() && arg.size() > 1) {
                            arg.get(1).fieldNames().forEachRemaining(local::add);
                            references(arg.get(1), out);
                        }
                        Matcher m = SUB_VARIABLE.matcher(text);
                        while (m.find()) {
                            String name = m.group(1).split("\\.", 2)[0];
                            if (!name.startsWith("AWS::") && !local.contains(name)) {
                                out.add(name);
                            }
                        }
                        return;
                    }
                    default -> {
                    }
                }
            }
            value.forEach(v -> references(v, out));
        } else if (value.isArray()) {
            value.forEach(v -> references(v, out));
        }
    }
}
