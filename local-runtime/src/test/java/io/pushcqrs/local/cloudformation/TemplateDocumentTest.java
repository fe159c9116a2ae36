package io.pushcqrs.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Template bodies: JSON, YAML with CloudFormation's short-form tags, and what AWS refuses. */
class TemplateDocumentTest {

    @Test
    void yamlShortFormTagsBecomeTheirLongForm() {
        TemplateDocument doc = TemplateDocument.parse("""
                Parameters:
                  Qualifier: {Type: String, Default: hnb659fds}
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: !Sub 'cdk-${Qualifier}-assets-${AWS::AccountId}'
                      Tags:
                        - Key: arn
                          Value: !GetAtt Role.Arn
                        - Key: list
                          Value: !Join ['-', [!Ref Qualifier, !Select [0, !GetAZs '']]]
                        - Key: when
                          Value: !If [IsProd, yes-value, !Ref 'AWS::NoValue']
                      Version: 2012-10-17
                Conditions:
                  IsProd: !Equals [!Ref Qualifier, prod]
                """);
        JsonNode props = doc.root().path("Resources").path("Bucket").path("Properties");
        assertThat(props.path("BucketName").path("Fn::Sub").asText()).isEqualTo("cdk-${Qualifier}-assets-${AWS::AccountId}");
        assertThat(props.path("Tags").get(0).path("Value").path("Fn::GetAtt").toString()).isEqualTo("[\"Role\",\"Arn\"]");
        assertThat(props.path("Tags").get(1).path("Value").path("Fn::Join").get(1).get(0).path("Ref").asText())
                .isEqualTo("Qualifier");
        assertThat(props.path("Tags").get(1).path("Value").path("Fn::Join").get(1).get(1).path("Fn::Select").get(1)
                .has("Fn::GetAZs")).isTrue();
        assertThat(props.path("Tags").get(2).path("Value").path("Fn::If").get(2).path("Ref").asText()).isEqualTo("AWS::NoValue");
        // a date-like scalar stays a string (IAM's Version: 2012-10-17), as CloudFormation reads it
        assertThat(props.path("Version").isTextual()).isTrue();
        assertThat(props.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(doc.root().path("Conditions").path("IsProd").path("Fn::Equals").get(0).path("Ref").asText())
                .isEqualTo("Qualifier");
    }

    @Test
    void theTextIsKeptAsItCame() {
        String body = "{\n  \"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}\n}\n";
        assertThat(TemplateDocument.parse(body).text()).isEqualTo(body);
    }

    @Test
    void cdkBootstrapsOwnTemplateParses() throws Exception {
        Path yaml = Path.of("..", "node_modules", "aws-cdk", "lib", "api", "bootstrap", "bootstrap-template.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(yaml), "the CDK CLI is installed (npm ci)");
        TemplateDocument doc = TemplateDocument.parse(Files.readString(yaml));
        assertThat(doc.root().path("Resources").path("StagingBucket").path("Type").asText()).isEqualTo("AWS::S3::Bucket");
        assertThat(doc.root().path("Outputs").path("BootstrapVersion").path("Value").asText()).matches("\\d+");
    }

    @Test
    void whatAwsRefusesIsAValidationError() {
        assertThatThrownBy(() -> TemplateDocument.parse("{\"Resources\": {}}"))
                .isInstanceOf(CfnException.class).hasMessageContaining("At least one Resources member must be defined");
        assertThatThrownBy(() -> TemplateDocument.parse("{\"Resources\": "))
                .isInstanceOf(CfnException.class).hasMessageContaining("JSON not well-formed");
        assertThatThrownBy(() -> TemplateDocument.parse("Resources:\n  A: [unclosed\n"))
                .isInstanceOf(CfnException.class).hasMessageContaining("YAML not well-formed");
        assertThatThrownBy(() -> TemplateDocument.parse("Resources:\n  A:\n    Type: !Unknown x\n"))
                .isInstanceOf(CfnException.class).hasMessageContaining("Template format error");
        assertThatThrownBy(() -> TemplateDocument.parse("- a list"))
                .isInstanceOf(CfnException.class).hasMessageContaining("not a JSON or YAML object");
    }
}
