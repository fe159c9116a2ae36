package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::S3::Bucket and AWS::S3::BucketPolicy: created in the backend (moto's S3) with the bucket's versioning, default
 * encryption, public access block and tags, then the policies. {@code cdk bootstrap}'s asset bucket is one: the CDK
 * CLI uploads the templates and the functions' code to it. Other bucket properties are accepted with a warning.
 */
final class BucketLoader implements ResourceLoader {
    private static final Set<String> APPLIED = Set.of("BucketName", "VersioningConfiguration", "BucketEncryption",
            "PublicAccessBlockConfiguration", "Tags");

    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::S3::Bucket")) {
            ctx.backend.ensureBucket(bucket(ctx, r));
        }
        for (Template.Resource r : ctx.resources("AWS::S3::BucketPolicy")) {
            String bucket = ctx.in.propertyText(r, "Bucket");
            JsonNode document = ctx.in.property(r, "PolicyDocument");
            if (bucket == null || document.isMissingNode()) {
                throw new TemplateException(at(r) + ": an AWS::S3::BucketPolicy needs a Bucket and a PolicyDocument");
            }
            ctx.backend.putBucketPolicy(new ResourceSpecs.BucketPolicy(bucket, json(document)));
            ctx.in.setRef(r.logicalId(), bucket);
        }
    }

    private static ResourceSpecs.Bucket bucket(LoadContext ctx, Template.Resource r) {
        String name = ctx.in.ref(r.logicalId(), at(r));
        if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new TemplateException(at(r) + ": the bucket name " + name + " is not valid (3-63 lower-case letters,"
                    + " digits, dots and dashes)");
        }
        for (String p : Intrinsics.fieldNames(r.properties())) {
            if (!APPLIED.contains(p)) {
                ctx.warnings.add("bucket " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        boolean versioning = "Enabled".equals(ctx.in.property(r, "VersioningConfiguration").path("Status").asText());
        String sse = null;
        String kmsKey = null;
        JsonNode rules = ctx.in.property(r, "BucketEncryption").path("ServerSideEncryptionConfiguration");
        if (rules.isArray() && !rules.isEmpty()) {
            JsonNode byDefault = rules.get(0).path("ServerSideEncryptionByDefault");
            sse = byDefault.path("SSEAlgorithm").asText(null);
            kmsKey = byDefault.path("KMSMasterKeyID").asText(null);
        }
        Map<String, Boolean> block = null;
        JsonNode pab = ctx.in.property(r, "PublicAccessBlockConfiguration");
        if (pab.isObject()) {
            block = new LinkedHashMap<>();
            for (String k : new String[]{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}) {
                block.put(k, pab.path(k).asBoolean(false));
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        ctx.in.property(r, "Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return new ResourceSpecs.Bucket(name, versioning, sse, kmsKey, block, tags);
    }

    /** A policy document as JSON text (the template may give it as an object or as a string). */
    static String json(JsonNode document) {
        return document.isTextual() ? document.asText() : document.toString();
    }
}
