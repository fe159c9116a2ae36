package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.template.Template;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.List;
import java.util.Map;

/**
 * A template body as the API receives it (TemplateBody, or the object a TemplateURL names): JSON, or YAML with
 * CloudFormation's short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt A.B}...) turned into their long form.
 * The text is kept as it came, for GetTemplate (the CDK CLI compares it with its own to skip unchanged stacks).
 */
record TemplateDocument(String text, JsonNode root) {

    /** CloudFormation's limit for a TemplateBody. */
    static final int MAX_BODY_BYTES = 51_200;
    /** ... and for a template in S3. */
    static final int MAX_URL_BYTES = 1_000_000;

    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
            "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or",
            "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll", "Length", "ToJsonString");

    static TemplateDocument parse(String text) {
        String trimmed = text.stripLeading();
        JsonNode root;
        if (trimmed.startsWith("{")) {
            try {
                root = Template.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw CfnException.validation("Template format error: JSON not well-formed. (" + e.getOriginalMessage() + ")");
            }
        } else {
            Object yaml;
            try {
                yaml = new Yaml(new CfnConstructor(new LoaderOptions())).load(text);
            } catch (YAMLException e) {
                throw CfnException.validation("Template format error: YAML not well-formed. (" + e.getMessage() + ")");
            }
            root = Template.JSON.valueToTree(yaml);
        }
        if (root == null || !root.isObject()) {
            throw CfnException.validation("Template format error: the template is not a JSON or YAML object");
        }
        if (!root.path("Resources").isObject() || root.path("Resources").isEmpty()) {
            throw CfnException.validation("Template format error: At least one Resources member must be defined.");
        }
        return new TemplateDocument(text, root);
    }

    /** SnakeYAML's safe types, the short-form tags as long-form objects, and timestamps left as strings. */
    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            yamlConstructors.put(new Tag("!Ref"), new Short("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Short("Condition"));
            for (String f : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + f), new Short("Fn::" + f));
            }
        }

        private final class Short extends AbstractConstruct {
            private final String name;

            Short(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode s) {
                    String text = constructScalar(s);
                    value = name.equals("Fn::GetAtt") && text.contains(".")
                            ? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1))
                            : text;
                } else if (node instanceof SequenceNode q) {
                    value = constructSequence(q);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(name, value);
            }
        }
    }
}
