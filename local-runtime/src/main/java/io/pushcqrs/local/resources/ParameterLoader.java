package io.pushcqrs.local.resources;

import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::SSM::Parameter: a String or StringList parameter created (or overwritten) in the backend (moto's SSM), such as
 * {@code /cdk-bootstrap/<qualifier>/version}, which {@code cdk deploy} reads to check the bootstrap version. AWS
 * refuses other types (SecureString) and a missing Value; so does the local stack.
 */
final class ParameterLoader implements ResourceLoader {
    private static final Set<String> APPLIED = Set.of("Name", "Type", "Value", "Description", "Tags");

    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::SSM::Parameter")) {
            String name = ctx.in.ref(r.logicalId(), at(r));
            String type = ctx.in.propertyText(r, "Type");
            if (!"String".equals(type) && !"StringList".equals(type)) {
                throw new TemplateException(at(r) + ": an AWS::SSM::Parameter's Type must be String or StringList, got "
                        + type);
            }
            String value = ctx.in.propertyText(r, "Value");
            if (value == null || value.isEmpty()) {
                throw new TemplateException(at(r) + ": the parameter " + name + " has no Value");
            }
            for (String p : Intrinsics.fieldNames(r.properties())) {
                if (!APPLIED.contains(p)) {
                    ctx.warnings.add("parameter " + name + " (" + r.logicalId() + "): the property " + p
                            + " is not applied locally");
                }
            }
            Map<String, String> tags = new LinkedHashMap<>();
            ctx.in.property(r, "Tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
            ctx.backend.ensureParameter(new ResourceSpecs.Parameter(name, type, value,
                    ctx.in.propertyText(r, "Description"), tags));
        }
    }
}
