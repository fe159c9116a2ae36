package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.pushcqrs.infra.Synth.getAtt;
import static io.pushcqrs.infra.Synth.ref;
import static org.assertj.core.api.Assertions.assertThat;

class OutputsTest {
    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void exactlyTheDocumentedOutputs() {
        List<String> names = new ArrayList<>();
        dev.json().get("Outputs").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("ApiUrl", "ApiKeyId", "CommandTable", "NotificationTable",
                "DlqUrl", "CommandStreamArn", "CommandFunction", "StreamProcessorFunction", "QueryResultFunction",
                "QueryFunction");
    }

    @Test
    void outputValues() {
        String dlqId = dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq");
        String apiKeyId = dev.ofType("AWS::ApiGateway::ApiKey").keySet().iterator().next();
        assertThat(value("ApiKeyId")).isEqualTo(ref(apiKeyId));
        assertThat(value("CommandTable")).isEqualTo(ref(dev.tableId("command-records")));
        assertThat(value("NotificationTable")).isEqualTo(ref(dev.tableId("notification-records")));
        assertThat(value("DlqUrl")).isEqualTo(ref(dlqId));
        assertThat(value("CommandStreamArn")).isEqualTo(getAtt(dev.tableId("command-records"), "StreamArn"));
        assertThat(value("CommandFunction")).isEqualTo(ref(dev.functionId(LambdaModule.COMMAND)));
        assertThat(value("StreamProcessorFunction")).isEqualTo(ref(dev.functionId(LambdaModule.STREAM_PROCESSOR)));
        assertThat(value("QueryResultFunction")).isEqualTo(ref(dev.functionId(LambdaModule.QUERY_RESULT)));
        assertThat(value("QueryFunction")).isEqualTo(ref(dev.functionId(LambdaModule.QUERY)));
    }

    @Test
    void apiUrlIsTheStageUrl() {
        String apiId = dev.ofType("AWS::ApiGateway::RestApi").keySet().iterator().next();
        String stageId = dev.ofType("AWS::ApiGateway::Stage").keySet().iterator().next();
        JsonNode parts = value("ApiUrl").at("/Fn::Join/1");
        assertThat(parts.get(0).asText()).isEqualTo("https://");
        assertThat(parts.get(1)).isEqualTo(ref(apiId));
        assertThat(parts.get(2).asText()).isEqualTo(".execute-api.");
        assertThat(parts).contains(ref(stageId));
        assertThat(parts.get(parts.size() - 1).asText()).isEqualTo("/");
    }

    private JsonNode value(String output) {
        return dev.json().at("/Outputs/" + output + "/Value");
    }
}
