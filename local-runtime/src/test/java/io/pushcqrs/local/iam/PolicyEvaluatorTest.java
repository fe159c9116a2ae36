package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** IAM's evaluation of identity policies, from a table: statement(s), request -> decision. */
class PolicyEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T = "arn:aws:dynamodb:us-east-1:000000000000:table/command-records";
    private static final String OTHER = "arn:aws:dynamodb:us-east-1:000000000000:table/other";
    private static final String STREAM = T + "/stream/2026-12-01T10:00:00.000";
    private static final String Q = "arn:aws:sqs:us-east-1:000000000000:dlq";

    static Stream<Arguments> cases() {
        return Stream.of(
                // no statement applies: implicit deny
                arguments("no statement", "[]", "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("other action", allow("dynamodb:GetItem", T), "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("other table", allow("dynamodb:Query", OTHER), "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("exact", allow("dynamodb:Query", T), "dynamodb:Query", T, "ALLOWED"),
                // actions: case-insensitive, wildcards
                arguments("action case", allow("DynamoDB:query", T), "dynamodb:Query", T, "ALLOWED"),
                arguments("action *", allow("dynamodb:*", T), "dynamodb:Query", T, "ALLOWED"),
                arguments("action prefix *", allow("dynamodb:Get*", T), "dynamodb:GetItem", T, "ALLOWED"),
                arguments("action prefix * other", allow("dynamodb:Get*", T), "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("action ?", allow("dynamodb:?etItem", T), "dynamodb:GetItem", T, "ALLOWED"),
                arguments("action ? one char", allow("dynamodb:?Item", T), "dynamodb:GetItem", T, "IMPLICIT_DENY"),
                arguments("other service", allow("sqs:*", "*"), "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("everything", allow("*", "*"), "dynamodb:Query", T, "ALLOWED"),
                // resources: case-sensitive, wildcards per ARN component
                arguments("resource case", allow("dynamodb:Query", T.toUpperCase().replace("ARN:AWS", "arn:aws")),
                        "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("table/*", allow("dynamodb:Query", "arn:aws:dynamodb:us-east-1:000000000000:table/*"),
                        "dynamodb:Query", T, "ALLOWED"),
                arguments("region and account *", allow("dynamodb:Query", "arn:aws:dynamodb:*:*:table/command-records"),
                        "dynamodb:Query", T, "ALLOWED"),
                arguments("? in name", allow("dynamodb:Query", "arn:aws:dynamodb:us-east-1:000000000000:table/command-recor?s"),
                        "dynamodb:Query", T, "ALLOWED"),
                arguments("other account", allow("dynamodb:Query", "arn:aws:dynamodb:us-east-1:111111111111:table/command-records"),
                        "dynamodb:Query", T, "IMPLICIT_DENY"),
                // indexes and streams are their own resources
                arguments("table grant, index query", allow("dynamodb:Query", T), "dynamodb:Query", T + "/index/sns-index",
                        "IMPLICIT_DENY"),
                arguments("index grant", allow("dynamodb:Query", T + "/index/sns-index"), "dynamodb:Query",
                        T + "/index/sns-index", "ALLOWED"),
                arguments("index/*", allow("dynamodb:Query", T + "/index/*"), "dynamodb:Query", T + "/index/sns-index", "ALLOWED"),
                arguments("index/* not the table", allow("dynamodb:Query", T + "/index/*"), "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("stream/*", allow("dynamodb:GetRecords", T + "/stream/*"), "dynamodb:GetRecords", STREAM, "ALLOWED"),
                arguments("table grant, stream read", allow("dynamodb:GetRecords", T), "dynamodb:GetRecords", STREAM,
                        "IMPLICIT_DENY"),
                // an action without resource-level permissions is requested on *: only Resource * matches it
                arguments("* resource, ARN grant", allow("dynamodb:ListStreams", T + "/stream/*"), "dynamodb:ListStreams", "*",
                        "IMPLICIT_DENY"),
                arguments("* resource, * grant", allow("dynamodb:ListStreams", "*"), "dynamodb:ListStreams", "*", "ALLOWED"),
                // explicit deny wins, whatever the order
                arguments("deny wins", "[" + stmt("Allow", "Action", "dynamodb:*", "Resource", "*") + ","
                        + stmt("Deny", "Action", "dynamodb:Query", "Resource", T) + "]", "dynamodb:Query", T, "EXPLICIT_DENY"),
                arguments("deny first", "[" + stmt("Deny", "Action", "dynamodb:Query", "Resource", T) + ","
                        + stmt("Allow", "Action", "dynamodb:Query", "Resource", T) + "]", "dynamodb:Query", T, "EXPLICIT_DENY"),
                arguments("deny elsewhere", "[" + stmt("Allow", "Action", "dynamodb:*", "Resource", "*") + ","
                        + stmt("Deny", "Action", "dynamodb:Query", "Resource", OTHER) + "]", "dynamodb:Query", T, "ALLOWED"),
                arguments("deny alone", "[" + stmt("Deny", "Action", "dynamodb:Query", "Resource", OTHER) + "]",
                        "dynamodb:Query", T, "IMPLICIT_DENY"),
                // NotAction / NotResource
                arguments("NotAction allows others", "[" + stmt("Allow", "NotAction", "dynamodb:DeleteItem", "Resource", T) + "]",
                        "dynamodb:Query", T, "ALLOWED"),
                arguments("NotAction excludes", "[" + stmt("Allow", "NotAction", "dynamodb:Delete*", "Resource", T) + "]",
                        "dynamodb:DeleteItem", T, "IMPLICIT_DENY"),
                arguments("NotAction across services", "[" + stmt("Allow", "NotAction", "dynamodb:*", "Resource", "*") + "]",
                        "sqs:SendMessage", Q, "ALLOWED"),
                arguments("NotResource allows others", "[" + stmt("Allow", "Action", "dynamodb:Query", "NotResource", OTHER) + "]",
                        "dynamodb:Query", T, "ALLOWED"),
                arguments("NotResource excludes", "[" + stmt("Allow", "Action", "dynamodb:Query", "NotResource", T + "*") + "]",
                        "dynamodb:Query", T + "/index/x", "IMPLICIT_DENY"),
                arguments("Deny NotResource", "[" + stmt("Allow", "Action", "*", "Resource", "*") + ","
                        + stmt("Deny", "Action", "dynamodb:*", "NotResource", T) + "]", "dynamodb:Query", OTHER, "EXPLICIT_DENY"),
                arguments("Deny NotAction", "[" + stmt("Allow", "Action", "*", "Resource", "*") + ","
                        + stmt("Deny", "NotAction", "dynamodb:Query", "Resource", "*") + "]", "dynamodb:Query", T, "ALLOWED"),
                // lists
                arguments("action list", "[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],"
                        + "\"Resource\":[\"" + OTHER + "\",\"" + T + "\"]}]", "dynamodb:Query", T, "ALLOWED"),
                // conditions
                arguments("condition holds", "[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:Query\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}}]", "dynamodb:Query", T, "ALLOWED"),
                arguments("condition fails", "[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:Query\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}]", "dynamodb:Query", T,
                        "IMPLICIT_DENY"),
                arguments("deny on insecure transport does not apply", "[" + stmt("Allow", "Action", "*", "Resource", "*") + ","
                        + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":"
                        + "{\"aws:SecureTransport\":\"false\"}}}]", "dynamodb:Query", T, "ALLOWED"),
                arguments("deny by principal tag", "[" + stmt("Allow", "Action", "*", "Resource", "*") + ","
                        + "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:Query\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                        + "{\"aws:PrincipalTag/stage\":\"it\"}}}]", "dynamodb:Query", T, "EXPLICIT_DENY"),
                // policy variables (Version 2012-10-17)
                arguments("variable in resource", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"dynamodb:Query\",\"Resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/"
                        + "${aws:PrincipalTag/table}\"}]}", "dynamodb:Query", T, "ALLOWED"),
                arguments("variable without version is literal", "{\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"dynamodb:Query\",\"Resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/"
                        + "${aws:PrincipalTag/table}\"}]}", "dynamodb:Query", T, "IMPLICIT_DENY"),
                arguments("absent variable", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"dynamodb:Query\",\"Resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/"
                        + "${aws:PrincipalTag/nothing}\"}]}", "dynamodb:Query", T, "IMPLICIT_DENY"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, String statements, String action, String resource, String expected) throws Exception {
        String doc = statements.startsWith("{") ? statements : "{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}";
        Policy policy = statements.equals("[]") ? new Policy("empty", "test", true, List.of())
                : PolicyParser.parse("p", "test", JSON.readTree(doc));
        RequestContext principal = new RequestContext().with("aws:RequestedRegion", "us-east-1")
                .with("aws:SecureTransport", "true").with("aws:PrincipalTag/stage", "it")
                .with("aws:PrincipalTag/table", "command-records");
        Decision d = PolicyEvaluator.evaluate(List.of(policy), new AccessRequest(action, resource), principal);
        assertThat(d.outcome().name()).isEqualTo(expected);
        if (d.outcome() != Decision.Outcome.IMPLICIT_DENY) {
            assertThat(d.statement()).isNotNull();
            assertThat(d.statement().allow()).isEqualTo(d.outcome() == Decision.Outcome.ALLOWED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesTheSameWhenTheStatementsAreSplitOverPolicies(String name, String statements, String action, String resource,
                                                             String expected) throws Exception {
        if (statements.startsWith("{") || statements.equals("[]")) {
            return; // single-document cases
        }
        List<Policy> policies = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode s : JSON.readTree(statements)) {
            policies.add(PolicyParser.parse("p" + policies.size(), "test",
                    JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + s + "]}")));
        }
        RequestContext principal = new RequestContext().with("aws:RequestedRegion", "us-east-1")
                .with("aws:SecureTransport", "true").with("aws:PrincipalTag/stage", "it");
        assertThat(PolicyEvaluator.evaluate(policies, new AccessRequest(action, resource), principal).outcome().name())
                .isEqualTo(expected);
    }

    private static String allow(String action, String resource) {
        return "[" + stmt("Allow", "Action", action, "Resource", resource) + "]";
    }

    private static String stmt(String effect, String actionKey, String action, String resourceKey, String resource) {
        return "{\"Effect\":\"" + effect + "\",\"" + actionKey + "\":\"" + action + "\",\"" + resourceKey + "\":\""
                + resource + "\"}";
    }
}
