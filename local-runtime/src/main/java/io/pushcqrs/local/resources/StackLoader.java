package io.pushcqrs.local.resources;

import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.ResourceTypes;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a synthesized template into a running stack's model: checks every resource type against
 * {@link ResourceTypes}, then runs one {@link ResourceLoader} per resource family, in order: tables and queues are
 * created in the {@link Backend} (capturing the stream ARNs and queue URLs it answers), then the function specs, event
 * source mapping specs and REST API models are built, and the outputs resolved.
 * <p>
 * Anything it cannot honour fails the load with a {@link TemplateException} naming the logical id and the
 * supported alternatives; settings it accepts without honouring them are listed in {@link StackModel#warnings()}.
 */
public final class StackLoader {
    /** The loaders, in the order they run: a loader may use what the ones before it built. */
    static final List<ResourceLoader> LOADERS = List.of(
            new TableLoader(),
            new QueueLoader(),
            new SecretLoader(),
            new BucketLoader(),
            new RepositoryLoader(),
            new ParameterLoader(),
            new RoleLoader(),
            new FunctionLoader(),
            new EventSourceMappingLoader(),
            new RestApiLoader());

    private final Template template;
    private final Intrinsics in;
    private final String publicEndpoint;
    private final String apiKeyOverride;

    /**
     * @param template       the synthesized template
     * @param publicEndpoint the edge endpoint clients use (http://127.0.0.1:4566): queue URLs and API URLs use it
     * @param apiKeyOverride the value every API key gets instead of the template's Value or a random one; null for none
     */
    public StackLoader(Template template, String publicEndpoint, String apiKeyOverride) {
        this.template = template;
        this.publicEndpoint = publicEndpoint.endsWith("/") ? publicEndpoint.substring(0, publicEndpoint.length() - 1)
                : publicEndpoint;
        this.apiKeyOverride = apiKeyOverride == null || apiKeyOverride.isBlank() ? null : apiKeyOverride;
        this.in = new Intrinsics(template, this.publicEndpoint);
    }

    public Intrinsics intrinsics() {
        return in;
    }

    /**
     * Fails when a resource type is not supported (all of them named in one message); creates nothing. Resources whose
     * Condition is false are not created, so they are not checked.
     */
    public Map<String, Integer> check() {
        List<String> unsupported = new ArrayList<>();
        Map<String, Integer> ignored = new TreeMap<>();
        for (Template.Resource r : template.resources().values()) {
            if (r.condition() != null && !in.exists(r.logicalId())) {
                continue;
            }
            ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
            if (info == null) {
                unsupported.add(r.logicalId() + " (" + r.type() + ")");
            } else if (info.kind() == ResourceTypes.Kind.IGNORED) {
                ignored.merge(r.type(), 1, Integer::sum);
            }
        }
        if (unsupported.size() == 1) {
            String[] p = unsupported.get(0).split(" \\(", 2);
            throw new TemplateException(ResourceTypes.unsupported(p[0], p[1].substring(0, p[1].length() - 1)));
        }
        if (!unsupported.isEmpty()) {
            throw new TemplateException("the template has resources of types the local stack does not support: "
                    + String.join(", ", unsupported) + ". Supported: " + ResourceTypes.list(ResourceTypes.Kind.PROVISIONED)
                    + " (created in moto); " + ResourceTypes.list(ResourceTypes.Kind.EMULATED) + " (emulated); accepted and"
                    + " ignored: " + ResourceTypes.list(ResourceTypes.Kind.IGNORED) + ".");
        }
        return ignored;
    }

    /** Checks, provisions tables and queues in the backend, and builds the model. */
    public StackModel load(Backend backend) {
        Map<String, Integer> ignored = check();
        LoadContext ctx = new LoadContext(template, in, backend, publicEndpoint, apiKeyOverride);
        for (ResourceLoader loader : LOADERS) {
            loader.load(ctx);
        }
        return new StackModel(template.stackName(), ctx.tables, ctx.queues, ctx.functions, ctx.mappings, ctx.apis,
                new Outputs(ctx).resolve(), ignored, ctx.warnings, provisioned(ctx));
    }

    /** Every resource the loaders created in the backend, in creation order (the order of {@link #LOADERS}). */
    private static List<StackModel.Provisioned> provisioned(LoadContext ctx) {
        List<StackModel.Provisioned> out = new ArrayList<>();
        for (String type : PROVISIONED_ORDER) {
            for (Template.Resource r : ctx.resources(type)) {
                out.add(new StackModel.Provisioned(r.logicalId(), type, ctx.in.ref(r.logicalId(), LoadContext.at(r)),
                        ctx.attachments.getOrDefault(r.logicalId(), List.of())));
            }
        }
        return out;
    }

    /** The types created in the backend, in the order the loaders create them. */
    static final List<String> PROVISIONED_ORDER = List.of("AWS::DynamoDB::Table", "AWS::SQS::Queue",
            "AWS::SecretsManager::Secret", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::ECR::Repository",
            "AWS::SSM::Parameter", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::Policy");

    /** An execute-api URL of the template rewritten to LocalStack's form on the edge; other values unchanged. */
    String localUrl(String value) {
        return new Outputs(new LoadContext(template, in, null, publicEndpoint, apiKeyOverride)).localUrl(value);
    }

    /**
     * The mapping's checkpoint id: its logical id plus a hash of the stream ARN (see
     * {@link EventSourceMappingLoader#checkpointId}).
     */
    public static String checkpointId(String logicalId, String streamArn) {
        return EventSourceMappingLoader.checkpointId(logicalId, streamArn);
    }
}
