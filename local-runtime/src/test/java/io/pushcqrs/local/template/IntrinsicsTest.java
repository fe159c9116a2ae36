package io.pushcqrs.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntrinsicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TEMPLATE = """
            {
              "Parameters": {
                "Stage": {"Type": "String", "Default": "dev"},
                "Zones": {"Type": "CommaDelimitedList", "Default": "a,b"},
                "NoDefault": {"Type": "String"},
                "BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/v"}
              },
              "Mappings": {"Sizes": {"dev": {"Memory": "512"}}},
              "Conditions": {
                "IsDev": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
                "IsProd": {"Fn::Not": [{"Condition": "IsDev"}]},
                "DevAndNotProd": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Not": [{"Condition": "IsProd"}]}]},
                "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]}
              },
              "Resources": {
                "TableA1B2C3": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders",
                    "StreamSpecification": {"StreamViewType": "NEW_IMAGE"}}},
                "NoName9F": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
                "NoStream": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "plain"}},
                "QueueD4": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}},
                "FifoQ": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": true}},
                "FnE5": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": {"Fn::Join": ["-", [{"Ref": "Stage"}, "fn"]]}}},
                "ApiF6": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "api"}},
                "StageG7": {"Type": "AWS::ApiGateway::Stage", "Properties": {"StageName": "v1"}},
                "RoleH8": {"Type": "AWS::IAM::Role", "Properties": {}},
                "ProdOnly": {"Type": "AWS::SQS::Queue", "Condition": "IsProd", "Properties": {}},
                "Weird": {"Type": "AWS::EC2::Instance", "Properties": {}}
              }
            }
            """;

    private final Template template = Template.parse(read(TEMPLATE), "my-stack", null, Path.of("."));
    private final Intrinsics in = new Intrinsics(template, "http://127.0.0.1:4566/");

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(String json) {
        return in.text(read(json), "Test.Value");
    }

    @Test
    void pseudoParameters() {
        assertThat(text("{\"Ref\": \"AWS::Region\"}")).isEqualTo("us-east-1");
        assertThat(text("{\"Ref\": \"AWS::AccountId\"}")).isEqualTo("000000000000");
        assertThat(text("{\"Ref\": \"AWS::Partition\"}")).isEqualTo("aws");
        assertThat(text("{\"Ref\": \"AWS::URLSuffix\"}")).isEqualTo("amazonaws.com");
        assertThat(text("{\"Ref\": \"AWS::StackName\"}")).isEqualTo("my-stack");
        assertThat(text("{\"Ref\": \"AWS::StackId\"}")).startsWith("arn:aws:cloudformation:us-east-1:000000000000:stack/my-stack/");
        assertThatThrownBy(() -> text("{\"Ref\": \"AWS::Unknown\"}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("AWS::Unknown")
                .hasMessageContaining("supported: AWS::Region");
    }

    @Test
    void noValueRemovesThePropertyOrTheListElement() {
        JsonNode v = in.resolve(read("{\"a\": {\"Ref\": \"AWS::NoValue\"}, \"b\": [1, {\"Ref\": \"AWS::NoValue\"}, 2]}"), "T");
        assertThat(v.toString()).isEqualTo("{\"b\":[1,2]}");
        assertThat(in.resolve(read("{\"Ref\": \"AWS::NoValue\"}"), "T").isMissingNode()).isTrue();
        assertThat(in.text(read("{\"Ref\": \"AWS::NoValue\"}"), "T")).isNull();
    }

    @Test
    void refOfResourcesGivesThePhysicalIdOfEachType() {
        assertThat(text("{\"Ref\": \"TableA1B2C3\"}")).isEqualTo("orders");
        assertThat(text("{\"Ref\": \"QueueD4\"}")).isEqualTo("http://127.0.0.1:4566/000000000000/jobs");
        assertThat(text("{\"Ref\": \"FnE5\"}")).isEqualTo("dev-fn");
        assertThat(text("{\"Ref\": \"StageG7\"}")).isEqualTo("v1");
        assertThat(text("{\"Ref\": \"ApiF6\"}")).matches("[a-z0-9]{10}");
        // without a name property: stack-LogicalId-HASH, stable from one run to the next
        String generated = text("{\"Ref\": \"NoName9F\"}");
        assertThat(generated).matches("my-stack-NoName9F-[A-Z0-9]{12}");
        assertThat(new Intrinsics(template, "http://x").ref("NoName9F", "T")).isEqualTo(generated);
        assertThat(text("{\"Fn::GetAtt\": [\"FifoQ\", \"QueueName\"]}")).endsWith(".fifo");
    }

    @Test
    void refOfParameters() {
        assertThat(text("{\"Ref\": \"Stage\"}")).isEqualTo("dev");
        assertThat(in.resolve(read("{\"Ref\": \"Zones\"}"), "T").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThatThrownBy(() -> text("{\"Ref\": \"NoDefault\"}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("NoDefault has no Default");
        assertThatThrownBy(() -> text("{\"Ref\": \"BootstrapVersion\"}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("SSM");
        assertThatThrownBy(() -> text("{\"Ref\": \"Nothing\"}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Test.Value")
                .hasMessageContaining("no resource or parameter Nothing");
    }

    @Test
    void getAttAnswersArnsAndTheBackendsValues() {
        assertThat(text("{\"Fn::GetAtt\": [\"TableA1B2C3\", \"Arn\"]}"))
                .isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/orders");
        assertThat(text("{\"Fn::GetAtt\": \"QueueD4.Arn\"}")).isEqualTo("arn:aws:sqs:us-east-1:000000000000:jobs");
        assertThat(text("{\"Fn::GetAtt\": [\"QueueD4\", \"QueueUrl\"]}")).isEqualTo("http://127.0.0.1:4566/000000000000/jobs");
        assertThat(text("{\"Fn::GetAtt\": [\"FnE5\", \"Arn\"]}")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:dev-fn");
        assertThat(text("{\"Fn::GetAtt\": [\"ApiF6\", \"RootResourceId\"]}")).matches("[a-z0-9]{10}");
        assertThat(text("{\"Fn::GetAtt\": [\"RoleH8\", \"Arn\"]}")).startsWith("arn:aws:iam::000000000000:role/my-stack-RoleH8-");
        in.setAttribute("TableA1B2C3", "StreamArn", "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/real");
        assertThat(text("{\"Fn::GetAtt\": [\"TableA1B2C3\", \"StreamArn\"]}")).endsWith("/stream/real");
    }

    @Test
    void getAttOfAnUnknownAttributeNamesTheSupportedOnes() {
        assertThatThrownBy(() -> text("{\"Fn::GetAtt\": [\"TableA1B2C3\", \"Nope\"]}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Test.Value").hasMessageContaining("TableA1B2C3.Nope")
                .hasMessageContaining("it answers: Arn, StreamArn");
        assertThatThrownBy(() -> text("{\"Fn::GetAtt\": [\"NoStream\", \"StreamArn\"]}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("no StreamSpecification");
        assertThatThrownBy(() -> text("{\"Fn::GetAtt\": \"NoDot\"}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("LogicalId.Attribute");
        assertThatThrownBy(() -> text("{\"Fn::GetAtt\": [\"Weird\", \"PublicIp\"]}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("AWS::EC2::Instance")
                .hasMessageContaining("does not support");
    }

    @Test
    void join() {
        assertThat(text("{\"Fn::Join\": [\"\", [\"arn:\", {\"Ref\": \"AWS::Partition\"}, \":x/\", {\"Fn::GetAtt\": [\"FnE5\", \"Arn\"]}]]}"))
                .isEqualTo("arn:aws:x/arn:aws:lambda:us-east-1:000000000000:function:dev-fn");
        assertThat(text("{\"Fn::Join\": [\",\", {\"Fn::GetAZs\": \"\"}]}")).isEqualTo("us-east-1a,us-east-1b,us-east-1c");
        assertThatThrownBy(() -> text("{\"Fn::Join\": [\"-\"]}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Fn::Join takes [delimiter, [values]]");
    }

    @Test
    void subInStringAndListForm() {
        assertThat(text("{\"Fn::Sub\": \"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}\"}"))
                .isEqualTo("cdk-hnb659fds-assets-000000000000-us-east-1");
        assertThat(text("{\"Fn::Sub\": \"${TableA1B2C3} ${FnE5.Arn} ${!Literal}\"}"))
                .isEqualTo("orders arn:aws:lambda:us-east-1:000000000000:function:dev-fn ${Literal}");
        assertThat(text("{\"Fn::Sub\": [\"${Name}-${Stage}\", {\"Name\": {\"Ref\": \"TableA1B2C3\"}}]}"))
                .isEqualTo("orders-dev");
        assertThatThrownBy(() -> text("{\"Fn::Sub\": \"${Unclosed\"}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("unclosed");
    }

    @Test
    void selectSplitBase64FindInMap() {
        assertThat(text("{\"Fn::Select\": [1, {\"Fn::Split\": [\"/\", \"a/b/c\"]}]}")).isEqualTo("b");
        assertThat(text("{\"Fn::Select\": [\"0\", [\"x\", \"y\"]]}")).isEqualTo("x");
        assertThat(in.resolve(read("{\"Fn::Split\": [\",\", \"a,,b\"]}"), "T").toString()).isEqualTo("[\"a\",\"\",\"b\"]");
        assertThat(text("{\"Fn::Base64\": \"hi\"}")).isEqualTo("aGk=");
        assertThat(text("{\"Fn::FindInMap\": [\"Sizes\", {\"Ref\": \"Stage\"}, \"Memory\"]}")).isEqualTo("512");
        assertThatThrownBy(() -> text("{\"Fn::Select\": [5, [\"x\"]]}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("outside the list");
        assertThatThrownBy(() -> text("{\"Fn::FindInMap\": [\"Sizes\", \"prod\", \"Memory\"]}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Sizes.prod.Memory");
    }

    @Test
    void conditionsAndIf() {
        assertThat(in.condition("IsDev", "T")).isTrue();
        assertThat(in.condition("IsProd", "T")).isFalse();
        assertThat(in.condition("DevAndNotProd", "T")).isTrue();
        assertThat(in.condition("Either", "T")).isTrue();
        assertThat(text("{\"Fn::If\": [\"IsDev\", \"small\", \"large\"]}")).isEqualTo("small");
        assertThat(in.resolve(read("{\"x\": {\"Fn::If\": [\"IsProd\", \"large\", {\"Ref\": \"AWS::NoValue\"}]}}"), "T").toString())
                .isEqualTo("{}");
        assertThat(in.exists("ProdOnly")).isFalse();
        assertThat(in.exists("QueueD4")).isTrue();
        assertThatThrownBy(() -> in.condition("Missing", "T")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Missing is not in the template's Conditions");
    }

    @Test
    void anUnsupportedIntrinsicNamesItselfWhereItIsAndTheSupportedList() {
        assertThatThrownBy(() -> in.resolve(read("{\"Env\": {\"X\": {\"Fn::ImportValue\": \"shared-vpc\"}}}"),
                "Resources.FnE5.Properties"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Fn::ImportValue")
                .hasMessageContaining("Resources.FnE5.Properties.Env.X")
                .hasMessageContaining("supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub");
    }
}
