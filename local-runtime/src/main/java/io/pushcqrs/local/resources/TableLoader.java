package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.pushcqrs.local.resources.LoadContext.at;

/**
 * AWS::DynamoDB::Table: created in the backend with its keys, attribute definitions, GSIs, LSIs, billing mode,
 * stream, TTL and tags; other properties are accepted with a warning. The stream ARN the backend answers becomes
 * the table's {@code StreamArn} wherever the template uses it.
 */
final class TableLoader implements ResourceLoader {
    private static final Set<String> TABLE_PROPERTIES = Set.of("TableName", "AttributeDefinitions", "KeySchema",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput",
            "StreamSpecification", "TimeToLiveSpecification", "Tags",
            // accepted, no local effect:
            "PointInTimeRecoverySpecification", "SSESpecification", "DeletionProtectionEnabled",
            "ContributorInsightsSpecification", "TableClass", "ResourcePolicy", "OnDemandThroughput", "WarmThroughput");

    @Override
    public void load(LoadContext ctx) {
        for (Template.Resource r : ctx.resources("AWS::DynamoDB::Table")) {
            ctx.tables.add(table(ctx, r));
        }
    }

    private static StackModel.Table table(LoadContext ctx, Template.Resource r) {
        String name = ctx.in.ref(r.logicalId(), at(r));
        for (String p : Intrinsics.fieldNames(r.properties())) {
            if (!TABLE_PROPERTIES.contains(p)) {
                ctx.warnings.add("table " + name + " (" + r.logicalId() + "): the property " + p + " is not applied locally");
            }
        }
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(name);
        JsonNode attrs = ctx.in.property(r, "AttributeDefinitions");
        List<AttributeDefinition> definitions = new ArrayList<>();
        for (JsonNode a : attrs) {
            definitions.add(AttributeDefinition.builder().attributeName(a.path("AttributeName").asText())
                    .attributeType(a.path("AttributeType").asText()).build());
        }
        b.attributeDefinitions(definitions);
        JsonNode keySchema = ctx.in.property(r, "KeySchema");
        if (!keySchema.isArray() || keySchema.isEmpty()) {
            throw new TemplateException(at(r) + ": the table " + name + " has no KeySchema");
        }
        b.keySchema(keys(keySchema));
        String billing = ctx.in.propertyText(r, "BillingMode");
        boolean provisioned = billing == null || billing.equals("PROVISIONED");
        b.billingMode(provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST);
        if (provisioned) {
            b.provisionedThroughput(throughput(ctx.in.property(r, "ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (JsonNode g : ctx.in.property(r, "GlobalSecondaryIndexes")) {
            GlobalSecondaryIndex.Builder gb = GlobalSecondaryIndex.builder().indexName(g.path("IndexName").asText())
                    .keySchema(keys(g.path("KeySchema"))).projection(projection(g.path("Projection")));
            if (provisioned) {
                gb.provisionedThroughput(throughput(g.path("ProvisionedThroughput")));
            }
            gsis.add(gb.build());
        }
        if (!gsis.isEmpty()) {
            b.globalSecondaryIndexes(gsis);
        }
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        for (JsonNode l : ctx.in.property(r, "LocalSecondaryIndexes")) {
            lsis.add(LocalSecondaryIndex.builder().indexName(l.path("IndexName").asText())
                    .keySchema(keys(l.path("KeySchema"))).projection(projection(l.path("Projection"))).build());
        }
        if (!lsis.isEmpty()) {
            b.localSecondaryIndexes(lsis);
        }
        JsonNode stream = ctx.in.property(r, "StreamSpecification");
        boolean hasStream = stream.isObject() && stream.hasNonNull("StreamViewType");
        if (hasStream) {
            b.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(stream.path("StreamViewType").asText()).build());
        }
        List<Tag> tags = new ArrayList<>();
        for (JsonNode t : ctx.in.property(r, "Tags")) {
            tags.add(Tag.builder().key(t.path("Key").asText()).value(t.path("Value").asText()).build());
        }
        if (!tags.isEmpty()) {
            b.tags(tags);
        }
        JsonNode ttlNode = ctx.in.property(r, "TimeToLiveSpecification");
        TimeToLiveSpecification ttl = ttlNode.isObject() && ttlNode.path("Enabled").asBoolean(false)
                ? TimeToLiveSpecification.builder().enabled(true).attributeName(ttlNode.path("AttributeName").asText()).build()
                : null;
        String streamArn = ctx.backend.ensureTable(b.build(), ttl);
        if (hasStream) {
            if (streamArn == null) {
                throw new TemplateException(at(r) + ": moto created the table " + name + " without a stream");
            }
            ctx.in.setAttribute(r.logicalId(), "StreamArn", streamArn);
        }
        return new StackModel.Table(r.logicalId(), name, ctx.in.getAtt(r.logicalId(), "Arn", at(r)), hasStream ? streamArn : null);
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (JsonNode k : schema) {
            out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                    .keyType(k.path("KeyType").asText()).build());
        }
        return out;
    }

    private static Projection projection(JsonNode p) {
        Projection.Builder b = Projection.builder().projectionType(p.path("ProjectionType").asText("ALL"));
        if (p.path("NonKeyAttributes").isArray()) {
            List<String> names = new ArrayList<>();
            p.path("NonKeyAttributes").forEach(n -> names.add(n.asText()));
            b.nonKeyAttributes(names);
        }
        return b.build();
    }

    private static ProvisionedThroughput throughput(JsonNode t) {
        return ProvisionedThroughput.builder().readCapacityUnits(t.path("ReadCapacityUnits").asLong(5))
                .writeCapacityUnits(t.path("WriteCapacityUnits").asLong(5)).build();
    }
}
