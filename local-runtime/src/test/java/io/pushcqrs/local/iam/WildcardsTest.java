package io.pushcqrs.local.iam;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class WildcardsTest {
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "*|arn:aws:dynamodb:us-east-1:000000000000:table/t|true",
            "*|*|true",
            "arn:aws:dynamodb:us-east-1:000000000000:table/t|*|false",
            "arn:aws:dynamodb:*:*:table/t|arn:aws:dynamodb:us-east-1:000000000000:table/t|true",
            "arn:aws:dynamodb:*:*:table/t|arn:aws:dynamodb:us-east-1:000000000000:table/t/index/i|false",
            "arn:aws:dynamodb:*:*:table/t*|arn:aws:dynamodb:us-east-1:000000000000:table/t/index/i|true",
            // the account part's * does not spill into the resource part
            "arn:aws:dynamodb:us-east-1:*|arn:aws:dynamodb:us-east-1:000000000000:table/t|false",
            "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:*|arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:log-stream:s|true",
            "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:*|arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f2:*|false",
            "arn:aws:sqs:us-east-1:000000000000:q?|arn:aws:sqs:us-east-1:000000000000:q1|true",
            "arn:aws:sqs:us-east-1:000000000000:q?|arn:aws:sqs:us-east-1:000000000000:q12|false",
            "arn:aws:sqs:us-east-1:000000000000:Q1|arn:aws:sqs:us-east-1:000000000000:q1|false",
            "arn:aws:execute-api:us-east-1:000000000000:abc/dev/PATCH/commands/*|arn:aws:execute-api:us-east-1:000000000000:abc/dev/PATCH/commands/{transaction_id}|true",
            "arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/health|arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/health|false",
            "arn:aws:execute-api:us-east-1:000000000000:abc/*/*/*|arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/query/user|true"})
    void arns(String pattern, String arn, boolean expected) {
        assertThat(Wildcards.arnMatches(pattern, arn)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "dynamodb:Query|dynamodb:Query|true",
            "DYNAMODB:QUERY|dynamodb:Query|true",
            "dynamodb:*|dynamodb:Query|true",
            "dynamodb:*Item|dynamodb:GetItem|true",
            "dynamodb:*Item|dynamodb:Query|false",
            "*|sqs:SendMessage|true",
            "s*:Send*|sqs:SendMessage|true",
            "dynamodb:Query|dynamodb:QueryX|false"})
    void actions(String pattern, String action, boolean expected) {
        assertThat(Wildcards.actionMatches(pattern, action)).isEqualTo(expected);
    }
}
