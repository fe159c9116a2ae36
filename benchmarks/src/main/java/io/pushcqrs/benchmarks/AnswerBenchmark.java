package io.pushcqrs.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.query.app.ViewItems;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page of 30 views serialised as the query path does it twice: query-result-lambda writes the invoke answer (a
 * QueryResponse as JSON), query-lambda reads it and writes the HTTP answer (snake_case items with their _iso twins).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnswerBenchmark {
    private static final com.fasterxml.jackson.databind.ObjectReader READER = Json.MAPPER.readerFor(QueryResponse.class)
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private List<NotificationView> page;
    private String invokeAnswer;

    @Setup
    public void setUp() {
        page = Data.views(30);
        invokeAnswer = Json.write(QueryResponse.page(page, "a-cursor-of-some-length-0123456789abcdef"));
    }

    /** query-result-lambda: the page as its invoke answer. */
    @Benchmark
    public String writeInvokeAnswer() {
        return Json.write(QueryResponse.page(page, "a-cursor-of-some-length-0123456789abcdef"));
    }

    /** query-lambda: the invoke answer read back (its adapter's tolerant reader). */
    @Benchmark
    public QueryResponse readInvokeAnswer() throws java.io.IOException {
        return READER.readValue(invokeAnswer);
    }

    /** query-lambda: the HTTP answer's body from the page. */
    @Benchmark
    public String writeHttpAnswer() {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("success", true);
        answer.put("count", page.size());
        ArrayNode items = answer.putArray("items");
        for (NotificationView v : page) {
            items.add(ViewItems.toItem(v));
        }
        answer.put("next_cursor", "a-cursor-of-some-length-0123456789abcdef");
        return Json.write(answer);
    }
}
