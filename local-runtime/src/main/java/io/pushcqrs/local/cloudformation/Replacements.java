package io.pushcqrs.local.cloudformation;

import java.util.Map;
import java.util.Set;

/**
 * CloudFormation's update behaviour per property: which changes need a new physical resource ("Update requires:
 * Replacement" in the resource reference). A property not listed updates in place. A type change is never an update
 * (AWS refuses it).
 */
final class Replacements {
    /** type -> properties whose change replaces the resource. */
    private static final Map<String, Set<String>> ALWAYS = Map.ofEntries(
            Map.entry("AWS::DynamoDB::Table", Set.of("TableName", "KeySchema", "LocalSecondaryIndexes")),
            Map.entry("AWS::SQS::Queue", Set.of("QueueName", "FifoQueue")),
            Map.entry("AWS::SecretsManager::Secret", Set.of("Name")),
            Map.entry("AWS::Lambda::Function", Set.of("FunctionName", "PackageType")),
            Map.entry("AWS::Lambda::EventSourceMapping", Set.of("EventSourceArn", "StartingPosition",
                    "StartingPositionTimestamp", "SelfManagedEventSource", "Topics", "Queues")),
            Map.entry("AWS::Lambda::Permission", Set.of("Action", "FunctionName", "Principal", "SourceAccount",
                    "SourceArn", "EventSourceToken", "FunctionUrlAuthType", "PrincipalOrgID")),
            Map.entry("AWS::ApiGateway::Resource", Set.of("ParentId", "PathPart", "RestApiId")),
            Map.entry("AWS::ApiGateway::Method", Set.of("RestApiId")),
            Map.entry("AWS::ApiGateway::Deployment", Set.of("RestApiId", "DeploymentCanarySettings")),
            Map.entry("AWS::ApiGateway::Stage", Set.of("RestApiId", "StageName")),
            Map.entry("AWS::ApiGateway::ApiKey", Set.of("Name", "Value", "GenerateDistinctId")),
            Map.entry("AWS::ApiGateway::UsagePlanKey", Set.of("KeyId", "KeyType", "UsagePlanId")),
            Map.entry("AWS::ApiGateway::RequestValidator", Set.of("Name", "RestApiId")),
            Map.entry("AWS::ApiGateway::Model", Set.of("ContentType", "Name", "RestApiId")),
            Map.entry("AWS::ApiGateway::GatewayResponse", Set.of("ResponseType", "RestApiId")),
            Map.entry("AWS::IAM::Role", Set.of("RoleName", "Path")),
            Map.entry("AWS::IAM::ManagedPolicy", Set.of("ManagedPolicyName", "Path")),
            Map.entry("AWS::S3::Bucket", Set.of("BucketName", "ObjectLockEnabled")),
            Map.entry("AWS::S3::BucketPolicy", Set.of("Bucket")),
            Map.entry("AWS::ECR::Repository", Set.of("RepositoryName", "EncryptionConfiguration")),
            Map.entry("AWS::SSM::Parameter", Set.of("Name")),
            Map.entry("AWS::SQS::QueuePolicy", Set.of()),
            Map.entry("AWS::Logs::LogGroup", Set.of("LogGroupName", "LogGroupClass")),
            Map.entry("AWS::CloudWatch::Alarm", Set.of("AlarmName")),
            Map.entry("AWS::CloudWatch::Dashboard", Set.of("DashboardName")));

    private Replacements() {
    }

    /** Always or Never: whether changing this property of this type replaces the resource. */
    static String requiresRecreation(String type, String property) {
        return ALWAYS.getOrDefault(type, Set.of()).contains(property) ? "Always" : "Never";
    }
}
