package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::ECR::Repository: created in the backend (moto's ECR) with its tag mutability, scan on push, lifecycle policy,
 * repository policy and tags ({@code cdk bootstrap}'s container asset repository). The local stack runs no images.
 */
final class RepositoryLoader implements ResourceLoader {
    private static final Set<String> APPLIED = Set.of("RepositoryName", "ImageTagMutability",
            "ImageScanningConfiguration", "LifecyclePolicy", "RepositoryPolicyText", "Tags");

    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::ECR::Repository")) {
            String name = ctx.in.ref(r.logicalId(), at(r));
            for (String p : Intrinsics.fieldNames(r.properties())) {
                if (!APPLIED.contains(p)) {
                    ctx.warnings.add("repository " + name + " (" + r.logicalId() + "): the property " + p
                            + " is not applied locally");
                }
            }
            JsonNode policy = ctx.in.property(r, "RepositoryPolicyText");
            Map<String, String> tags = new LinkedHashMap<>();
            ctx.in.property(r, "Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
            ctx.backend.ensureRepository(new ResourceSpecs.Repository(name,
                    ctx.in.propertyText(r, "ImageTagMutability"),
                    ctx.in.property(r, "ImageScanningConfiguration").path("ScanOnPush").asBoolean(false),
                    ctx.in.property(r, "LifecyclePolicy").path("LifecyclePolicyText").asText(null),
                    policy.isMissingNode() ? null : BucketLoader.json(policy), tags));
        }
    }
}
