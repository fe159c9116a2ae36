package io.pushcqrs.local.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every CloudFormation resource type the local stack accepts, and what it does with it. A type that is not
 * listed here makes the template fail to load, with a message naming it and this list: nothing is skipped
 * silently.
 */
public final class ResourceTypes {

    /** What the local stack does with a type. */
    public enum Kind {
        /** created in the AWS backend (moto) */
        PROVISIONED,
        /** run by the local stack itself (Lambda runtime, stream pollers, API Gateway) */
        EMULATED,
        /** accepted and not emulated: nothing in the local stack enforces or records it */
        IGNORED
    }

    /**
     * @param type           the CloudFormation type
     * @param kind           what happens with it
     * @param nameProperty   the property that names the physical resource, or null
     * @param attributes     the Fn::GetAtt attributes the local stack can answer
     * @param note           what the local stack does with it, for the documentation and messages
     */
    public record TypeInfo(String type, Kind kind, String nameProperty, List<String> attributes, String note) {
    }

    private static final Map<String, TypeInfo> TYPES = new LinkedHashMap<>();

    static {
        add("AWS::DynamoDB::Table", Kind.PROVISIONED, "TableName", List.of("Arn", "StreamArn"),
                "created in moto with its keys, GSIs/LSIs, billing mode, stream and TTL");
        add("AWS::SQS::Queue", Kind.PROVISIONED, "QueueName", List.of("Arn", "QueueName", "QueueUrl"),
                "created in moto with its attributes");
        add("AWS::SecretsManager::Secret", Kind.PROVISIONED, "Name", List.of("Id"),
                "created in moto with its SecretString or a value generated per GenerateSecretString; Ref is its ARN");
        add("AWS::S3::Bucket", Kind.PROVISIONED, "BucketName", List.of("Arn", "DomainName", "RegionalDomainName",
                        "DualStackDomainName", "WebsiteURL"),
                "created in moto with its versioning, encryption and public access block (cdk bootstrap's asset bucket)");
        add("AWS::S3::BucketPolicy", Kind.PROVISIONED, null, List.of(),
                "kept by the local stack, not set in moto (moto 5.2.1 would deny every request of cdk bootstrap's"
                        + " SSL-only policy); not enforced");
        add("AWS::ECR::Repository", Kind.PROVISIONED, "RepositoryName", List.of("Arn", "RepositoryUri"),
                "created in moto (cdk bootstrap's container asset repository); no images are run");
        add("AWS::SSM::Parameter", Kind.PROVISIONED, "Name", List.of("Type", "Value"),
                "a String or StringList parameter created in moto (cdk bootstrap's version parameter)");
        add("AWS::Lambda::Function", Kind.EMULATED, "FunctionName", List.of("Arn"),
                "run in its own JVMs by the local Lambda runtime (java runtimes, code from the cdk.out asset)");
        add("AWS::Lambda::EventSourceMapping", Kind.EMULATED, null, List.of("Id", "EventSourceMappingArn"),
                "a stream poller (DynamoDB streams only)");
        add("AWS::ApiGateway::RestApi", Kind.EMULATED, null, List.of("RestApiId", "RootResourceId"),
                "served on the edge port");
        add("AWS::ApiGateway::Resource", Kind.EMULATED, null, List.of("ResourceId"), "a route of the REST API");
        add("AWS::ApiGateway::Method", Kind.EMULATED, null, List.of(), "AWS_PROXY integrations with Lambda");
        add("AWS::ApiGateway::Deployment", Kind.EMULATED, null, List.of("DeploymentId"), "its StageName, if any");
        add("AWS::ApiGateway::Stage", Kind.EMULATED, "StageName", List.of(), "its name and stage variables");
        add("AWS::ApiGateway::ApiKey", Kind.EMULATED, null, List.of("APIKeyId"),
                "checked on methods with ApiKeyRequired (its Value, or a random key)");
        add("AWS::ApiGateway::UsagePlan", Kind.EMULATED, "UsagePlanName", List.of("Id"),
                "links keys to stages; throttling and quotas are not enforced");
        add("AWS::ApiGateway::UsagePlanKey", Kind.EMULATED, null, List.of("Id"), "links a key to a usage plan");
        add("AWS::ApiGateway::RequestValidator", Kind.EMULATED, "Name", List.of("RequestValidatorId"),
                "required parameters and JSON-schema body checks");
        add("AWS::ApiGateway::Model", Kind.EMULATED, "Name", List.of(), "the JSON schema of a request body");
        add("AWS::ApiGateway::GatewayResponse", Kind.EMULATED, null, List.of(),
                "status, headers and body of the gateway's own errors");
        add("AWS::ApiGateway::Account", Kind.IGNORED, null, List.of(), "account settings (CloudWatch role)");
        add("AWS::Lambda::Permission", Kind.EMULATED, null, List.of(),
                "the function's resource-based policy: API Gateway may invoke a function only where one allows it (--iam)");
        add("AWS::IAM::Role", Kind.EMULATED, "RoleName", List.of("Arn", "RoleId"),
                "created in moto (the CDK CLI assumes cdk bootstrap's roles); each function runs with temporary"
                        + " credentials of its role; its policies are evaluated (--iam)");
        add("AWS::IAM::Policy", Kind.EMULATED, "PolicyName", List.of("Id"), "put on its roles in moto; evaluated for the roles it names (--iam)");
        add("AWS::IAM::ManagedPolicy", Kind.EMULATED, "ManagedPolicyName", List.of("PolicyArn"),
                "created in moto and attached to its roles; evaluated for the roles it names or that list it"
                        + " in ManagedPolicyArns (--iam)");
        add("AWS::SQS::QueuePolicy", Kind.IGNORED, null, List.of("Id"),
                "a resource-based policy: not evaluated (only identity policies and Lambda permissions are)");
        add("AWS::Logs::LogGroup", Kind.IGNORED, "LogGroupName", List.of("Arn"),
                "function output goes to the local log folder instead");
        add("AWS::CloudWatch::Alarm", Kind.IGNORED, "AlarmName", List.of("Arn"), "no CloudWatch in the local stack");
        add("AWS::CloudWatch::Dashboard", Kind.IGNORED, "DashboardName", List.of(), "no CloudWatch in the local stack");
        add("AWS::CDK::Metadata", Kind.IGNORED, null, List.of(), "CDK bookkeeping");
    }

    private ResourceTypes() {
    }

    private static void add(String type, Kind kind, String nameProperty, List<String> attributes, String note) {
        TYPES.put(type, new TypeInfo(type, kind, nameProperty, attributes, note));
    }

    /** The type's entry, or null when the local stack does not support it. */
    public static TypeInfo info(String type) {
        return TYPES.get(type);
    }

    public static Map<String, TypeInfo> all() {
        return Collections.unmodifiableMap(TYPES);
    }

    /** The types of one kind, comma separated (for messages). */
    public static String list(Kind kind) {
        List<String> out = new ArrayList<>();
        TYPES.values().stream().filter(t -> t.kind() == kind).forEach(t -> out.add(t.type()));
        return String.join(", ", out);
    }

    /** The message for a type that is not supported. */
    public static String unsupported(String logicalId, String type) {
        return "resource " + logicalId + " has type " + type + ", which the local stack does not support. "
                + "Supported: " + list(Kind.PROVISIONED) + " (created in moto); " + list(Kind.EMULATED)
                + " (emulated); accepted and ignored: " + list(Kind.IGNORED) + ".";
    }
}
