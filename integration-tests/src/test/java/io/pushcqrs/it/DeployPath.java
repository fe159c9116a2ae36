package io.pushcqrs.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which way the embedded stack gets the app for the scenarios, by {@code -Dit.deploy}:
 * <ul>
 *   <li>{@code assembly} (the default): the stack starts from the cloud assembly ({@code --cdk-out}, the fast path):
 *       {@link EmbeddedStackIT};</li>
 *   <li>{@code cdk}: the stack starts empty and the project's CDK CLI bootstraps and deploys into it, then redeploys
 *       a change and destroys it: {@link CdkDeployIT} (CI runs this);</li>
 *   <li>{@code both}: both classes.</li>
 * </ul>
 */
final class DeployPath {
    private DeployPath() {
    }

    static String selected() {
        return System.getProperty("it.deploy", "assembly").trim();
    }

    /** Runs a class when -Dit.deploy is assembly (or unset) or both. */
    static final class Assembly implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return evaluate(context, "assembly");
        }
    }

    /** Runs a class when -Dit.deploy is cdk or both. */
    static final class Cdk implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return evaluate(context, "cdk");
        }
    }

    private static ConditionEvaluationResult evaluate(ExtensionContext context, String path) {
        String selected = selected();
        if (!selected.equals("assembly") && !selected.equals("cdk") && !selected.equals("both")) {
            throw new IllegalArgumentException("-Dit.deploy must be assembly, cdk or both (got '" + selected + "')");
        }
        if (selected.equals(path) || selected.equals("both")) {
            return ConditionEvaluationResult.enabled("-Dit.deploy=" + selected);
        }
        String why = "-Dit.deploy=" + selected + ": the scenarios run on the "
                + (selected.equals("cdk") ? "CDK CLI deploy path (CdkDeployIT)" : "cloud assembly path (EmbeddedStackIT)")
                + "; -Dit.deploy=both runs both";
        if (context.getTestMethod().isEmpty()) {
            System.out.println("[it] " + context.getDisplayName() + " SKIPPED: " + why);
        }
        return ConditionEvaluationResult.disabled(why);
    }
}
