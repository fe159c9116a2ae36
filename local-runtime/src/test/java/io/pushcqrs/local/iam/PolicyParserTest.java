package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What IAM refuses as MalformedPolicyDocument is refused here too, naming the problem. */
class PolicyParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}|Effect must be Allow or Deny",
            "{\"Statement\":[{\"Action\":\"s3:*\",\"Resource\":\"*\"}]}|Effect must be Allow or Deny",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}|exactly one of Action and NotAction",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"NotAction\":\"a:c\",\"Resource\":\"*\"}]}|exactly one of Action and NotAction",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\"}]}|exactly one of Resource and NotResource",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Principal\":\"*\"}]}|may not name one",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}|Action is empty",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"k\":\"v\"}}}]}|StringEqualz is not a condition operator",
            "{\"Version\":\"2012-10-17\"}|has no Statement",
            "[1]|not a JSON object"})
    void refusesWhatIamRefuses(String document, String message) throws Exception {
        assertThatThrownBy(() -> PolicyParser.parse("p", "test", JSON.readTree(document)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void readsAStatementObjectOrAList() throws Exception {
        Policy one = PolicyParser.parse("p", "test", JSON.readTree(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"x\",\"Effect\":\"Deny\",\"NotAction\":\"s3:*\",\"NotResource\":[\"a\",\"b\"]}}"));
        assertThat(one.variables()).isTrue();
        assertThat(one.statements()).singleElement().satisfies(s -> {
            assertThat(s.sid()).isEqualTo("x");
            assertThat(s.allow()).isFalse();
            assertThat(s.notActions()).containsExactly("s3:*");
            assertThat(s.actions()).isNull();
            assertThat(s.notResources()).containsExactly("a", "b");
        });
        Policy old = PolicyParser.parse("p", "test", JSON.readTree(
                "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        assertThat(old.variables()).isFalse();
    }
}
