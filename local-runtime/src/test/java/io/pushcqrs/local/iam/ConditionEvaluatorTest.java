package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Condition operators as IAM evaluates them, from a table: condition block -> holds. */
class ConditionEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestContext ctx() {
        return new RequestContext()
                .with("aws:PrincipalArn", "arn:aws:iam::000000000000:role/command-role")
                .with("aws:SecureTransport", "true")
                .with("aws:EpochTime", "1764676800") // 2025-12-02T12:00:00Z
                .with("aws:CurrentTime", "2025-12-02T12:00:00Z")
                .with("aws:SourceIp", "10.1.2.3")
                .with("cloudwatch:namespace", "NotificationCqrs")
                .with("dynamodb:Attributes", List.of("user_id", "status"))
                .with("aws:PrincipalTag/team", "push")
                .with("size", "10");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":\"NotificationCqrs\"}}", true),
                arguments("{\"StringEquals\":{\"CloudWatch:Namespace\":\"NotificationCqrs\"}}", true), // key names: any case
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":\"notificationcqrs\"}}", false), // values: case
                arguments("{\"StringEqualsIgnoreCase\":{\"cloudwatch:namespace\":\"notificationcqrs\"}}", true),
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":[\"Other\",\"NotificationCqrs\"]}}", true), // OR
                arguments("{\"StringNotEquals\":{\"cloudwatch:namespace\":[\"Other\",\"NotificationCqrs\"]}}", false),
                arguments("{\"StringNotEquals\":{\"cloudwatch:namespace\":\"Other\"}}", true),
                arguments("{\"StringLike\":{\"cloudwatch:namespace\":\"Notif*\"}}", true),
                arguments("{\"StringLike\":{\"cloudwatch:namespace\":\"Notif?\"}}", false),
                arguments("{\"StringNotLike\":{\"cloudwatch:namespace\":\"Notif*\"}}", false),
                // two keys in a block: AND; two blocks: AND
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":\"NotificationCqrs\",\"aws:PrincipalTag/team\":\"other\"}}", false),
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":\"NotificationCqrs\"},\"Bool\":{\"aws:SecureTransport\":\"true\"}}", true),
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":\"NotificationCqrs\"},\"Bool\":{\"aws:SecureTransport\":\"false\"}}", false),
                // absent keys
                arguments("{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}", false),
                arguments("{\"StringNotEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}", true),
                arguments("{\"StringEqualsIfExists\":{\"aws:SourceVpc\":\"vpc-1\"}}", true),
                arguments("{\"StringEqualsIfExists\":{\"cloudwatch:namespace\":\"Other\"}}", false),
                arguments("{\"ArnNotLike\":{\"aws:SourceArn\":\"arn:aws:*\"}}", true),
                arguments("{\"Null\":{\"aws:SourceVpc\":\"true\"}}", true),
                arguments("{\"Null\":{\"aws:SourceVpc\":\"false\"}}", false),
                arguments("{\"Null\":{\"cloudwatch:namespace\":\"false\"}}", true),
                // Bool, Numeric, Date, IP, ARN
                arguments("{\"Bool\":{\"aws:SecureTransport\":\"TRUE\"}}", true),
                arguments("{\"Bool\":{\"aws:SecureTransport\":false}}", false),
                arguments("{\"NumericLessThan\":{\"size\":\"11\"}}", true),
                arguments("{\"NumericLessThan\":{\"size\":\"10\"}}", false),
                arguments("{\"NumericLessThanEquals\":{\"size\":\"10\"}}", true),
                arguments("{\"NumericGreaterThan\":{\"size\":\"9.5\"}}", true),
                arguments("{\"NumericGreaterThan\":{\"size\":\"not a number\"}}", false),
                arguments("{\"NumericLessThan\":{\"size\":\"not a number\"}}", false),
                arguments("{\"NumericNotEquals\":{\"size\":\"10\"}}", false),
                arguments("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2025-01-01T00:00:00Z\"}}", true),
                arguments("{\"DateLessThan\":{\"aws:CurrentTime\":\"2025-01-01T00:00:00Z\"}}", false),
                arguments("{\"DateLessThan\":{\"aws:EpochTime\":\"1800000000\"}}", true),
                arguments("{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", true),
                arguments("{\"IpAddress\":{\"aws:SourceIp\":\"192.168.0.0/16\"}}", false),
                arguments("{\"NotIpAddress\":{\"aws:SourceIp\":\"192.168.0.0/16\"}}", true),
                arguments("{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/command-*\"}}", true),
                arguments("{\"ArnEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::000000000000:role/query-role\"}}", false),
                // multi-valued keys: set operators
                arguments("{\"ForAllValues:StringEquals\":{\"dynamodb:Attributes\":[\"user_id\",\"status\",\"payload\"]}}", true),
                arguments("{\"ForAllValues:StringEquals\":{\"dynamodb:Attributes\":[\"user_id\"]}}", false),
                arguments("{\"ForAnyValue:StringEquals\":{\"dynamodb:Attributes\":[\"status\"]}}", true),
                arguments("{\"ForAnyValue:StringEquals\":{\"dynamodb:Attributes\":[\"payload\"]}}", false),
                arguments("{\"ForAllValues:StringEquals\":{\"absent:key\":[\"x\"]}}", true),
                arguments("{\"ForAnyValue:StringEquals\":{\"absent:key\":[\"x\"]}}", false),
                // policy variables in values
                arguments("{\"StringEquals\":{\"cloudwatch:namespace\":\"${aws:PrincipalTag/team}\"}}", false),
                arguments("{\"StringLike\":{\"aws:PrincipalArn\":\"*${aws:PrincipalTag/team}*\"}}", false),
                arguments("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"${aws:PrincipalTag/team}\"}}", true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cases")
    void holds(String condition, boolean expected) throws Exception {
        assertThat(ConditionEvaluator.holds(JSON.readTree(condition), ctx(), true)).isEqualTo(expected);
    }

    @Test
    void knowsIamsOperatorsOnly() {
        assertThat(ConditionEvaluator.knows("StringEquals")).isTrue();
        assertThat(ConditionEvaluator.knows("ForAnyValue:StringLikeIfExists")).isTrue();
        assertThat(ConditionEvaluator.knows("ArnNotLikeIfExists")).isTrue();
        assertThat(ConditionEvaluator.knows("Null")).isTrue();
        assertThat(ConditionEvaluator.knows("StringEqualz")).isFalse();
        assertThat(ConditionEvaluator.knows("NullIfExists")).isFalse();
    }
}
