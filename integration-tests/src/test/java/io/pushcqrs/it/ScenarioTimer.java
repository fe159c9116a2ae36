package io.pushcqrs.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/** Prints how long each scenario took ("[it] EmbeddedStackIT createIsVisibleInEveryQuery: 1.23 s") and a summary per class. */
final class ScenarioTimer implements BeforeTestExecutionCallback, AfterTestExecutionCallback, AfterAllCallback {
    private final List<String> lines = new ArrayList<>();
    private long started;

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        started = System.nanoTime();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        double seconds = (System.nanoTime() - started) / 1e9;
        String outcome = context.getExecutionException().isPresent() ? "FAILED" : "ok";
        String method = context.getRequiredTestMethod().getName();
        String name = context.getDisplayName().startsWith(method) ? method : method + " " + context.getDisplayName();
        String line = String.format("%-70s %7.2f s  %s", name, seconds, outcome);
        synchronized (lines) {
            lines.add(line);
        }
        System.out.printf("[it] %s %s%n", context.getRequiredTestClass().getSimpleName(), line);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (lines) {
            if (lines.isEmpty()) {
                return;
            }
            StringBuilder s = new StringBuilder("[it] scenario times of " + context.getRequiredTestClass().getSimpleName() + ":\n");
            lines.forEach(l -> s.append("[it]   ").append(l).append('\n'));
            System.out.print(s);
            lines.clear();
        }
    }
}
