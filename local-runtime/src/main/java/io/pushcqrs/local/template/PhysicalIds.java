package io.pushcqrs.local.template;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.pushcqrs.local.template.Intrinsics.ACCOUNT_ID;
import static io.pushcqrs.local.template.Intrinsics.PARTITION;
import static io.pushcqrs.local.template.Intrinsics.REGION;
import static io.pushcqrs.local.template.Intrinsics.URL_SUFFIX;

/**
 * The physical id of every resource (what {@code Ref} answers) and its {@code Fn::GetAtt} attributes.
 * <p>
 * Physical names come from the resource's name property (TableName, QueueName, FunctionName...) or, when it has
 * none, are derived from the stack name and logical id the way CloudFormation does, but deterministically (a hash
 * instead of a random suffix), so that ids and URLs stay the same from one start to the next. Values only the
 * backend knows (a table's stream ARN, a queue's URL) are set by the loaders after provisioning, through
 * {@link #setAttribute} and {@link #setRef}.
 */
final class PhysicalIds {
    private final Template template;
    private final Intrinsics in;
    private final String queueUrlBase;
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, String> attributes = new HashMap<>();
    private final Set<String> computing = new HashSet<>();

    PhysicalIds(Template template, Intrinsics in, String queueUrlBase) {
        this.template = template;
        this.in = in;
        this.queueUrlBase = queueUrlBase;
    }

    /** What Ref answers for a resource. */
    String ref(String logicalId, String where) {
        Template.Resource r = resource(logicalId, "Ref " + logicalId, where);
        String known = refs.get(logicalId);
        if (known != null) {
            return known;
        }
        if (!computing.add(logicalId)) {
            throw new TemplateException(where + ": the name of " + logicalId + " depends on itself");
        }
        try {
            String value = computeRef(r);
            refs.put(logicalId, value);
            return value;
        } finally {
            computing.remove(logicalId);
        }
    }

    /** What Fn::GetAtt answers for a resource's attribute. */
    String getAtt(String logicalId, String attribute, String where) {
        Template.Resource r = resource(logicalId, "Fn::GetAtt " + logicalId + "." + attribute, where);
        String known = attributes.get(logicalId + "." + attribute);
        if (known != null) {
            return known;
        }
        ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
        if (!info.attributes().contains(attribute)) {
            throw new TemplateException(where + ": Fn::GetAtt " + logicalId + "." + attribute + ": the local stack"
                    + " knows no attribute " + attribute + " of " + r.type()
                    + (info.attributes().isEmpty() ? " (it answers none)" : "; it answers: " + String.join(", ", info.attributes())));
        }
        String value = computeAttribute(r, attribute, where);
        attributes.put(logicalId + "." + attribute, value);
        return value;
    }

    /** Sets what Ref answers for a resource (a queue's URL as the backend made it). */
    void setRef(String logicalId, String value) {
        refs.put(logicalId, value);
    }

    /** Sets a Fn::GetAtt attribute (a table's StreamArn as the backend made it). */
    void setAttribute(String logicalId, String attribute, String value) {
        attributes.put(logicalId + "." + attribute, value);
    }

    private Template.Resource resource(String logicalId, String what, String where) {
        Template.Resource r = template.resource(logicalId);
        if (r == null) {
            throw new TemplateException(where + ": " + what + ": the template has no resource or parameter "
                    + logicalId);
        }
        if (ResourceTypes.info(r.type()) == null) {
            throw new TemplateException(ResourceTypes.unsupported(logicalId, r.type()));
        }
        return r;
    }

    private String computeRef(Template.Resource r) {
        switch (r.type()) {
            case "AWS::SQS::Queue":
                return queueUrlBase + "/" + ACCOUNT_ID + "/" + name(r);
            case "AWS::Lambda::EventSourceMapping":
                return UUID.nameUUIDFromBytes((template.stackName() + "/" + r.logicalId()).getBytes(StandardCharsets.UTF_8))
                        .toString();
            case "AWS::ApiGateway::Stage": {
                String stage = in.propertyText(r, "StageName");
                if (stage == null) {
                    throw new TemplateException("Resources." + r.logicalId() + ": an AWS::ApiGateway::Stage needs a StageName");
                }
                return stage;
            }
            default: {
                ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
                return info.nameProperty() != null ? name(r) : id(r.logicalId(), 10);
            }
        }
    }

    private String computeAttribute(Template.Resource r, String attribute, String where) {
        String id = r.logicalId();
        switch (r.type() + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn":
                return arn("dynamodb", "table/" + ref(id, where));
            case "AWS::DynamoDB::Table.StreamArn":
                if (!r.property("StreamSpecification").isObject()) {
                    throw new TemplateException(where + ": Fn::GetAtt " + id + ".StreamArn: the table has no"
                            + " StreamSpecification");
                }
                return arn("dynamodb", "table/" + ref(id, where) + "/stream/1970-01-01T00:00:00.000");
            case "AWS::SQS::Queue.Arn":
                return arn("sqs", name(r));
            case "AWS::SQS::Queue.QueueName":
                return name(r);
            case "AWS::SQS::Queue.QueueUrl":
                return ref(id, where);
            case "AWS::Lambda::Function.Arn":
                return arn("lambda", "function:" + ref(id, where));
            case "AWS::Lambda::EventSourceMapping.EventSourceMappingArn":
                return arn("lambda", "event-source-mapping:" + ref(id, where));
            case "AWS::ApiGateway::RestApi.RootResourceId":
                return id(id + "/root", 10);
            case "AWS::S3::Bucket.Arn":
                return "arn:" + PARTITION + ":s3:::" + ref(id, where);
            case "AWS::S3::Bucket.DomainName":
                return ref(id, where) + ".s3." + URL_SUFFIX;
            case "AWS::S3::Bucket.RegionalDomainName":
                return ref(id, where) + ".s3." + REGION + "." + URL_SUFFIX;
            case "AWS::S3::Bucket.DualStackDomainName":
                return ref(id, where) + ".s3.dualstack." + REGION + "." + URL_SUFFIX;
            case "AWS::S3::Bucket.WebsiteURL":
                return "http://" + ref(id, where) + ".s3-website-" + REGION + "." + URL_SUFFIX;
            case "AWS::ECR::Repository.Arn":
                return arn("ecr", "repository/" + ref(id, where));
            case "AWS::ECR::Repository.RepositoryUri":
                return ACCOUNT_ID + ".dkr.ecr." + REGION + "." + URL_SUFFIX + "/" + ref(id, where);
            case "AWS::SSM::Parameter.Type":
                return in.propertyText(r, "Type");
            case "AWS::SSM::Parameter.Value":
                return in.propertyText(r, "Value");
            case "AWS::IAM::Role.Arn":
                return "arn:" + PARTITION + ":iam::" + ACCOUNT_ID + ":role/" + ref(id, where);
            case "AWS::IAM::Role.RoleId":
                return "AROA" + id(id, 17).toUpperCase();
            case "AWS::IAM::ManagedPolicy.PolicyArn":
                return "arn:" + PARTITION + ":iam::" + ACCOUNT_ID + ":policy/" + ref(id, where);
            case "AWS::Logs::LogGroup.Arn":
                return arn("logs", "log-group:" + ref(id, where) + ":*");
            case "AWS::CloudWatch::Alarm.Arn":
                return arn("cloudwatch", "alarm:" + ref(id, where));
            default:
                // RestApiId, ResourceId, DeploymentId, APIKeyId, Id, RequestValidatorId...: the Ref value
                return ref(id, where);
        }
    }

    /** The physical name of a resource that has a name property: the property, or a derived name. */
    private String name(Template.Resource r) {
        ResourceTypes.TypeInfo info = ResourceTypes.info(r.type());
        String given = info.nameProperty() == null ? null : in.propertyText(r, info.nameProperty());
        if (given != null && !given.isEmpty()) {
            return given;
        }
        boolean fifo = r.type().equals("AWS::SQS::Queue") && "true".equalsIgnoreCase(in.propertyText(r, "FifoQueue"));
        int max = switch (r.type()) {
            case "AWS::SQS::Queue" -> fifo ? 75 : 80;
            case "AWS::Lambda::Function", "AWS::IAM::Role" -> 64;
            case "AWS::S3::Bucket" -> 63;
            default -> 255;
        };
        // S3 bucket and ECR repository names are lower case
        boolean lower = r.type().equals("AWS::S3::Bucket") || r.type().equals("AWS::ECR::Repository");
        String suffix = "-" + (lower ? id(r.logicalId(), 12) : id(r.logicalId(), 12).toUpperCase());
        String base = template.stackName() + "-" + r.logicalId();
        if (lower) {
            base = base.toLowerCase(java.util.Locale.ROOT);
        }
        if (base.length() + suffix.length() > max) {
            base = base.substring(0, max - suffix.length());
        }
        return base + suffix + (fifo ? ".fifo" : "");
    }

    String stackId() {
        if (template.stackId() != null) {
            return template.stackId();
        }
        return "arn:" + PARTITION + ":cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + template.stackName() + "/"
                + UUID.nameUUIDFromBytes(template.stackName().getBytes(StandardCharsets.UTF_8));
    }

    private static String arn(String service, String resource) {
        return "arn:" + PARTITION + ":" + service + ":" + REGION + ":" + ACCOUNT_ID + ":" + resource;
    }

    /** A deterministic id of lowercase letters and digits (like API Gateway ids) derived from a seed. */
    String id(String seed, int length) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((template.stackName() + "/" + seed).getBytes(StandardCharsets.UTF_8));
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; sb.length() < length; i++) {
                sb.append(alphabet.charAt((hash[i % hash.length] & 0xff) % alphabet.length()));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
