package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.template.TemplateException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pushcqrs.local.iam.IamFixture.JSON;
import static io.pushcqrs.local.iam.IamFixture.id;
import static io.pushcqrs.local.iam.IamFixture.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IamLoaderTest {
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/fx-command-records";

    private static Decision decide(IamModel m, String function, String action, String resource) {
        Role role = m.roleOf(function);
        return PolicyEvaluator.evaluate(role.policies(), new AccessRequest(action, resource), new RequestContext());
    }

    @Test
    void theTemplatesRolesPoliciesAndPermissionsAreRead() {
        IamModel m = IamFixture.load().iam();
        assertThat(m.roles()).hasSize(4);
        assertThat(m.functionRoles()).containsOnlyKeys("fx-command-lambda", "fx-stream-processor", "fx-query-result-lambda",
                "fx-query-lambda");
        Role command = m.roleOf("fx-command-lambda");
        assertThat(command.arn()).isEqualTo("arn:aws:iam::000000000000:role/" + command.name());
        assertThat(command.name()).startsWith("fx-notification-cqrs-CommandLambdaRole");
        assertThat(command.roleId()).startsWith("AROA");
        assertThat(command.policies()).extracting(Policy::name).containsExactly("CommandLambdaRoleDefaultPolicyF2FCC75E");
        assertThat(decide(m, "fx-command-lambda", "dynamodb:PutItem", TABLE).allowed()).isTrue();
        assertThat(decide(m, "fx-command-lambda", "dynamodb:Scan", TABLE).allowed()).isFalse();
        // the stream grant names the stream as the backend made it (Fn::GetAtt StreamArn after provisioning)
        assertThat(decide(m, "fx-stream-processor", "dynamodb:GetRecords", TABLE + IamFixture.STREAM_SUFFIX).allowed()).isTrue();
        assertThat(m.permissions().values().stream().mapToInt(List::size).sum()).isEqualTo(9);
        assertThat(m.permissionsOf("fx-command-lambda")).extracting(LambdaPermission::principal).containsOnly("apigateway.amazonaws.com");
        assertThat(m.permissionsOf("fx-command-lambda")).extracting(LambdaPermission::sourceArn)
                .anySatisfy(a -> assertThat(a).endsWith("/dev/PATCH/commands/*").startsWith("arn:aws:execute-api:us-east-1:000000000000:"));
        // LoggingConfig.LogGroup (Ref of the log group: the fixture names it after another stage)
        assertThat(m.logGroups()).containsEntry("fx-command-lambda", "/aws/lambda/dev-command-lambda");
        assertThat(m.warnings()).isEmpty();
        assertThat(m.refusals()).isEmpty();
    }

    @Test
    void inlinePoliciesManagedPoliciesAndKnownAwsManagedPoliciesAttach() {
        IamModel m = IamFixture.load(root -> {
            String role = id(root, "CommandLambdaRole1");
            ObjectNode props = properties(root, role);
            props.set("Policies", json("[{\"PolicyName\":\"inline\",\"PolicyDocument\":{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:Scan\",\"Resource\":\"*\"}]}}]"));
            props.set("ManagedPolicyArns", json("[{\"Ref\":\"Extra\"},"
                    + "\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\","
                    + "\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"]"));
            ((ObjectNode) root.path("Resources")).set("Extra", json("{\"Type\":\"AWS::IAM::ManagedPolicy\",\"Properties\":"
                    + "{\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                    + "\"Action\":\"dynamodb:DeleteItem\",\"Resource\":\"*\"}]}}}"));
            ((ObjectNode) root.path("Resources")).set("Attached", json("{\"Type\":\"AWS::IAM::ManagedPolicy\",\"Properties\":"
                    + "{\"Roles\":[{\"Ref\":\"" + role + "\"}],\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":"
                    + "[{\"Effect\":\"Allow\",\"Action\":\"sqs:ListQueues\",\"Resource\":\"*\"}]}}}"));
        }).iam();
        assertThat(m.roleOf("fx-command-lambda").policies()).extracting(Policy::name).contains("inline", "Extra",
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "Attached");
        assertThat(decide(m, "fx-command-lambda", "dynamodb:Scan", TABLE).allowed()).isTrue();
        assertThat(decide(m, "fx-command-lambda", "dynamodb:DeleteItem", TABLE).outcome())
                .isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(decide(m, "fx-command-lambda", "logs:CreateLogGroup", "arn:aws:logs:us-east-1:000000000000:log-group:x:*")
                .allowed()).isTrue();
        assertThat(decide(m, "fx-command-lambda", "sqs:ListQueues", "*").allowed()).isTrue();
        assertThat(m.warnings()).singleElement().asString()
                .contains("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess is not known to the local stack; it grants nothing here");
    }

    @Test
    void aPolicyIamWouldRefuseStopsTheLoadNamingIt() {
        assertThatThrownBy(() -> IamFixture.load(root -> {
            ObjectNode doc = (ObjectNode) properties(root, id(root, "CommandLambdaRoleDefaultPolicy")).path("PolicyDocument");
            ((ObjectNode) doc.path("Statement").get(0)).put("Effect", "allow");
        }).iam()).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resources.CommandLambdaRoleDefaultPolicyF2FCC75E.Properties.PolicyDocument")
                .hasMessageContaining("MalformedPolicyDocument").hasMessageContaining("Effect must be Allow or Deny");
    }

    @Test
    void aRoleLambdaCannotAssumeIsWhatAwsRefuses() {
        IamModel m = IamFixture.load(root -> {
            ObjectNode trust = (ObjectNode) properties(root, id(root, "QueryLambdaRole")).path("AssumeRolePolicyDocument");
            ((ObjectNode) trust.path("Statement").get(0).path("Principal")).put("Service", "ec2.amazonaws.com");
        }).iam();
        assertThat(m.refusals()).singleElement().asString().contains("function fx-query-lambda")
                .contains("does not trust lambda.amazonaws.com").contains("cannot be assumed by Lambda");
    }

    @Test
    void aRoleOutsideTheTemplateAndABoundaryAreWarnings() {
        IamModel m = IamFixture.load(root -> {
            properties(root, id(root, "QueryLambda5")).put("Role", "arn:aws:iam::000000000000:role/made-elsewhere");
            properties(root, id(root, "CommandLambdaRole1")).put("PermissionsBoundary", "arn:aws:iam::aws:policy/PowerUserAccess");
        }).iam();
        assertThat(m.roleOf("fx-query-lambda")).isNull();
        assertThat(m.functionRoles()).containsEntry("fx-query-lambda", "arn:aws:iam::000000000000:role/made-elsewhere");
        assertThat(m.warnings()).anySatisfy(w -> assertThat(w).contains("fx-query-lambda runs with the role "
                + "arn:aws:iam::000000000000:role/made-elsewhere, which is not in the template"))
                .anySatisfy(w -> assertThat(w).contains("PermissionsBoundary is not evaluated"));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static ArrayNode array() {
        return JSON.createArrayNode();
    }
}
