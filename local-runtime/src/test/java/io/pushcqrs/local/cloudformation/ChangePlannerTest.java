package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Template;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a change set lists: Add, Modify (with replacement), Remove, in dependency order; and what AWS refuses. */
class ChangePlannerTest {

    private static JsonNode json(String s) {
        try {
            return Template.JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final JsonNode V1 = json("""
            {'Parameters': {'Stage': {'Type': 'String', 'Default': 'dev'}},
             'Conditions': {'WithAlarm': {'Fn::Equals': [{'Ref': 'Stage'}, 'prod']}},
             'Resources': {
               'Fn': {'Type': 'AWS::Lambda::Function', 'DependsOn': 'Role',
                      'Properties': {'FunctionName': 'fn', 'Environment': {'Variables': {'TABLE': {'Ref': 'Table'}}}}},
               'Table': {'Type': 'AWS::DynamoDB::Table',
                         'Properties': {'KeySchema': [{'AttributeName': 'pk', 'KeyType': 'HASH'}], 'BillingMode': 'PAY_PER_REQUEST'}},
               'Role': {'Type': 'AWS::IAM::Role', 'Properties': {'Description': {'Fn::Sub': 'role of ${Stage}'}}},
               'Alarm': {'Type': 'AWS::CloudWatch::Alarm', 'Condition': 'WithAlarm', 'Properties': {}},
               'Queue': {'Type': 'AWS::SQS::Queue', 'Properties': {}}}}""");

    @Test
    void aNewStackAddsEveryPresentResourceInDependencyOrder() {
        List<ChangeSetRecord.ResourceChange> changes = ChangePlanner.plan("s", null, Map.of(), V1, Map.of("Stage", "dev"),
                Map.of());
        assertThat(changes).extracting(ChangeSetRecord.ResourceChange::action).containsOnly("Add");
        // the alarm's condition is false: not in the change set; Fn comes after the table and the role it needs
        assertThat(changes).extracting(ChangeSetRecord.ResourceChange::logicalId).containsExactly("Table", "Role", "Fn", "Queue");
    }

    @Test
    void modifiedResourcesSayWhichPropertiesChangedAndWhetherTheyAreReplaced() {
        JsonNode v2 = V1.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) v2.path("Resources").path("Fn").path("Properties")
                .path("Environment").path("Variables")).put("MODE", "new");
        ((com.fasterxml.jackson.databind.node.ArrayNode) v2.path("Resources").path("Table").path("Properties")
                .path("KeySchema")).addObject().put("AttributeName", "sk").put("KeyType", "RANGE");
        ((com.fasterxml.jackson.databind.node.ObjectNode) v2.path("Resources")).remove("Queue");
        Map<String, String> physical = Map.of("Fn", "fn", "Table", "s-Table-X", "Role", "s-Role-Y", "Queue", "http://q");
        List<ChangeSetRecord.ResourceChange> changes = ChangePlanner.plan("s", V1, Map.of("Stage", "dev"), v2,
                Map.of("Stage", "dev"), physical);

        ChangeSetRecord.ResourceChange table = find(changes, "Table");
        assertThat(table.action()).isEqualTo("Modify");
        assertThat(table.replacement()).isEqualTo("True");
        assertThat(table.physicalId()).isEqualTo("s-Table-X");
        assertThat(table.details()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("KeySchema");
            assertThat(d.requiresRecreation()).isEqualTo("Always");
            assertThat(d.changeSource()).isEqualTo("DirectModification");
        });
        ChangeSetRecord.ResourceChange fn = find(changes, "Fn");
        assertThat(fn.replacement()).isEqualTo("False"); // an environment change updates in place
        assertThat(fn.details()).extracting(ChangeSetRecord.Detail::name).contains("Environment");
        // Fn refers to the replaced table: its environment changes too (CloudFormation's Dynamic evaluation)
        assertThat(fn.details()).anyMatch(d -> d.evaluation().equals("Dynamic") && "Table".equals(d.causingEntity()));
        assertThat(find(changes, "Queue").action()).isEqualTo("Remove");
        assertThat(find(changes, "Queue").physicalId()).isEqualTo("http://q");
        assertThat(changes).noneMatch(c -> c.logicalId().equals("Role"));
        assertThat(changes.get(changes.size() - 1).action()).isEqualTo("Remove");
    }

    @Test
    void aParameterChangeModifiesTheResourcesThatReferToIt() {
        List<ChangeSetRecord.ResourceChange> changes = ChangePlanner.plan("s", V1, Map.of("Stage", "dev"), V1,
                Map.of("Stage", "prod"), Map.of());
        assertThat(find(changes, "Role").details()).singleElement()
                .satisfies(d -> assertThat(d.changeSource()).isEqualTo("ParameterReference"));
        // and the alarm's condition is true now: it is added
        assertThat(find(changes, "Alarm").action()).isEqualTo("Add");
        assertThat(changes).noneMatch(c -> c.logicalId().equals("Table"));
    }

    @Test
    void anUnchangedTemplateHasNoChanges() {
        assertThat(ChangePlanner.plan("s", V1, Map.of("Stage", "dev"), V1.deepCopy(), Map.of("Stage", "dev"), Map.of()))
                .isEmpty();
    }

    @Test
    void whatAwsRefusesFailsTheChangeSet() {
        JsonNode typeChanged = V1.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) typeChanged.path("Resources").path("Queue")).put("Type", "AWS::SNS::Topic");
        assertThatThrownBy(() -> ChangePlanner.plan("s", V1, Map.of(), typeChanged, Map.of(), Map.of()))
                .isInstanceOf(CfnException.class).hasMessageContaining("Update of resource type is not permitted")
                .hasMessageContaining("[Queue]");
        JsonNode cycle = json("{'Resources': {'A': {'Type': 'AWS::SQS::Queue', 'DependsOn': 'B'},"
                + " 'B': {'Type': 'AWS::SQS::Queue', 'Properties': {'QueueName': {'Fn::GetAtt': ['A', 'QueueName']}}}}}");
        assertThatThrownBy(() -> ChangePlanner.plan("s", null, Map.of(), cycle, Map.of(), Map.of()))
                .isInstanceOf(CfnException.class).hasMessageContaining("Circular dependency between resources");
        JsonNode dangling = json("{'Resources': {'A': {'Type': 'AWS::SQS::Queue', 'DependsOn': 'Nope'}}}");
        assertThatThrownBy(() -> ChangePlanner.plan("s", null, Map.of(), dangling, Map.of(), Map.of()))
                .isInstanceOf(CfnException.class).hasMessageContaining("Unresolved resource dependencies [Nope]");
    }

    @Test
    void replacementRulesFollowTheResourceReference() {
        assertThat(Replacements.requiresRecreation("AWS::DynamoDB::Table", "GlobalSecondaryIndexes")).isEqualTo("Never");
        assertThat(Replacements.requiresRecreation("AWS::DynamoDB::Table", "TableName")).isEqualTo("Always");
        assertThat(Replacements.requiresRecreation("AWS::Lambda::Function", "Code")).isEqualTo("Never");
        assertThat(Replacements.requiresRecreation("AWS::Lambda::EventSourceMapping", "EventSourceArn")).isEqualTo("Always");
        assertThat(Replacements.requiresRecreation("AWS::Lambda::EventSourceMapping", "BatchSize")).isEqualTo("Never");
        assertThat(Replacements.requiresRecreation("AWS::ApiGateway::ApiKey", "Value")).isEqualTo("Always");
    }

    private static ChangeSetRecord.ResourceChange find(List<ChangeSetRecord.ResourceChange> changes, String id) {
        return changes.stream().filter(c -> c.logicalId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + changes));
    }
}
