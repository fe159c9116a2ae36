package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Template;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A deployment's parameter values and the template's Rules, checked as CloudFormation checks them. */
class ParametersAndRulesTest {
    private static JsonNode json(String s) {
        try {
            return Template.JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final JsonNode PARAMETERS = json("""
            {'Qualifier': {'Type': 'String', 'Default': 'hnb659fds', 'AllowedPattern': '[A-Za-z0-9_-]{1,10}',
                           'ConstraintDescription': 'Qualifier must be an alphanumeric identifier of at most 10 characters'},
             'Access': {'Type': 'String', 'Default': 'true', 'AllowedValues': ['true', 'false']},
             'Accounts': {'Type': 'CommaDelimitedList', 'Default': ''},
             'Size': {'Type': 'Number', 'Default': '5', 'MinValue': '1', 'MaxValue': '10'},
             'Required': {'Type': 'String'},
             'BootstrapVersion': {'Type': 'AWS::SSM::Parameter::Value<String>', 'Default': '/cdk-bootstrap/hnb659fds/version'}}""");

    private static Map<String, String> p(String key, String value) {
        return Map.of("ParameterKey", key, "ParameterValue", value);
    }

    private static final java.util.function.Function<String, String> SSM =
            name -> name.equals("/cdk-bootstrap/hnb659fds/version") ? "33" : null;

    @Test
    void givenValuesDefaultsAndSsmParametersAreResolved() {
        ParameterValues v = ParameterValues.of(PARAMETERS, List.of(p("Required", "x"), p("Accounts", "")), Map.of(), SSM);
        assertThat(v.declared()).containsEntry("Qualifier", "hnb659fds").containsEntry("Accounts", "")
                .containsEntry("BootstrapVersion", "/cdk-bootstrap/hnb659fds/version");
        assertThat(v.resolved()).containsEntry("BootstrapVersion", "33").containsEntry("Required", "x");
    }

    @Test
    void usePreviousValueTakesTheStacksValue() {
        ParameterValues v = ParameterValues.of(PARAMETERS, List.of(p("Required", "x"),
                Map.of("ParameterKey", "Qualifier", "UsePreviousValue", "true")), Map.of("Qualifier", "custom1"), SSM);
        assertThat(v.resolved()).containsEntry("Qualifier", "custom1");
    }

    @Test
    void whatAwsRefusesIsAValidationError() {
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(), Map.of(), SSM))
                .hasMessage("Parameters: [Required] must have values");
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(p("Required", "x"), p("Nope", "1")), Map.of(), SSM))
                .hasMessage("Parameters: [Nope] do not exist in the template");
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(p("Required", "x"), p("Qualifier", "far-too-long-q")),
                Map.of(), SSM)).hasMessage("Parameter Qualifier failed to satisfy constraint: Qualifier must be an"
                + " alphanumeric identifier of at most 10 characters");
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(p("Required", "x"), p("Access", "maybe")),
                Map.of(), SSM)).hasMessage("Parameter 'Access' must be one of AllowedValues");
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(p("Required", "x"), p("Size", "11")),
                Map.of(), SSM)).hasMessage("Parameter 'Size' must be a number not greater than 10");
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(p("Required", "x"), p("Size", "many")),
                Map.of(), SSM)).hasMessage("Parameter 'Size' must be a number");
        assertThatThrownBy(() -> ParameterValues.of(PARAMETERS, List.of(p("Required", "x")), Map.of(), name -> null))
                .hasMessage("Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from parameter store for this account.");
    }

    @Test
    void theCdksBootstrapVersionRuleHoldsForARecentBootstrapAndFailsForAnOldOne() {
        JsonNode rules = json("""
                {'CheckBootstrapVersion': {'Assertions': [{'Assert': {'Fn::Not': [{'Fn::Contains': [['1', '2', '3', '4', '5'],
                  {'Ref': 'BootstrapVersion'}]}]}, 'AssertDescription': "CDK bootstrap stack version 6 required."}]}}""");
        new TemplateRules(PARAMETERS, Map.of("BootstrapVersion", "33")).check(rules);
        assertThatThrownBy(() -> new TemplateRules(PARAMETERS, Map.of("BootstrapVersion", "4")).check(rules))
                .isInstanceOf(CfnException.class).hasMessage("CDK bootstrap stack version 6 required.");
    }

    @Test
    void ruleConditionsAndListFunctions() {
        JsonNode rules = json("""
                {'OnlyProd': {'RuleCondition': {'Fn::Equals': [{'Ref': 'Access'}, 'false']},
                              'Assertions': [{'Assert': {'Fn::EachMemberIn': [{'Ref': 'Accounts'}, ['111', '222']]},
                                              'AssertDescription': 'unknown account'}]}}""");
        new TemplateRules(PARAMETERS, Map.of("Access", "true", "Accounts", "999")).check(rules); // condition false
        new TemplateRules(PARAMETERS, Map.of("Access", "false", "Accounts", "111,222")).check(rules);
        assertThatThrownBy(() -> new TemplateRules(PARAMETERS, Map.of("Access", "false", "Accounts", "111,999")).check(rules))
                .hasMessage("unknown account");
        JsonNode unsupported = json("{'R': {'Assertions': [{'Assert': {'Fn::ValueOf': ['Required', 'Tags']}}]}}");
        assertThatThrownBy(() -> new TemplateRules(PARAMETERS, Map.of()).check(unsupported))
                .hasMessageContaining("does not evaluate Fn::ValueOf");
    }
}
