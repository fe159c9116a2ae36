package io.pushcqrs.local.cloudformation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query protocol as the SDKs send it, and the XML the API answers. */
class QueryProtocolTest {

    @Test
    void listsStructuresAndBlankValuesAreRead() {
        QueryRequest q = QueryRequest.parse(null, ("Action=CreateChangeSet&Version=2010-05-15&StackName=CDKToolkit"
                + "&Parameters.member.1.ParameterKey=TrustedAccounts&Parameters.member.1.ParameterValue="
                + "&Parameters.member.2.ParameterKey=Qualifier&Parameters.member.2.UsePreviousValue=true"
                + "&Capabilities.member.1=CAPABILITY_IAM&Capabilities.member.2=CAPABILITY_NAMED_IAM"
                + "&TemplateBody=Resources%3A%0A%20%20A%3A%20%7BType%3A%20%22AWS%3A%3ASQS%3A%3AQueue%22%7D")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(q.action()).isEqualTo("CreateChangeSet");
        assertThat(q.list("Capabilities")).containsExactly("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
        assertThat(q.structs("Parameters")).containsExactly(
                Map.of("ParameterKey", "TrustedAccounts", "ParameterValue", ""),
                Map.of("ParameterKey", "Qualifier", "UsePreviousValue", "true"));
        assertThat(q.get("TemplateBody")).isEqualTo("Resources:\n  A: {Type: \"AWS::SQS::Queue\"}");
        assertThat(q.list("Tags")).isEmpty();
        assertThatThrownBy(() -> q.required("ChangeSetName")).isInstanceOf(CfnException.class)
                .hasMessageContaining("'changeSetName'");
    }

    @Test
    void answersAndErrorsHaveTheQueryProtocolsShape() {
        String ok = Xml.response("DescribeStacks", "req-1", new Xml().open("Stacks").open("member")
                .element("StackName", "a<b").element("Missing", null).strings("Capabilities", List.of("CAPABILITY_IAM"))
                .close("member").close("Stacks"));
        assertThat(ok).isEqualTo("<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                + "<DescribeStacksResult><Stacks><member><StackName>a&lt;b</StackName><Capabilities><member>CAPABILITY_IAM"
                + "</member></Capabilities></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>req-1"
                + "</RequestId></ResponseMetadata></DescribeStacksResponse>");
        assertThat(Xml.response("DeleteChangeSet", "r", null)).doesNotContain("DeleteChangeSetResult");
        assertThat(Xml.error("Sender", "ValidationError", "Stack with id x does not exist", "r"))
                .contains("<Code>ValidationError</Code><Message>Stack with id x does not exist</Message>");
    }

    @Test
    void templateUrlsArePathStyleOrVirtualHosted() {
        assertThat(CloudFormationService.s3Location("http://127.0.0.1:4566/cdk-hnb659fds-assets-000000000000-us-east-1/ab.json"))
                .containsExactly("cdk-hnb659fds-assets-000000000000-us-east-1", "ab.json");
        assertThat(CloudFormationService.s3Location("https://s3.us-east-1.amazonaws.com/bucket/dir/t.yaml"))
                .containsExactly("bucket", "dir/t.yaml");
        assertThat(CloudFormationService.s3Location("https://my.bucket.s3.us-east-1.amazonaws.com/t.json"))
                .containsExactly("my.bucket", "t.json");
        assertThat(CloudFormationService.s3Location("https://bucket.s3.amazonaws.com/k"))
                .containsExactly("bucket", "k");
        for (String bad : List.of("s3://bucket/key", "https://s3.amazonaws.com/bucket-only", "not a url", "ftp://x/b/k")) {
            assertThatThrownBy(() -> CloudFormationService.s3Location(bad)).as(bad).isInstanceOf(CfnException.class)
                    .hasMessage("TemplateURL must be a supported URL.");
        }
    }
}
