package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::SQS::Queue: created in the backend with its attributes and tags. Its URL is the edge's (the path the backend
 * answers, on the public endpoint), and replaces the template's {@code Ref} and {@code QueueUrl} wherever used.
 */
final class QueueLoader implements ResourceLoader {
    private static final Map<String, String> QUEUE_ATTRIBUTES = Map.ofEntries(
            Map.entry("ContentBasedDeduplication", "ContentBasedDeduplication"),
            Map.entry("DeduplicationScope", "DeduplicationScope"),
            Map.entry("DelaySeconds", "DelaySeconds"),
            Map.entry("FifoQueue", "FifoQueue"),
            Map.entry("FifoThroughputLimit", "FifoThroughputLimit"),
            Map.entry("KmsDataKeyReusePeriodSeconds", "KmsDataKeyReusePeriodSeconds"),
            Map.entry("KmsMasterKeyId", "KmsMasterKeyId"),
            Map.entry("MaximumMessageSize", "MaximumMessageSize"),
            Map.entry("MessageRetentionPeriod", "MessageRetentionPeriod"),
            Map.entry("ReceiveMessageWaitTimeSeconds", "ReceiveMessageWaitTimeSeconds"),
            Map.entry("RedriveAllowPolicy", "RedriveAllowPolicy"),
            Map.entry("RedrivePolicy", "RedrivePolicy"),
            Map.entry("SqsManagedSseEnabled", "SqsManagedSseEnabled"),
            Map.entry("VisibilityTimeout", "VisibilityTimeout"));

    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::SQS::Queue")) {
            ctx.queues.add(queue(ctx, r));
        }
    }

    private static StackModel.Queue queue(LoadContext ctx, Template.Resource r) {
        String name = ctx.in.getAtt(r.logicalId(), "QueueName", at(r));
        Map<String, String> attributes = new TreeMap<>();
        Map<String, String> tags = new TreeMap<>();
        for (String p : Intrinsics.fieldNames(r.properties())) {
            JsonNode v = ctx.in.property(r, p);
            if (p.equals("QueueName") || v.isMissingNode()) {
                continue;
            }
            if (p.equals("Tags")) {
                v.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
            } else if (QUEUE_ATTRIBUTES.containsKey(p)) {
                attributes.put(QUEUE_ATTRIBUTES.get(p), v.isContainerNode() ? v.toString() : v.asText());
            } else {
                ctx.warnings.add("queue " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        String url = ctx.backend.ensureQueue(name, attributes, tags);
        String publicUrl = ctx.publicEndpoint + URI.create(url).getRawPath();
        ctx.in.setRef(r.logicalId(), publicUrl);
        ctx.in.setAttribute(r.logicalId(), "QueueUrl", publicUrl);
        return new StackModel.Queue(r.logicalId(), name, ctx.in.getAtt(r.logicalId(), "Arn", at(r)), publicUrl);
    }
}
