package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link IamModel} from the template, after the stack's resources are created (so that ARNs are the ones
 * the backend answers: a secret's ARN, a stream's ARN):
 * <ul>
 *   <li>AWS::IAM::Role: name, ARN, RoleId, Tags, inline Policies, ManagedPolicyArns, AssumeRolePolicyDocument (a
 *       function's role must trust lambda.amazonaws.com, or AWS refuses to create the function);</li>
 *   <li>AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached through their Roles;</li>
 *   <li>ManagedPolicyArns naming a template ManagedPolicy, or one of the AWS managed policies in
 *       {@code aws-managed-policies.json}; any other AWS managed policy is a warning and grants nothing locally;</li>
 *   <li>AWS::Lambda::Permission statements per function;</li>
 *   <li>PermissionsBoundary, and policies attached to users or groups: warnings (not evaluated).</li>
 * </ul>
 * A policy document IAM would refuse (see {@link PolicyParser}) stops the load with a {@link TemplateException} that
 * names it, as CloudFormation would fail to create it.
 */
public final class IamLoader {
    private static final String MANAGED_POLICIES = "aws-managed-policies.json";

    private IamLoader() {
    }

    public static IamModel load(Template template, Intrinsics in, List<FunctionSpec> functions) {
        Map<String, JsonNode> awsManaged = awsManagedPolicies();
        List<String> warnings = new ArrayList<>();
        List<String> refusals = new ArrayList<>();

        // managed policies of the template: logical id -> policy, and the names/ARNs they are referred to by
        Map<String, Policy> managed = new LinkedHashMap<>();
        Map<String, String> managedIds = new LinkedHashMap<>();
        for (Template.Resource r : resources(template, in, "AWS::IAM::ManagedPolicy")) {
            Policy p = parse(in, r, r.logicalId(), in.property(r, "PolicyDocument"), "PolicyDocument");
            managed.put(r.logicalId(), p);
            managedIds.put(in.ref(r.logicalId(), at(r)), r.logicalId());
            managedIds.put(in.getAtt(r.logicalId(), "PolicyArn", at(r)), r.logicalId());
        }

        // roles: inline policies and managed policy ARNs
        Map<String, RoleBuilder> byName = new LinkedHashMap<>();
        for (Template.Resource r : resources(template, in, "AWS::IAM::Role")) {
            RoleBuilder b = new RoleBuilder(r.logicalId(), in.ref(r.logicalId(), at(r)),
                    in.getAtt(r.logicalId(), "Arn", at(r)), in.getAtt(r.logicalId(), "RoleId", at(r)));
            for (JsonNode tag : in.property(r, "Tags")) {
                b.tags.put(tag.path("Key").asText(), tag.path("Value").asText());
            }
            JsonNode inline = in.property(r, "Policies");
            for (int i = 0; i < inline.size(); i++) {
                JsonNode p = inline.get(i);
                String name = p.path("PolicyName").asText("Policies[" + i + "]");
                b.policies.add(parse(in, r, name, p.path("PolicyDocument"), "Policies[" + i + "].PolicyDocument"));
            }
            for (JsonNode arnNode : in.property(r, "ManagedPolicyArns")) {
                String arn = arnNode.asText();
                String logicalId = managedIds.get(arn);
                if (logicalId != null) {
                    b.policies.add(managed.get(logicalId));
                } else if (awsManaged.containsKey(arn)) {
                    b.policies.add(parseDocument(arn, "AWS managed policy", awsManaged.get(arn), at(r)));
                } else {
                    warnings.add("role " + b.name + ": the managed policy " + arn + " is not known to the local stack;"
                            + " it grants nothing here (known: the template's and " + String.join(", ",
                            awsManaged.keySet().stream().map(a -> a.substring(a.lastIndexOf('/') + 1)).toList()) + ")");
                }
            }
            if (!in.property(r, "PermissionsBoundary").isMissingNode()) {
                warnings.add("role " + b.name + ": its PermissionsBoundary is not evaluated by the local stack (it can"
                        + " only narrow what the role's policies allow: AWS may deny calls the local stack allows)");
            }
            b.trustsLambda = trustsLambda(in.property(r, "AssumeRolePolicyDocument"));
            byName.put(b.name, b);
        }

        // policies attached through their Roles property
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            for (Template.Resource r : resources(template, in, type)) {
                Policy p = type.equals("AWS::IAM::Policy")
                        ? parse(in, r, nameOr(in.propertyText(r, "PolicyName"), r.logicalId()),
                        in.property(r, "PolicyDocument"), "PolicyDocument")
                        : managed.get(r.logicalId());
                for (JsonNode roleNode : in.property(r, "Roles")) {
                    String roleName = roleName(roleNode.asText());
                    RoleBuilder b = byName.get(roleName);
                    if (b == null) {
                        warnings.add(type + " " + r.logicalId() + " is attached to the role " + roleName + ", which is not"
                                + " in the template: not evaluated");
                    } else if (!b.policies.contains(p)) {
                        b.policies.add(p);
                    }
                }
                if (in.property(r, "Users").size() > 0 || in.property(r, "Groups").size() > 0) {
                    warnings.add(type + " " + r.logicalId() + ": its Users and Groups are not evaluated (only roles are)");
                }
            }
        }

        Map<String, Role> roles = new LinkedHashMap<>();
        byName.values().forEach(b -> roles.put(b.arn, b.build()));

        // functions and their roles
        Map<String, String> functionRoles = new LinkedHashMap<>();
        Map<String, String> logGroups = new LinkedHashMap<>();
        List<String> names = functions.stream().map(FunctionSpec::name).toList();
        for (Template.Resource r : resources(template, in, "AWS::Lambda::Function")) {
            String name = in.ref(r.logicalId(), at(r));
            if (!names.contains(name)) {
                continue;
            }
            String group = in.text(r.property("LoggingConfig").path("LogGroup"), at(r) + ".Properties.LoggingConfig.LogGroup");
            logGroups.put(name, group == null ? "/aws/lambda/" + name : group);
            String roleArn = in.propertyText(r, "Role");
            if (roleArn == null) {
                refusals.add("function " + name + " has no Role: AWS refuses to create a function without an execution role");
                continue;
            }
            functionRoles.put(name, roleArn);
            Role role = roles.get(roleArn);
            if (role == null) {
                warnings.add("function " + name + " runs with the role " + roleArn + ", which is not in the template: its"
                        + " policies are unknown here, so every AWS call the function makes is denied");
            } else if (!byName.get(role.name()).trustsLambda) {
                refusals.add("function " + name + ": its role " + role.name() + " does not trust lambda.amazonaws.com"
                        + " (AssumeRolePolicyDocument): AWS refuses to create the function (\"The role defined for the"
                        + " function cannot be assumed by Lambda\")");
            }
        }

        // the functions' resource-based policies
        Map<String, List<LambdaPermission>> permissions = new LinkedHashMap<>();
        for (Template.Resource r : resources(template, in, "AWS::Lambda::Permission")) {
            LambdaPermission p = permission(in, r);
            permissions.computeIfAbsent(p.functionName(), k -> new ArrayList<>()).add(p);
        }

        Map<String, String> secrets = new LinkedHashMap<>();
        for (Template.Resource r : resources(template, in, "AWS::SecretsManager::Secret")) {
            String arn = in.ref(r.logicalId(), at(r));
            secrets.put(secretName(arn), arn);
        }
        return new IamModel(roles, functionRoles, permissions, secrets, logGroups, warnings, refusals);
    }

    private static final class RoleBuilder {
        final String logicalId;
        final String name;
        final String arn;
        final String roleId;
        final Map<String, String> tags = new LinkedHashMap<>();
        final List<Policy> policies = new ArrayList<>();
        boolean trustsLambda;

        RoleBuilder(String logicalId, String name, String arn, String roleId) {
            this.logicalId = logicalId;
            this.name = name;
            this.arn = arn;
            this.roleId = roleId;
        }

        Role build() {
            return new Role(logicalId, name, arn, roleId, tags, policies);
        }
    }

    private static LambdaPermission permission(Intrinsics in, Template.Resource r) {
        String target = in.propertyText(r, "FunctionName");
        if (target == null) {
            throw new TemplateException(at(r) + ": an AWS::Lambda::Permission needs a FunctionName");
        }
        String s = target;
        int i = s.indexOf("function:");
        if (i >= 0) {
            s = s.substring(i + "function:".length());
        }
        String qualifier = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            qualifier = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        String other = null;
        for (String p : List.of("EventSourceToken", "PrincipalOrgID", "FunctionUrlAuthType")) {
            if (in.propertyText(r, p) != null) {
                other = p;
            }
        }
        return new LambdaPermission(r.logicalId(), s, qualifier, nameOr(in.propertyText(r, "Action"), ""),
                nameOr(in.propertyText(r, "Principal"), ""), in.propertyText(r, "SourceArn"),
                in.propertyText(r, "SourceAccount"), other);
    }

    private static boolean trustsLambda(JsonNode doc) {
        for (JsonNode s : doc.path("Statement").isArray() ? doc.path("Statement") : List.of(doc.path("Statement"))) {
            if (!"Allow".equals(s.path("Effect").asText())) {
                continue;
            }
            List<String> actions = PolicyParser.strings(s.get("Action"), "Action");
            boolean assume = actions != null && actions.stream().anyMatch(a -> Wildcards.actionMatches(a, "sts:AssumeRole"));
            List<String> services = PolicyParser.strings(s.path("Principal").get("Service"), "Principal.Service");
            boolean lambda = services != null && services.stream().anyMatch(v -> v.equals("lambda.amazonaws.com"))
                    || "*".equals(s.path("Principal").asText(null))
                    || "*".equals(s.path("Principal").path("AWS").asText(null));
            if (assume && lambda) {
                return true;
            }
        }
        return false;
    }

    private static Policy parse(Intrinsics in, Template.Resource r, String name, JsonNode document, String property) {
        return parseDocument(name, at(r), document, at(r) + ".Properties." + property);
    }

    private static Policy parseDocument(String name, String source, JsonNode document, String where) {
        try {
            return PolicyParser.parse(name, source, document);
        } catch (IllegalArgumentException e) {
            throw new TemplateException(where + ": IAM refuses this policy document (MalformedPolicyDocument): "
                    + e.getMessage());
        }
    }

    private static List<Template.Resource> resources(Template template, Intrinsics in, String type) {
        List<Template.Resource> out = new ArrayList<>();
        for (Template.Resource r : template.resources().values()) {
            if (r.type().equals(type) && in.exists(r.logicalId())) {
                out.add(r);
            }
        }
        return out;
    }

    private static Map<String, JsonNode> awsManagedPolicies() {
        try (InputStream s = IamLoader.class.getResourceAsStream(MANAGED_POLICIES)) {
            if (s == null) {
                throw new IllegalStateException(MANAGED_POLICIES + " is not on the class path");
            }
            Map<String, JsonNode> out = new LinkedHashMap<>();
            Template.JSON.readTree(s).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A role's name from a name or an ARN (Roles normally holds names). */
    private static String roleName(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }

    /** A secret's name from its ARN (whose name ends with '-' and six random characters). */
    static String secretName(String arn) {
        int at = arn.indexOf(":secret:");
        if (at < 0) {
            return arn;
        }
        String name = arn.substring(at + ":secret:".length());
        return name.length() > 7 && name.charAt(name.length() - 7) == '-' ? name.substring(0, name.length() - 7) : name;
    }

    private static String nameOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String at(Template.Resource r) {
        return "Resources." + r.logicalId();
    }
}
