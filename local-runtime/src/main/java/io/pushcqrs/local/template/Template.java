package io.pushcqrs.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CloudFormation template as {@code cdk synth} writes it to {@code cdk.out/<StackName>.template.json}, with the
 * folder its assets live in. Only parsing happens here; {@link io.pushcqrs.local.resources.StackLoader} turns it into running resources.
 */
public final class Template {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".template.json";

    private final String stackName;
    private final Path file;
    private final Path assetDir;
    private final JsonNode root;
    private final Map<String, Resource> resources;
    /** Parameter values given for this deployment (CreateChangeSet's Parameters), by name; empty for cdk.out. */
    private final Map<String, String> parameterValues;
    /** The stack's id (what AWS::StackId answers) when a deployment gives one, else null (derived from the name). */
    private final String stackId;

    /** One entry of the Resources section. {@code properties} is an empty object when the template has none. */
    public record Resource(String logicalId, String type, JsonNode properties, JsonNode metadata, String condition) {
        /** A property, or a MissingNode. */
        public JsonNode property(String name) {
            return properties.path(name);
        }

        /** Metadata value as text, or null. */
        public String metadata(String key) {
            JsonNode v = metadata.path(key);
            return v.isValueNode() ? v.asText() : null;
        }
    }

    private Template(String stackName, Path file, Path assetDir, JsonNode root) {
        this(stackName, file, assetDir, root, Map.of(), null);
    }

    private Template(String stackName, Path file, Path assetDir, JsonNode root, Map<String, String> parameterValues,
                     String stackId) {
        this.stackName = stackName;
        this.file = file;
        this.assetDir = assetDir;
        this.root = root;
        this.parameterValues = Map.copyOf(parameterValues);
        this.stackId = stackId;
        JsonNode res = root.path("Resources");
        if (!res.isObject() || res.isEmpty()) {
            throw new TemplateException(where() + " has no Resources: is it a CloudFormation template?");
        }
        Map<String, Resource> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : res.properties()) {
            JsonNode r = e.getValue();
            JsonNode type = r.path("Type");
            if (!type.isTextual()) {
                throw new TemplateException(where() + ": resource " + e.getKey() + " has no Type");
            }
            JsonNode props = r.path("Properties");
            JsonNode condition = r.path("Condition");
            map.put(e.getKey(), new Resource(e.getKey(), type.asText(),
                    props.isObject() ? props : JSON.createObjectNode(),
                    r.path("Metadata").isObject() ? r.path("Metadata") : JSON.createObjectNode(),
                    condition.isTextual() ? condition.asText() : null));
        }
        this.resources = Collections.unmodifiableMap(map);
    }

    /**
     * Loads {@code <cdkOut>/<stackName>.template.json}; with a null stack name the one template in the folder.
     * Fails with a message that says what to run when the folder or the template is missing.
     */
    public static Template load(Path cdkOut, String stackName) {
        if (!Files.isDirectory(cdkOut)) {
            throw new TemplateException("no cdk.out folder at " + cdkOut.toAbsolutePath().normalize()
                    + ": synthesize the CDK app first (npx cdk synth), or start the stack with scripts/local-up.sh,"
                    + " which does it for you");
        }
        List<Path> templates = templates(cdkOut);
        Path chosen;
        if (stackName != null && !stackName.isBlank()) {
            chosen = cdkOut.resolve(stackName + SUFFIX);
            if (!Files.isRegularFile(chosen)) {
                throw new TemplateException("no template for stack " + stackName + " in " + cdkOut.toAbsolutePath().normalize()
                        + " (it holds: " + names(templates) + ")");
            }
        } else if (templates.isEmpty()) {
            throw new TemplateException("no *" + SUFFIX + " in " + cdkOut.toAbsolutePath().normalize()
                    + ": synthesize the CDK app first (npx cdk synth), or start the stack with scripts/local-up.sh");
        } else if (templates.size() > 1) {
            throw new TemplateException(cdkOut.toAbsolutePath().normalize() + " holds several stacks (" + names(templates)
                    + "): choose one with --stack");
        } else {
            chosen = templates.get(0);
        }
        String name = chosen.getFileName().toString();
        name = name.substring(0, name.length() - SUFFIX.length());
        try {
            return parse(JSON.readTree(chosen.toFile()), name, chosen, cdkOut);
        } catch (JsonProcessingException e) {
            throw new TemplateException(chosen + " is not valid JSON (" + e.getOriginalMessage() + "): synthesize again", e);
        } catch (IOException e) {
            throw new TemplateException("cannot read " + chosen + ": " + e.getMessage(), e);
        }
    }

    /** A template from a JSON tree (tests); assets are looked up in {@code assetDir}. */
    public static Template parse(JsonNode root, String stackName, Path file, Path assetDir) {
        if (root == null || !root.isObject()) {
            throw new TemplateException((file == null ? "the template" : file.toString()) + " is not a JSON object");
        }
        return new Template(stackName, file, assetDir, root);
    }

    private static List<Path> templates(Path cdkOut) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cdkOut, "*" + SUFFIX)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new TemplateException("cannot list " + cdkOut + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static String names(List<Path> templates) {
        if (templates.isEmpty()) {
            return "no templates";
        }
        List<String> n = new ArrayList<>();
        for (Path p : templates) {
            String f = p.getFileName().toString();
            n.add(f.substring(0, f.length() - SUFFIX.length()));
        }
        return String.join(", ", n);
    }

    private String where() {
        return file == null ? "the template of " + stackName : file.toString();
    }

    public String stackName() {
        return stackName;
    }

    /**
     * The same template with parameter values given for a deployment (CreateChangeSet's Parameters; list parameters
     * comma separated, SSM parameter types already resolved to their value). A parameter without a value takes its
     * Default.
     */
    public Template withParameterValues(Map<String, String> values) {
        return new Template(stackName, file, assetDir, root, values, stackId);
    }

    /** The same template for the stack with this id (the CloudFormation API's stack ARN, what AWS::StackId answers). */
    public Template withStackId(String id) {
        return new Template(stackName, file, assetDir, root, parameterValues, id);
    }

    /** The stack id a deployment gave, or null. */
    public String stackId() {
        return stackId;
    }

    /** The value given for a parameter, or null (then its Default applies). */
    public String parameterValue(String name) {
        return parameterValues.get(name);
    }

    /** The parameter values given for this deployment. */
    public Map<String, String> parameterValues() {
        return parameterValues;
    }

    /** The template file (null for a parsed tree). */
    public Path file() {
        return file;
    }

    /**
     * The folder asset paths of the metadata are relative to (cdk.out); null for a template deployed through the
     * CloudFormation API (its functions' code is read from S3, as on AWS).
     */
    public Path assetDir() {
        return assetDir;
    }

    public JsonNode root() {
        return root;
    }

    /** Resources in template order. */
    public Map<String, Resource> resources() {
        return resources;
    }

    public Resource resource(String logicalId) {
        return resources.get(logicalId);
    }

    public JsonNode parameters() {
        return section("Parameters");
    }

    public JsonNode mappings() {
        return section("Mappings");
    }

    public JsonNode conditions() {
        return section("Conditions");
    }

    public JsonNode outputs() {
        return section("Outputs");
    }

    private JsonNode section(String name) {
        JsonNode n = root.path(name);
        return n.isObject() ? n : MissingNode.getInstance();
    }
}
