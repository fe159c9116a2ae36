package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.pushcqrs.local.resources.LoadContext.at;
import static io.pushcqrs.local.resources.LoadContext.intValue;

/**
 * AWS::Lambda::Function: java runtimes with a jar asset of the cloud assembly; Handler, Timeout, MemorySize and
 * Environment.Variables, Runtime (which Java runs it) and ReservedConcurrentExecutions. Container images, inline code
 * and other runtimes are refused; Layers are accepted with a warning.
 */
final class FunctionLoader implements ResourceLoader {
    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::Lambda::Function")) {
            ctx.functions.add(function(ctx, r));
        }
    }

    private static FunctionSpec function(LoadContext ctx, Template.Resource r) {
        String name = ctx.in.ref(r.logicalId(), at(r));
        String packageType = ctx.in.propertyText(r, "PackageType");
        if ("Image".equals(packageType)) {
            throw new TemplateException(at(r) + ": the function " + name + " is a container image; the local stack"
                    + " runs java runtimes from a jar asset only");
        }
        String runtime = ctx.in.propertyText(r, "Runtime");
        if (runtime == null || !runtime.startsWith("java")) {
            throw new TemplateException(at(r) + ": the function " + name + " has runtime " + runtime
                    + "; the local stack runs java runtimes only (java8.al2, java11, java17, java21...)");
        }
        String handler = ctx.in.propertyText(r, "Handler");
        if (handler == null || handler.isBlank()) {
            throw new TemplateException(at(r) + ": the function " + name + " has no Handler");
        }
        Path code = code(ctx, r, name);
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode variables = ctx.in.property(r, "Environment").path("Variables");
        for (Map.Entry<String, JsonNode> e : variables.properties()) {
            environment.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        int envBytes = environmentSize(environment);
        if (envBytes > MAX_ENVIRONMENT_BYTES) {
            // what Lambda answers CreateFunction with, so CloudFormation fails the deployment
            throw new TemplateException(at(r) + ": Lambda was unable to configure your environment variables because the"
                    + " environment variables you have provided exceeded the 4KB limit (" + envBytes + " bytes measured"
                    + " as JSON) for function " + name);
        }
        // added by Lambda from LoggingConfig: not the template's variables, not in the 4 KB
        JsonNode logging = ctx.in.property(r, "LoggingConfig");
        environment.putAll(FunctionSpec.loggingEnvironment(logging.path("LogFormat").asText(null),
                logging.path("ApplicationLogLevel").asText(null)));
        if (!ctx.in.property(r, "Layers").isMissingNode() && !ctx.in.property(r, "Layers").isEmpty()) {
            ctx.warnings.add("function " + name + ": Layers are not loaded locally");
        }
        int reserved = intValue(ctx.in.propertyText(r, "ReservedConcurrentExecutions"), FunctionSpec.UNRESERVED,
                at(r) + ".Properties.ReservedConcurrentExecutions");
        if (reserved < FunctionSpec.UNRESERVED) {
            throw new TemplateException(at(r) + ": ReservedConcurrentExecutions " + reserved + " is not valid (0 or more)");
        }
        int timeout = intValue(ctx.in.propertyText(r, "Timeout"), 3, at(r) + ".Properties.Timeout");
        int memory = intValue(ctx.in.propertyText(r, "MemorySize"), 128, at(r) + ".Properties.MemorySize");
        if (timeout < 1 || timeout > 900) {
            throw new TemplateException(at(r) + ": Timeout " + timeout + " is out of Lambda's range (1..900 seconds)");
        }
        if (memory < 128 || memory > 10_240) {
            throw new TemplateException(at(r) + ": MemorySize " + memory + " is out of Lambda's range (128..10240 MB)");
        }
        return new FunctionSpec(name, ctx.in.getAtt(r.logicalId(), "Arn", at(r)), handler, code, environment, timeout, memory,
                runtime, reserved);
    }

    /** Lambda's limit for a function's environment variables: 4 KB, measured as their JSON. */
    static final int MAX_ENVIRONMENT_BYTES = 4096;

    static int environmentSize(Map<String, String> environment) {
        try {
            return Template.JSON.writeValueAsBytes(environment).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path code(LoadContext ctx, Template.Resource r, String name) {
        if (ctx.template.assetDir() == null) {
            return s3Code(ctx, r, name); // deployed through the CloudFormation API: the code is in S3, as on AWS
        }
        String assetPath = r.metadata("aws:asset:path");
        String assetProperty = r.metadata("aws:asset:property");
        if (assetPath != null && (assetProperty == null || assetProperty.equals("Code"))) {
            Path p = ctx.template.assetDir().resolve(assetPath).normalize();
            if (!Files.exists(p)) {
                throw new TemplateException(at(r) + ": the code of function " + name + " (" + p + ") is missing:"
                        + " synthesize again (npx cdk synth, or scripts/local-up.sh)");
            }
            return p;
        }
        JsonNode codeNode = r.property("Code");
        if (codeNode.has("ZipFile")) {
            throw new TemplateException(at(r) + ": the function " + name + " has inline code (Code.ZipFile); the"
                    + " local stack runs jar assets only");
        }
        String key = ctx.in.text(codeNode.path("S3Key"), at(r) + ".Properties.Code.S3Key");
        if (key != null) {
            Path p = ctx.template.assetDir().resolve("asset." + key);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new TemplateException(at(r) + ": cannot find the code of function " + name + " in "
                + ctx.template.assetDir() + ": the resource has no aws:asset:path metadata (synthesize with asset"
                + " metadata on, as `cdk synth` does by default)");
    }

    /** Code.S3Bucket / S3Key, fetched from the backend's S3 (where {@code cdk deploy} published the asset). */
    private static Path s3Code(LoadContext ctx, Template.Resource r, String name) {
        JsonNode codeNode = r.property("Code");
        if (codeNode.has("ZipFile") || codeNode.has("ImageUri")) {
            throw new TemplateException(at(r) + ": the function " + name + " has " + (codeNode.has("ZipFile")
                    ? "inline code (Code.ZipFile)" : "a container image (Code.ImageUri)")
                    + "; the local stack runs java code from a jar in S3 (Code.S3Bucket and Code.S3Key)");
        }
        String bucket = ctx.in.text(codeNode.path("S3Bucket"), at(r) + ".Properties.Code.S3Bucket");
        String key = ctx.in.text(codeNode.path("S3Key"), at(r) + ".Properties.Code.S3Key");
        if (bucket == null || key == null) {
            throw new TemplateException(at(r) + ": the function " + name + " needs Code.S3Bucket and Code.S3Key");
        }
        Path p = ctx.backend.functionCode(bucket, key);
        if (p == null) {
            throw new TemplateException(at(r) + ": the function " + name + "'s code is in S3 (s3://" + bucket + "/" + key
                    + "), which this backend cannot read");
        }
        return p;
    }
}
