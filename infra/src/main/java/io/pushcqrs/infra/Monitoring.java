package io.pushcqrs.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.lambda.Function;
import java.util.ArrayList;
import java.util.List;

/**
 * Alarms and the dashboard: the stream's iterator age, each function's errors and throttles, the DLQ's depth, the
 * API's 5XX; graphs of requests, errors, latency and the stream. No data is treated as nothing wrong.
 */
final class Monitoring {
    private final StackParts stack;
    private final Functions functions;
    private final StreamProjection projection;
    private final NotificationApi api;
    private final List<IAlarm> alarms = new ArrayList<>();

    Monitoring(StackParts stack, Functions functions, StreamProjection projection, NotificationApi api) {
        this.stack = stack;
        this.functions = functions;
        this.projection = projection;
        this.api = api;
        create();
    }

    private void create() {
        Function streamProcessor = functions.get(LambdaModule.STREAM_PROCESSOR);

        // The projection lags behind the writes: a minute of age for 5 minutes means the views are stale.
        Metric iteratorAge = streamProcessor.metric("IteratorAge", MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
        alarm("StreamIteratorAgeAlarm", "stream-processor-iterator-age", iteratorAge, 60_000, 5,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                "stream-processor is more than 60 s behind command-records for 5 minutes");

        List<IMetric> errorMetrics = new ArrayList<>();
        List<IMetric> throttleMetrics = new ArrayList<>();
        List<IMetric> invocationMetrics = new ArrayList<>();
        List<IMetric> durationMetrics = new ArrayList<>();
        for (LambdaModule module : LambdaModule.values()) {
            Function fn = functions.get(module);
            // Alarms take the plain metric (a label would turn it into a metric-math alarm); graphs a labelled one.
            MetricOptions sum5m = MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build();
            MetricOptions labelled = MetricOptions.builder().label(module.moduleName()).build();
            Metric errors = fn.metricErrors(sum5m);
            Metric throttles = fn.metricThrottles(sum5m);
            alarm(module.constructId() + "ErrorsAlarm", module.moduleName() + "-errors", errors, 1, 1,
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    module.moduleName() + " failed (unhandled error or timeout) in the last 5 minutes");
            alarm(module.constructId() + "ThrottlesAlarm", module.moduleName() + "-throttles", throttles, 1, 1,
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    module.moduleName() + " was throttled in the last 5 minutes");
            errorMetrics.add(errors.with(labelled));
            throttleMetrics.add(throttles.with(labelled));
            invocationMetrics.add(fn.metricInvocations(sum5m).with(labelled));
            durationMetrics.add(fn.metricDuration(MetricOptions.builder().statistic("p99")
                    .period(Duration.minutes(5)).label(module.moduleName() + " p99").build()));
        }

        // Any message here is a batch the mapping gave up on: the views are missing changes until replayed.
        Metric dlqDepth = projection.dlq().metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
        alarm("StreamDlqDepthAlarm", "stream-processor-dlq-depth", dlqDepth, 0, 1,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                "records the stream mapping gave up on are waiting in " + stack.config().name("stream-processor-dlq"));

        Metric api5xx = api.restApi().getDeploymentStage().metricServerError(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(5)).build());
        alarm("Api5xxAlarm", "api-5xx", api5xx, 5, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                stack.config().name("notification-api") + " answered 5 or more 5XX errors in 5 minutes");
        Metric api4xx = api.restApi().getDeploymentStage().metricClientError(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(5)).build());
        Metric apiCount = api.restApi().getDeploymentStage().metricCount(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(5)).build());
        Metric apiLatency = api.restApi().getDeploymentStage().metricLatency(MetricOptions.builder()
                .statistic("p99").period(Duration.minutes(5)).build());

        List<IWidget> header = List.of(
                TextWidget.Builder.create()
                        .markdown("# Notification CQRS (" + stack.config().stage() + ")\nWrites -> "
                                + stack.config().name("command-records") + " -> stream -> "
                                + stack.config().name("notification-records") + " -> queries")
                        .width(8).height(6).build(),
                AlarmStatusWidget.Builder.create().title("Alarms").alarms(alarms).width(16).height(6).build());
        List<IWidget> apiRow = List.of(
                graph("API requests", List.of(apiCount), 8),
                graph("API 4XX / 5XX", List.of(api4xx, api5xx), 8),
                graph("API latency p99 (ms)", List.of(apiLatency), 8));
        List<IWidget> lambdaRow = List.of(
                graph("Invocations", invocationMetrics, 6),
                graph("Errors", errorMetrics, 6),
                graph("Throttles", throttleMetrics, 6),
                graph("Duration p99 (ms)", durationMetrics, 6));
        List<IWidget> streamRow = List.of(
                graph("Stream iterator age (ms)", List.of(iteratorAge), 12),
                graph("Stream DLQ depth", List.of(dlqDepth), 12));

        Dashboard.Builder.create(stack.scope(), "Dashboard")
                .dashboardName(stack.config().name("notification-cqrs"))
                .widgets(List.of(header, apiRow, lambdaRow, streamRow))
                .build();
    }

    private void alarm(String id, String nameSuffix, IMetric metric, double threshold, int evaluationPeriods,
                       ComparisonOperator operator, String description) {
        alarms.add(Alarm.Builder.create(stack.scope(), id)
                .alarmName(stack.config().name(nameSuffix))
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(evaluationPeriods)
                .comparisonOperator(operator)
                // No data = no traffic = nothing wrong.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private static GraphWidget graph(String title, List<IMetric> metrics, int width) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(width).height(6).build();
    }
}
