package io.pushcqrs.benchmarks;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.mapping.NotificationMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One notification to and from DynamoDB's AttributeValue maps, as command-lambda, the projection and the reader do. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MappingBenchmark {
    private Notification notification;
    private NotificationView view;
    private Map<String, AttributeValue> commandItem;
    private Map<String, AttributeValue> viewItem;

    @Setup
    public void setUp() {
        notification = Data.notification(20, "user-1");
        view = NotificationView.of(notification);
        commandItem = NotificationMapper.toCommandItem(notification);
        viewItem = NotificationMapper.toViewItem(view, "00000000000000000000000000000000000000042");
    }

    /** command-lambda's PutItem item. */
    @Benchmark
    public Map<String, AttributeValue> toCommandItem() {
        return NotificationMapper.toCommandItem(notification);
    }

    /** The projection reading a stream image. */
    @Benchmark
    public Notification fromCommandItem() {
        return NotificationMapper.fromCommandItem(commandItem);
    }

    /** The projection's view item, with its GSI keys. */
    @Benchmark
    public Map<String, AttributeValue> toViewItem() {
        return NotificationMapper.toViewItem(view, "00000000000000000000000000000000000000042");
    }

    /** query-result-lambda reading a view of a Query page. */
    @Benchmark
    public NotificationView fromViewItem() {
        return NotificationMapper.fromViewItem(viewItem);
    }
}
