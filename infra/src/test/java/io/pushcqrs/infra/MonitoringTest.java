package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static io.pushcqrs.infra.Synth.ref;
import static org.assertj.core.api.Assertions.assertThat;

class MonitoringTest {
    private final Synth.Synthesized dev = Synth.dev();

    @Test
    void exactlyTheseAlarms() {
        Map<String, JsonNode> alarms = alarmsByName();
        assertThat(alarms).containsOnlyKeys(
                "dev-stream-processor-iterator-age",
                "dev-command-lambda-errors", "dev-stream-processor-errors",
                "dev-query-result-lambda-errors", "dev-query-lambda-errors",
                "dev-command-lambda-throttles", "dev-stream-processor-throttles",
                "dev-query-result-lambda-throttles", "dev-query-lambda-throttles",
                "dev-stream-processor-dlq-depth",
                "dev-api-5xx");
        alarms.values().forEach(a -> {
            assertThat(a.get("TreatMissingData").asText()).isEqualTo("notBreaching");
            assertThat(a.get("AlarmDescription").asText()).isNotBlank();
        });
    }

    @Test
    void iteratorAgeOfTheStreamProcessor() {
        JsonNode a = alarmsByName().get("dev-stream-processor-iterator-age");
        assertMetric(a, "AWS/Lambda", "IteratorAge", "Maximum", 60,
                Map.of("FunctionName", ref(dev.functionId(LambdaModule.STREAM_PROCESSOR))));
        assertThat(a.get("Threshold").asDouble()).isEqualTo(60_000);
        assertThat(a.get("EvaluationPeriods").asInt()).isEqualTo(5);
        assertThat(a.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    }

    @Test
    void errorsAndThrottlesOfEveryFunction() {
        Map<String, JsonNode> alarms = alarmsByName();
        for (LambdaModule module : LambdaModule.values()) {
            Map<String, JsonNode> dimensions = Map.of("FunctionName", ref(dev.functionId(module)));
            JsonNode errors = alarms.get("dev-" + module.moduleName() + "-errors");
            assertMetric(errors, "AWS/Lambda", "Errors", "Sum", 300, dimensions);
            assertThat(errors.get("Threshold").asDouble()).isEqualTo(1);
            assertThat(errors.get("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
            JsonNode throttles = alarms.get("dev-" + module.moduleName() + "-throttles");
            assertMetric(throttles, "AWS/Lambda", "Throttles", "Sum", 300, dimensions);
            assertThat(throttles.get("Threshold").asDouble()).isEqualTo(1);
            assertThat(throttles.get("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        }
    }

    @Test
    void anyMessageInTheDlq() {
        String dlqId = dev.logicalIdByName("AWS::SQS::Queue", "QueueName", "dev-stream-processor-dlq");
        JsonNode a = alarmsByName().get("dev-stream-processor-dlq-depth");
        assertMetric(a, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 60,
                Map.of("QueueName", Synth.getAtt(dlqId, "QueueName")));
        assertThat(a.get("Threshold").asDouble()).isEqualTo(0);
        assertThat(a.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    }

    @Test
    void api5xxOnTheStage() {
        String apiId = dev.ofType("AWS::ApiGateway::RestApi").keySet().iterator().next();
        String stageId = dev.ofType("AWS::ApiGateway::Stage").keySet().iterator().next();
        JsonNode a = alarmsByName().get("dev-api-5xx");
        assertThat(a.get("Namespace").asText()).isEqualTo("AWS/ApiGateway");
        assertThat(a.get("MetricName").asText()).isEqualTo("5XXError");
        assertThat(a.get("Statistic").asText()).isEqualTo("Sum");
        Map<String, JsonNode> dims = dimensions(a);
        assertThat(dims).containsOnlyKeys("ApiName", "Stage");
        assertThat(dims.get("Stage")).isEqualTo(ref(stageId));
        assertThat(dims.get("ApiName").toString()).satisfiesAnyOf(
                v -> assertThat(v).isEqualTo("\"dev-notification-api\""),
                v -> assertThat(v).contains(apiId));
        assertThat(a.get("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
    }

    @Test
    void dashboardShowsAllOfIt() {
        dev.template().resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        JsonNode p = dev.ofType("AWS::CloudWatch::Dashboard").values().iterator().next().get("Properties");
        assertThat(p.get("DashboardName").asText()).isEqualTo("dev-notification-cqrs");
        String body = p.get("DashboardBody").toString();
        assertThat(body).contains("IteratorAge", "ApproximateNumberOfMessagesVisible", "5XXError", "4XXError",
                "Latency", "Errors", "Throttles", "Invocations", "Duration", "alarm");
        for (LambdaModule module : LambdaModule.values()) {
            assertThat(body).contains(dev.functionId(module));
        }
        for (String alarmId : dev.ofType("AWS::CloudWatch::Alarm").keySet()) {
            assertThat(body).as("alarm status widget lists %s", alarmId).contains(alarmId);
        }
    }

    private Map<String, JsonNode> alarmsByName() {
        Map<String, JsonNode> alarms = new TreeMap<>();
        dev.ofType("AWS::CloudWatch::Alarm").values()
                .forEach(a -> alarms.put(a.at("/Properties/AlarmName").asText(), a.get("Properties")));
        assertThat(alarms).hasSize(dev.ofType("AWS::CloudWatch::Alarm").size());
        return alarms;
    }

    private static void assertMetric(JsonNode alarm, String namespace, String metric, String statistic, int period,
                                     Map<String, JsonNode> dimensions) {
        assertThat(alarm).isNotNull();
        assertThat(alarm.get("Namespace").asText()).isEqualTo(namespace);
        assertThat(alarm.get("MetricName").asText()).isEqualTo(metric);
        assertThat(alarm.get("Statistic").asText()).isEqualTo(statistic);
        assertThat(alarm.get("Period").asInt()).isEqualTo(period);
        assertThat(dimensions(alarm)).isEqualTo(dimensions);
    }

    private static Map<String, JsonNode> dimensions(JsonNode alarm) {
        Map<String, JsonNode> result = new TreeMap<>();
        alarm.get("Dimensions").forEach(d -> result.put(d.get("Name").asText(), d.get("Value")));
        return result;
    }

}
