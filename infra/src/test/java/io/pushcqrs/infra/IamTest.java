package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pushcqrs.infra.Synth.getAtt;
import static io.pushcqrs.infra.Synth.json;
import static io.pushcqrs.infra.Synth.list;
import static io.pushcqrs.infra.Synth.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, and the grants come from the code: every role allows each AWS call its function's code issues
 * (the module's aws-calls.json, which the module's own tests compare with what the code calls) and nothing more
 * than those and the baseline.
 */
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

    // --- the grants come from the code: each module's aws-calls.json, recorded by its tests ------------------

    /**
     * Every AWS call a function's code issues (its module's aws-calls.json, which that module's tests compare with
     * what the code really calls) is allowed by the function's role, with IAM's matching on the concrete ARN of
     * the resource the call addresses in this stage.
     */
    @ParameterizedTest
    @EnumSource(LambdaModule.class)
    void eachRoleAllowsEveryCallItsCodeIssues(LambdaModule module) {
        List<Grant> grants = grants(module);
        List<String> denied = new ArrayList<>();
        for (Required call : required(module)) {
            if (grants.stream().noneMatch(g -> g.allows(call.action(), call.arn()))) {
                denied.add(call.action() + " on " + call.arn() + " (" + call.source() + ")");
            }
        }
        assertThat(denied).as("calls of %s that its role would answer with AccessDenied", module.moduleName()).isEmpty();
    }

    /**
     * And nothing else: every (action, resource) a role grants is needed by a call of its code, or is the baseline
     * every function has (its own log group) or the event source mapping needs (stream read, the on-failure queue).
     */
    @ParameterizedTest
    @EnumSource(LambdaModule.class)
    void eachRoleGrantsNothingItsCodeDoesNotCall(LambdaModule module) {
        List<Required> required = required(module);
        List<Required> baseline = baseline(module);
        List<String> unused = new ArrayList<>();
        for (Grant g : grants(module)) {
            boolean needed = required.stream().anyMatch(r -> g.allows(r.action(), r.arn()))
                    || baseline.stream().anyMatch(b -> g.action().equals(b.action()) && g.resource().equals(b.arn()));
            if (!needed) {
                unused.add(g.action() + " on " + g.resource());
            }
        }
        assertThat(unused).as("grants of %s that no call of its code needs", module.moduleName()).isEmpty();
    }

    @Test
    void theManifestsNameResourcesThisStackDeclares() {
        // every logical name of every manifest resolves (else the tests above would not even find the ARN)
        for (LambdaModule module : LambdaModule.values()) {
            assertThat(required(module)).as(module.moduleName()).isNotEmpty();
        }
        // the command role: exactly the five item actions on command-records (the claim's transaction needs PutItem)
        assertThat(grants(LambdaModule.COMMAND)).extracting(Grant::action).filteredOn(a -> a.startsWith("dynamodb:"))
                .containsExactlyInAnyOrder(
                "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem");
    }

    /** One permission a role's policy gives: an action pattern on a resource pattern (concrete, evaluated). */
    record Grant(String action, String resource) {
        boolean allows(String requiredAction, String arn) {
            return TemplateArns.matches(action, requiredAction, true) && TemplateArns.matches(resource, arn, false);
        }
    }

    /** A permission a call needs: its action on a concrete ARN. */
    record Required(String action, String arn, String source) {
    }

    private List<Grant> grants(LambdaModule module) {
        String roleId = roleId(module);
        TemplateArns arns = new TemplateArns(dev.json());
        List<Grant> grants = new ArrayList<>();
        for (JsonNode policy : dev.ofType("AWS::IAM::Policy").values()) {
            if (!list(policy.at("/Properties/Roles")).contains(Synth.ref(roleId))) {
                continue;
            }
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                assertThat(statement.has("Condition")).isFalse();
                for (String action : strings(statement.get("Action"))) {
                    for (JsonNode resource : list(statement.get("Resource"))) {
                        grants.add(new Grant(action, arns.eval(resource)));
                    }
                }
            }
        }
        return grants;
    }

    /** The calls of a module's manifest, each on the concrete ARN of the resource its logical name names. */
    private List<Required> required(LambdaModule module) {
        Path file = Synth.REPO_ROOT.resolve(module.moduleName()).resolve("aws-calls.json");
        assertThat(file).as("the AWS calls manifest of %s", module.moduleName()).exists();
        JsonNode manifest = json(readString(file));
        List<Required> result = new ArrayList<>();
        for (JsonNode call : manifest.path("calls")) {
            String action = call.path("action").asText();
            String resource = call.path("resource").asText();
            result.add(new Required(action, arn(resource), module.moduleName() + "/aws-calls.json: " + resource));
        }
        return result;
    }

    /** The ARN of a manifest resource in this stage: table/T[/index/I], function/F, secret/S, queue/Q or *. */
    private String arn(String resource) {
        if (resource.equals("*")) {
            return "*";
        }
        String[] parts = resource.split("/");
        String stageName = dev.stack().config().name(parts[1]);
        switch (parts[0]) {
            case "table" -> {
                String tableId = dev.logicalIdByName("AWS::DynamoDB::Table", "TableName", stageName);
                String arn = TemplateArns.tableArn(stageName);
                if (parts.length == 4 && parts[2].equals("index")) {
                    List<String> indexes = new ArrayList<>();
                    dev.properties(tableId).path("GlobalSecondaryIndexes").forEach(g -> indexes.add(g.path("IndexName").asText()));
                    assertThat(indexes).as("GSIs of %s", stageName).contains(parts[3]);
                    return arn + "/index/" + parts[3];
                }
                return arn;
            }
            case "function" -> {
                dev.logicalIdByName("AWS::Lambda::Function", "FunctionName", stageName);
                return TemplateArns.functionArn(stageName);
            }
            case "secret" -> {
                // secret/cursor-secret: the secret named <stage>-cursor-secret, or the unnamed one whose logical id
                // is the logical name in PascalCase (CursorSecret...), as infra declares the cursor key.
                String pascal = java.util.Arrays.stream(parts[1].split("-"))
                        .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(java.util.stream.Collectors.joining());
                List<String> ids = new ArrayList<>();
                dev.ofType("AWS::SecretsManager::Secret").forEach((id, r) -> {
                    JsonNode name = r.at("/Properties/Name");
                    if (name.isMissingNode() ? id.startsWith(pascal) : stageName.equals(name.asText())) {
                        ids.add(id);
                    }
                });
                assertThat(ids).as("the secret of %s", resource).hasSize(1);
                return new TemplateArns(dev.json()).eval(Synth.ref(ids.get(0)));
            }
            case "queue" -> {
                String queueId = dev.logicalIdByName("AWS::SQS::Queue", "QueueName", stageName);
                return new TemplateArns(dev.json()).eval(getAtt(queueId, "Arn"));
            }
            default -> throw new AssertionError("a resource type the IAM check does not know: " + resource);
        }
    }

    /** What every function has (its own log group) and what the stream mapping needs from the stream-processor role. */
    private List<Required> baseline(LambdaModule module) {
        TemplateArns arns = new TemplateArns(dev.json());
        List<Required> result = new ArrayList<>();
        String logGroupId = dev.properties(dev.functionId(module)).at("/LoggingConfig/LogGroup/Ref").asText();
        String logGroup = arns.eval(getAtt(logGroupId, "Arn"));
        result.add(new Required("logs:CreateLogStream", logGroup, "baseline"));
        result.add(new Required("logs:PutLogEvents", logGroup, "baseline"));
        if (module == LambdaModule.STREAM_PROCESSOR) {
            String stream = arns.eval(getAtt(dev.tableId("command-records"), "StreamArn"));
            for (String action : List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")) {
                result.add(new Required(action, stream, "event source mapping"));
            }
            // ListStreams has no resource-level permission in IAM: "*" is the only resource it takes.
            result.add(new Required("dynamodb:ListStreams", "*", "event source mapping"));
            String dlq = arns.eval(getAtt(dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq"), "Arn"));
            for (String action : List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage")) {
                result.add(new Required(action, dlq, "event source mapping on-failure destination"));
            }
        }
        return result;
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theBaselineIsGrantedExactly() {
        for (LambdaModule module : LambdaModule.values()) {
            List<Grant> grants = grants(module);
            for (Required b : baseline(module)) {
                assertThat(grants).as("%s: %s", module, b).contains(new Grant(b.action(), b.arn()));
            }
        }
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

}
