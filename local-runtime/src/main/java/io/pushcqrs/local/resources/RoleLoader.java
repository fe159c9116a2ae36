package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::IAM::ManagedPolicy, Role and Policy: created in the backend (moto's IAM) as the template declares them, in the
 * order that lets each refer to the others: managed policies, then roles (trust policy, inline Policies,
 * ManagedPolicyArns), then the managed policies' attachments, then the inline AWS::IAM::Policy resources on their
 * roles. Creating them makes {@code cdk bootstrap}'s roles exist for the CLI's role assumption; the local stack does
 * not enforce them here. Users and groups are not created (warning).
 */
final class RoleLoader implements ResourceLoader {
    private static final Set<String> ROLE_PROPERTIES = Set.of("RoleName", "Path", "AssumeRolePolicyDocument", "Policies",
            "ManagedPolicyArns", "Description", "MaxSessionDuration", "PermissionsBoundary", "Tags");

    @Override
    public void load(LoadContext ctx) {
        List<Template.Resource> managed = ctx.resources("AWS::IAM::ManagedPolicy");
        for (Template.Resource r : managed) {
            String arn = ctx.backend.ensureManagedPolicy(managedPolicy(ctx, r, List.of()));
            ctx.in.setRef(r.logicalId(), arn); // Ref of a managed policy is its ARN
            ctx.in.setAttribute(r.logicalId(), "PolicyArn", arn);
        }
        for (Template.Resource r : ctx.resources("AWS::IAM::Role")) {
            ctx.backend.ensureRole(role(ctx, r));
        }
        for (Template.Resource r : managed) {
            List<String> roles = texts(ctx.in.property(r, "Roles"));
            if (!roles.isEmpty()) {
                ctx.backend.ensureManagedPolicy(managedPolicy(ctx, r, roles));
            }
            ctx.attachments.put(r.logicalId(), roles);
        }
        for (Template.Resource r : ctx.resources("AWS::IAM::Policy")) {
            String name = ctx.in.propertyText(r, "PolicyName");
            JsonNode document = ctx.in.property(r, "PolicyDocument");
            if (name == null || document.isMissingNode()) {
                throw new TemplateException(at(r) + ": an AWS::IAM::Policy needs a PolicyName and a PolicyDocument");
            }
            List<String> roles = texts(ctx.in.property(r, "Roles"));
            warnUsersAndGroups(ctx, r, "policy " + name);
            ctx.backend.putRolePolicy(new ResourceSpecs.RolePolicy(name, BucketLoader.json(document), roles));
            ctx.in.setRef(r.logicalId(), name);
            ctx.attachments.put(r.logicalId(), roles);
        }
    }

    private static ResourceSpecs.Role role(LoadContext ctx, Template.Resource r) {
        String name = ctx.in.ref(r.logicalId(), at(r));
        JsonNode trust = ctx.in.property(r, "AssumeRolePolicyDocument");
        if (trust.isMissingNode()) {
            throw new TemplateException(at(r) + ": the role " + name + " has no AssumeRolePolicyDocument");
        }
        for (String p : Intrinsics.fieldNames(r.properties())) {
            if (!ROLE_PROPERTIES.contains(p)) {
                ctx.warnings.add("role " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        Map<String, String> inline = new LinkedHashMap<>();
        for (JsonNode p : ctx.in.property(r, "Policies")) {
            inline.put(p.path("PolicyName").asText(), BucketLoader.json(p.path("PolicyDocument")));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        ctx.in.property(r, "Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        String maxSession = ctx.in.propertyText(r, "MaxSessionDuration");
        return new ResourceSpecs.Role(name, pathOf(ctx.in.propertyText(r, "Path")), BucketLoader.json(trust), inline,
                texts(ctx.in.property(r, "ManagedPolicyArns")), ctx.in.propertyText(r, "Description"),
                maxSession == null ? null : LoadContext.intValue(maxSession, 3600, at(r) + ".Properties.MaxSessionDuration"),
                ctx.in.propertyText(r, "PermissionsBoundary"), tags);
    }

    private static ResourceSpecs.ManagedPolicy managedPolicy(LoadContext ctx, Template.Resource r, List<String> roles) {
        String name = ctx.in.propertyText(r, "ManagedPolicyName");
        if (name == null || name.isBlank()) {
            name = r.logicalId() + "-" + ctx.in.id(r.logicalId(), 12).toUpperCase();
        }
        JsonNode document = ctx.in.property(r, "PolicyDocument");
        if (document.isMissingNode()) {
            throw new TemplateException(at(r) + ": the managed policy " + name + " has no PolicyDocument");
        }
        warnUsersAndGroups(ctx, r, "managed policy " + name);
        return new ResourceSpecs.ManagedPolicy(name, pathOf(ctx.in.propertyText(r, "Path")), BucketLoader.json(document),
                ctx.in.propertyText(r, "Description"), roles);
    }

    private static void warnUsersAndGroups(LoadContext ctx, Template.Resource r, String what) {
        for (String p : new String[]{"Users", "Groups"}) {
            if (!ctx.in.property(r, p).isMissingNode() && !ctx.in.property(r, p).isEmpty()) {
                ctx.warnings.add(what + " (" + r.logicalId() + "): " + p + " are not created locally; only Roles");
            }
        }
    }

    private static String pathOf(String path) {
        return path == null || path.isBlank() ? "/" : path;
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }
}
