package io.pushcqrs.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables a class only with {@code -Dit.target=<outputs.json>}; otherwise disables it, saying so in the build output. */
public final class TargetGiven implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String target = System.getProperty("it.target");
        if (target != null && !target.isBlank()) {
            return ConditionEvaluationResult.enabled("-Dit.target=" + target);
        }
        String why = "no -Dit.target=<outputs.json> given: the scenarios ran against the embedded stack (EmbeddedStackIT);"
                + " pass -Dit.target=.local/outputs.json to run them against a deployment that runs (docs/integration-tests.md)";
        if (context.getTestMethod().isEmpty()) {
            System.out.println("[it] " + context.getDisplayName() + " SKIPPED: " + why);
        }
        return ConditionEvaluationResult.disabled(why);
    }
}
