package io.pushcqrs.it;

import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scenarios against a deployment that already runs, given by its flat outputs file:
 * {@code -Dit.target=.local/outputs.json} (the embedded stack of {@code scripts/local-up.sh --detach}, or LocalStack
 * after {@code scripts/deploy-localstack.sh}). The file needs Endpoint, ApiUrl, ApiKey, CommandTable,
 * NotificationTable, and DlqUrl and CommandStreamArn for the poison scenario. Skipped without the property.
 */
@ExtendWith(TargetGiven.class)
class ExternalTargetIT extends NotificationScenarios {

    @Override
    protected Target startTarget() {
        Path file = Path.of(System.getProperty("it.target"));
        if (!file.isAbsolute()) {
            file = ItPaths.repoRoot().resolve(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("-Dit.target=" + System.getProperty("it.target") + ": no such file " + file);
        }
        return Target.fromOutputs("deployment of " + file, Target.readOutputs(file));
    }

    @Override
    protected void stopTarget() {
        // not ours to stop
    }
}
