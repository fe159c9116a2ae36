package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.template.TemplateException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.pushcqrs.local.iam.IamFixture.id;
import static io.pushcqrs.local.iam.IamFixture.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One start's IAM: credentials per function, the event source mapping's check and state, what AWS would refuse. */
class StackIamTest {
    private final List<String> log = new ArrayList<>();
    private final List<String> console = new ArrayList<>();

    private StackIam start(IamMode mode, Consumer<ObjectNode> edit) {
        IamFixture fx = IamFixture.load(edit);
        return StackIam.start(mode, fx.template, fx.loader.intrinsics(), fx.model.functions(), log::add, console::add);
    }

    private static EsmSpec mapping(StackIam iam) {
        return IamFixture.load().model.mappings().get(0);
    }

    /** Removes one action from the statements of a role's default policy (the statement goes when it is empty). */
    static Consumer<ObjectNode> withoutAction(String policyPrefix, String action) {
        return root -> {
            ArrayNode statements = (ArrayNode) properties(root, id(root, policyPrefix)).path("PolicyDocument").path("Statement");
            for (int i = statements.size() - 1; i >= 0; i--) {
                ObjectNode s = (ObjectNode) statements.get(i);
                if (s.path("Action").isTextual() && s.path("Action").asText().equals(action)) {
                    statements.remove(i);
                } else if (s.path("Action").isArray()) {
                    ArrayNode actions = (ArrayNode) s.path("Action");
                    for (int j = actions.size() - 1; j >= 0; j--) {
                        if (actions.get(j).asText().equals(action)) {
                            actions.remove(j);
                        }
                    }
                }
            }
        };
    }

    @Test
    void eachFunctionGetsTemporaryCredentialsOfItsOwnRole() {
        StackIam iam = start(IamMode.ENFORCE, r -> {
        });
        Map<String, String> command = iam.credentials("fx-command-lambda");
        Map<String, String> query = iam.credentials("fx-query-lambda");
        assertThat(command).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
        assertThat(command.get("AWS_ACCESS_KEY_ID")).matches("ASIA[A-Z2-7]{16}");
        assertThat(command.get("AWS_SECRET_ACCESS_KEY")).hasSize(40);
        assertThat(query.get("AWS_ACCESS_KEY_ID")).isNotEqualTo(command.get("AWS_ACCESS_KEY_ID"));
        assertThat(iam.guard().applies("AWS4-HMAC-SHA256 Credential=" + command.get("AWS_ACCESS_KEY_ID")
                + "/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0", null)).isTrue();
        assertThat(iam.guard().applies("AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/dynamodb/aws4_request", null)).isFalse();
        assertThat(iam.describe()).isEqualTo("enforce: 4 role(s) with 4 policies for 4 function(s), 9 Lambda permission(s);"
                + " calls AWS would deny are denied (iam.log)");
        assertThat(iam.warnings()).isEmpty();
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("IAM enforce: 4 role(s)"));
    }

    @Test
    void offHandsOutNothingAndChecksNothing() {
        StackIam iam = StackIam.off();
        assertThat(iam.credentials("fx-command-lambda")).isEmpty();
        assertThat(iam.guard()).isNull();
        assertThat(iam.invokePermission().denial("a", "dev", "GET", "/", "f")).isNull();
        assertThat(iam.describe()).startsWith("off: no policy or permission is checked");
        assertThat(iam.health()).containsEntry("mode", "off");
    }

    @Test
    void theMappingsRoleReadsTheStreamAndSendsToItsDestination() {
        StackIam iam = start(IamMode.ENFORCE, r -> {
        });
        EsmSpec spec = mapping(iam);
        assertThat(iam.checkMapping(spec)).isNull();
        assertThat(iam.mappingHealth(spec.uuid())).isEmpty();
        assertThat(iam.mappingSession(spec).mapping()).isTrue();
        assertThat(iam.mappingSession(spec).sessionName()).isEqualTo("fx-stream-processor");
    }

    @Test
    void withoutStreamReadTheMappingIsNotStartedAndItsStateSaysWhy() {
        StackIam iam = start(IamMode.ENFORCE, withoutAction("StreamProcessorRoleDefaultPolicy", "dynamodb:GetRecords"));
        EsmSpec spec = mapping(iam);
        String problem = iam.checkMapping(spec);
        assertThat(problem).startsWith("Cannot access stream " + spec.streamArn() + ". Please ensure the role can perform the"
                + " GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.")
                .contains("is not authorized to perform: dynamodb:GetRecords on resource: " + spec.streamArn());
        assertThat(iam.mappingHealth(spec.uuid())).containsEntry("state", "Disabled")
                .containsEntry("lastProcessingResult", "PROBLEM: " + problem);
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("DENIED CreateEventSourceMapping for event source mapping "
                + spec.uuid() + " of fx-stream-processor: Cannot access stream"));
        assertThat(iam.health()).containsEntry("denied", 1L);
    }

    @Test
    void withoutSendMessageTheDestinationIsRefused() {
        StackIam iam = start(IamMode.ENFORCE, withoutAction("StreamProcessorRoleDefaultPolicy", "sqs:SendMessage"));
        EsmSpec spec = mapping(iam);
        assertThat(iam.checkMapping(spec)).startsWith("The provided execution role does not have permissions to call"
                + " SendMessage on SQS (User: arn:aws:sts::000000000000:assumed-role/")
                .contains("sqs:SendMessage on resource: " + spec.onFailureArn());
    }

    @Test
    void auditStartsTheMappingButSaysAwsWouldRefuseIt() {
        StackIam iam = start(IamMode.AUDIT, withoutAction("StreamProcessorRoleDefaultPolicy", "dynamodb:GetRecords"));
        EsmSpec spec = mapping(iam);
        assertThat(iam.checkMapping(spec)).isNotNull();
        assertThat(iam.mappingHealth(spec.uuid())).doesNotContainKey("state")
                .hasEntrySatisfying("lastProcessingResult", v -> assertThat(v.toString()).startsWith("PROBLEM (AWS would refuse it): Cannot access stream"));
        iam.close();
        assertThat(console).singleElement().asString().startsWith("IAM audit: AWS would have denied 1 call(s), 1 distinct:")
                .contains("CreateEventSourceMapping for event source mapping " + spec.uuid());
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("IAM audit: AWS would have denied 1 call(s)"));
    }

    @Test
    void aFunctionWhoseRoleLambdaCannotAssumeStopsAnEnforcedStart() {
        Consumer<ObjectNode> untrusted = root -> ((ObjectNode) properties(root, id(root, "QueryLambdaRole"))
                .path("AssumeRolePolicyDocument").path("Statement").get(0).path("Principal")).put("Service", "ec2.amazonaws.com");
        assertThatThrownBy(() -> start(IamMode.ENFORCE, untrusted)).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("IAM: AWS would refuse this stack: function fx-query-lambda")
                .hasMessageContaining("--iam audit");
        StackIam audit = start(IamMode.AUDIT, untrusted);
        assertThat(audit.health()).containsEntry("denied", 1L);
    }

    @Test
    void aRoleThatMayNotWriteItsLogsIsAWarning() {
        StackIam iam = start(IamMode.ENFORCE, withoutAction("QueryLambdaRoleDefaultPolicy", "logs:PutLogEvents"));
        assertThat(iam.warnings()).singleElement().asString().startsWith("function fx-query-lambda: its role may not"
                + " logs:PutLogEvents on the log group").contains("would not reach CloudWatch Logs");
    }
}
