package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static io.pushcqrs.local.resources.LoadContext.at;
import static io.pushcqrs.local.resources.LoadContext.intValue;

/**
 * AWS::Lambda::EventSourceMapping on a DynamoDB stream of the template, to a function of the template: its
 * settings for the stream poller. Other event sources, FilterCriteria, tumbling windows and non-SQS on-failure
 * destinations are refused; ParallelizationFactor (1..10) runs that many batches per shard at once.
 */
final class EventSourceMappingLoader implements ResourceLoader {
    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::Lambda::EventSourceMapping")) {
            ctx.mappings.add(mapping(ctx, r));
        }
    }

    private static EsmSpec mapping(LoadContext ctx, Template.Resource r) {
        String source = ctx.in.propertyText(r, "EventSourceArn");
        if (source == null || !source.contains(":dynamodb:") || !source.contains("/stream/")) {
            throw new TemplateException(at(r) + ": the event source " + source + " is not a DynamoDB stream; the local"
                    + " stack polls DynamoDB streams only (EventSourceArn: Fn::GetAtt [Table, StreamArn])");
        }
        String target = ctx.in.propertyText(r, "FunctionName");
        FunctionSpec fn = target == null ? null : ctx.findFunction(target);
        if (fn == null) {
            throw new TemplateException(at(r) + ": the mapping's FunctionName " + target + " is not a function of the template");
        }
        for (String unsupported : List.of("FilterCriteria", "TumblingWindowInSeconds", "SelfManagedEventSource")) {
            if (!ctx.in.property(r, unsupported).isMissingNode()) {
                throw new TemplateException(at(r) + ": " + unsupported + " of an event source mapping is not supported"
                        + " by the local stack");
            }
        }
        String where = at(r) + ".Properties.";
        int parallelization = intValue(ctx.in.propertyText(r, "ParallelizationFactor"), 1, where + "ParallelizationFactor");
        if (parallelization < 1 || parallelization > 10) {
            throw new TemplateException(at(r) + ": ParallelizationFactor " + parallelization + " is out of range (1..10)");
        }
        String onFailure = ctx.in.text(ctx.in.property(r, "DestinationConfig").path("OnFailure").path("Destination"),
                where + "DestinationConfig.OnFailure.Destination");
        if (onFailure != null && !onFailure.contains(":sqs:")) {
            throw new TemplateException(at(r) + ": the on-failure destination " + onFailure + " is not an SQS queue;"
                    + " the local stack sends failed batches to SQS queues only");
        }
        boolean reportItemFailures = false;
        for (JsonNode t : ctx.in.property(r, "FunctionResponseTypes")) {
            reportItemFailures |= t.asText().equals("ReportBatchItemFailures");
        }
        String startingPosition = ctx.in.propertyText(r, "StartingPosition");
        String enabled = ctx.in.propertyText(r, "Enabled");
        return new EsmSpec(checkpointId(r.logicalId(), source), fn.name(), fn.arn(), source,
                startingPosition == null ? "LATEST" : startingPosition,
                intValue(ctx.in.propertyText(r, "BatchSize"), 100, where + "BatchSize"),
                intValue(ctx.in.propertyText(r, "MaximumBatchingWindowInSeconds"), 0, where + "MaximumBatchingWindowInSeconds"),
                Boolean.parseBoolean(ctx.in.propertyText(r, "BisectBatchOnFunctionError")),
                intValue(ctx.in.propertyText(r, "MaximumRetryAttempts"), -1, where + "MaximumRetryAttempts"),
                intValue(ctx.in.propertyText(r, "MaximumRecordAgeInSeconds"), -1, where + "MaximumRecordAgeInSeconds"),
                reportItemFailures, onFailure, enabled == null || Boolean.parseBoolean(enabled), parallelization);
    }

    /**
     * The mapping's checkpoint id: its logical id plus a hash of the stream ARN. A new stream (moto starts empty
     * on every start) therefore starts from its StartingPosition instead of an old stream's sequence numbers.
     */
    public static String checkpointId(String logicalId, String streamArn) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(streamArn.getBytes(StandardCharsets.UTF_8));
            return logicalId + "_" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
