package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pushcqrs.infra.Synth.JSON;
import static io.pushcqrs.infra.Synth.getAtt;
import static io.pushcqrs.infra.Synth.json;
import static io.pushcqrs.infra.Synth.list;
import static io.pushcqrs.infra.Synth.strings;
import static org.assertj.core.api.Assertions.assertThat;

/** Least privilege: every role's actions and resources, exactly. */
class IamTest {
    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void fourRolesOnlyLambdaMayAssumeThemAndNoManagedPolicies() {
        // In particular no API Gateway CloudWatch role (cloudWatchRole(false)) and no account setting.
        dev.template().resourceCountIs("AWS::IAM::Role", 4);
        dev.template().resourceCountIs("AWS::ApiGateway::Account", 0);
        for (LambdaModule module : LambdaModule.values()) {
            JsonNode role = dev.properties(roleId(module));
            assertThat(role.get("AssumeRolePolicyDocument")).isEqualTo(json("""
                    {"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow",
                      "Principal":{"Service":"lambda.amazonaws.com"}}],"Version":"2012-10-17"}"""));
            assertThat(role.has("ManagedPolicyArns")).as("%s has no managed policy", module).isFalse();
            assertThat(role.has("Policies")).as("%s has no inline policy", module).isFalse();
        }
    }

    @Test
    void commandLambdaWritesAndReadsCommandRecordsOnly() {
        String table = getAttArn(dev.tableId("command-records"));
        Map<String, Set<String>> expected = logs(LambdaModule.COMMAND);
        for (String action : List.of("dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
                "dynamodb:PutItem", "dynamodb:UpdateItem")) {
            expected.put(action, Set.of(table));
        }
        assertThat(permissions(LambdaModule.COMMAND)).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void streamProcessorReadsTheStreamWritesViewsAndFeedsTheDlq() {
        String commandTableId = dev.tableId("command-records");
        String views = getAttArn(dev.tableId("notification-records"));
        String stream = getAtt(commandTableId, "StreamArn").toString();
        String dlq = getAttArn(dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq"));

        Map<String, Set<String>> expected = logs(LambdaModule.STREAM_PROCESSOR);
        for (String action : List.of("dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem",
                "dynamodb:UpdateItem")) {
            expected.put(action, Set.of(views));
        }
        for (String action : List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")) {
            expected.put(action, Set.of(stream));
        }
        // ListStreams has no resource-level permission in IAM: "*" is the only resource it takes.
        expected.put("dynamodb:ListStreams", Set.of("\"*\""));
        for (String action : List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage")) {
            expected.put(action, Set.of(dlq));
        }
        assertThat(permissions(LambdaModule.STREAM_PROCESSOR)).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void queryResultLambdaOnlyReadsTheViewsAndTheirIndexes() {
        String viewsId = dev.tableId("notification-records");
        String views = getAttArn(viewsId);
        Set<String> queryResources = new HashSet<>();
        queryResources.add(views);
        for (String index : List.of("marketing-index", "transaction-index", "sns-index", "failures-index")) {
            ObjectNode join = JSON.createObjectNode();
            join.putArray("Fn::Join").add("").addArray().add(getAtt(viewsId, "Arn")).add("/index/" + index);
            queryResources.add(join.toString());
        }
        Map<String, Set<String>> expected = logs(LambdaModule.QUERY_RESULT);
        expected.put("dynamodb:GetItem", Set.of(views));
        expected.put("dynamodb:Query", queryResources);
        // the cursor key, read once at init: that one secret, nothing else of Secrets Manager
        expected.put("secretsmanager:GetSecretValue",
                Set.of(Synth.ref(dev.logicalId("AWS::SecretsManager::Secret", p -> true)).toString()));
        assertThat(permissions(LambdaModule.QUERY_RESULT)).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void queryLambdaOnlyInvokesQueryResultLambda() {
        Map<String, Set<String>> expected = logs(LambdaModule.QUERY);
        expected.put("lambda:InvokeFunction", Set.of(getAttArn(dev.functionId(LambdaModule.QUERY_RESULT))));
        assertThat(permissions(LambdaModule.QUERY)).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void noWildcardActionAndNoWildcardResourceWhereASpecificOneFits() {
        List<JsonNode> statements = new ArrayList<>();
        dev.ofType("AWS::IAM::Policy").values()
                .forEach(p -> p.at("/Properties/PolicyDocument/Statement").forEach(statements::add));
        assertThat(statements).isNotEmpty();
        for (JsonNode s : statements) {
            assertThat(s.get("Effect").asText()).isEqualTo("Allow");
            assertThat(s.has("NotAction")).isFalse();
            assertThat(s.has("NotResource")).isFalse();
            for (String action : strings(s.get("Action"))) {
                assertThat(action).as("action").doesNotContain("*");
            }
            List<String> actions = strings(s.get("Action"));
            for (JsonNode resource : list(s.get("Resource"))) {
                if (resource.toString().contains("*")) {
                    assertThat(actions).as("only ListStreams may take resource '*'")
                            .containsExactly("dynamodb:ListStreams");
                    assertThat(resource.asText()).isEqualTo("*");
                }
            }
        }
    }

    @Test
    void apiGatewayMayInvokeEachFunctionOnlyFromItsOwnRoutesOnTheStage() {
        String stageId = dev.ofType("AWS::ApiGateway::Stage").keySet().iterator().next();
        String apiId = dev.ofType("AWS::ApiGateway::RestApi").keySet().iterator().next();
        Map<String, String> expected = new TreeMap<>();
        for (String route : List.of("/POST/commands", "/PATCH/commands/*", "/DELETE/commands/*")) {
            expected.put(route, dev.functionId(LambdaModule.COMMAND));
        }
        for (String route : List.of("/GET/query/user", "/GET/query/marketing", "/GET/query/failures", "/GET/tx",
                "/GET/sns", "/GET/health")) {
            expected.put(route, dev.functionId(LambdaModule.QUERY));
        }
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode permission : dev.ofType("AWS::Lambda::Permission").values()) {
            JsonNode p = permission.get("Properties");
            assertThat(p.get("Action").asText()).isEqualTo("lambda:InvokeFunction");
            assertThat(p.get("Principal").asText()).isEqualTo("apigateway.amazonaws.com");
            JsonNode parts = p.at("/SourceArn/Fn::Join/1");
            String route = parts.get(parts.size() - 1).asText();
            assertThat(parts).as("scoped to this API and its deployed stage, not '*'")
                    .contains(Synth.ref(apiId), Synth.ref(stageId));
            String function = p.at("/FunctionName/Fn::GetAtt/0").asText();
            assertThat(actual.put(route, function)).as("one permission per route").isNull();
        }
        assertThat(actual).isEqualTo(expected);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private String roleId(LambdaModule module) {
        return dev.properties(dev.functionId(module)).at("/Role/Fn::GetAtt/0").asText();
    }

    /** Action -> resources (as JSON text) of every statement of every policy attached to the role. */
    private Map<String, Set<String>> permissions(LambdaModule module) {
        String roleId = roleId(module);
        Map<String, Set<String>> result = new TreeMap<>();
        for (JsonNode policy : dev.ofType("AWS::IAM::Policy").values()) {
            if (!list(policy.at("/Properties/Roles")).contains(Synth.ref(roleId))) {
                continue;
            }
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                assertThat(statement.has("Condition")).isFalse();
                for (String action : strings(statement.get("Action"))) {
                    for (JsonNode resource : list(statement.get("Resource"))) {
                        result.computeIfAbsent(action, a -> new HashSet<>()).add(resource.toString());
                    }
                }
            }
        }
        return result;
    }

    /** Writing to its own log group is every function's baseline. */
    private Map<String, Set<String>> logs(LambdaModule module) {
        String logGroupId = dev.properties(dev.functionId(module)).at("/LoggingConfig/LogGroup/Ref").asText();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("logs:CreateLogStream", Set.of(getAttArn(logGroupId)));
        expected.put("logs:PutLogEvents", Set.of(getAttArn(logGroupId)));
        return expected;
    }

    private static String getAttArn(String logicalId) {
        return getAtt(logicalId, "Arn").toString();
    }
}
