package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AWS::SecretsManager::Secret resources: read from the template, created in the {@link Backend} (moto's Secrets
 * Manager), and their Ref / Fn::GetAtt Id set to the ARN the backend answers, as CloudFormation does. What AWS
 * refuses (SecretString and GenerateSecretString together, SecretStringTemplate without GenerateStringKey, a
 * template that is not a JSON object, a length outside 1..4096) fails the load naming the resource.
 */
final class SecretLoader implements ResourceLoader {
    private static final Set<String> PROPERTIES = Set.of("Name", "Description", "SecretString", "GenerateSecretString",
            "Tags");
    private static final Set<String> GENERATE_PROPERTIES = Set.of("PasswordLength", "ExcludeCharacters",
            "ExcludeLowercase", "ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase", "IncludeSpace",
            "RequireEachIncludedType", "SecretStringTemplate", "GenerateStringKey");

    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::SecretsManager::Secret")) {
            provision(r, ctx.in, ctx.backend, ctx.warnings); // before the functions whose environment names it
        }
    }

    /** Creates the secret of {@code r} and answers its ARN (also what Ref and Fn::GetAtt Id answer from now on). */
    static String provision(Template.Resource r, Intrinsics in, Backend backend, List<String> warnings) {
        SecretSpec spec = spec(r, in, warnings);
        String arn = backend.ensureSecret(spec);
        in.setRef(r.logicalId(), arn);
        in.setAttribute(r.logicalId(), "Id", arn);
        return arn;
    }

    static SecretSpec spec(Template.Resource r, Intrinsics in, List<String> warnings) {
        String at = "Resources." + r.logicalId();
        String name = in.propertyText(r, "Name");
        if (name == null || name.isBlank()) {
            // CloudFormation names it after the logical id with a random suffix; here a stable one
            name = r.logicalId() + "-" + in.id(r.logicalId(), 12);
        }
        for (String p : Intrinsics.fieldNames(r.properties())) {
            if (!PROPERTIES.contains(p)) {
                warnings.add("secret " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        in.property(r, "Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        String literal = in.propertyText(r, "SecretString");
        JsonNode generate = in.property(r, "GenerateSecretString");
        boolean generated = generate.isObject();
        if (literal != null && generated) {
            throw new TemplateException(at + ": a secret takes SecretString or GenerateSecretString, not both");
        }
        return new SecretSpec(name, in.propertyText(r, "Description"), literal,
                literal == null ? generate(generated ? generate : null, at, warnings) : null, tags);
    }

    private static SecretSpec.Generate generate(JsonNode g, String at, List<String> warnings) {
        if (g == null) {
            // neither property: AWS generates a 32-character string
            return new SecretSpec.Generate(32, null, false, false, false, false, false, true, null, null);
        }
        for (String p : Intrinsics.fieldNames(g)) {
            if (!GENERATE_PROPERTIES.contains(p)) {
                warnings.add(at + ".GenerateSecretString." + p + " is not applied locally");
            }
        }
        int length = g.path("PasswordLength").asInt(32);
        if (length < 1 || length > 4096) {
            throw new TemplateException(at + ".GenerateSecretString.PasswordLength must be 1..4096, was " + length);
        }
        String template = text(g, "SecretStringTemplate");
        String key = text(g, "GenerateStringKey");
        if ((template == null) != (key == null)) {
            throw new TemplateException(at + ".GenerateSecretString: SecretStringTemplate and GenerateStringKey go"
                    + " together");
        }
        if (template != null) {
            try {
                if (!new com.fasterxml.jackson.databind.ObjectMapper().readTree(template).isObject()) {
                    throw new TemplateException(at + ".GenerateSecretString.SecretStringTemplate is not a JSON object");
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new TemplateException(at + ".GenerateSecretString.SecretStringTemplate is not valid JSON", e);
            }
        }
        return new SecretSpec.Generate(length, text(g, "ExcludeCharacters"), bool(g, "ExcludeLowercase", false),
                bool(g, "ExcludeNumbers", false), bool(g, "ExcludePunctuation", false), bool(g, "ExcludeUppercase", false),
                bool(g, "IncludeSpace", false), bool(g, "RequireEachIncludedType", true), template, key);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? fallback : v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
    }
}
