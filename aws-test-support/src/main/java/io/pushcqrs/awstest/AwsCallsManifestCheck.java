package io.pushcqrs.awstest;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The last test class of a function module (extend it once per module and annotate the subclass with
 * {@code @Order(Integer.MAX_VALUE)}: @Order is not inherited; the module's {@code junit-platform.properties}
 * orders classes by {@link Order}): compares what every test before it
 * recorded with the module's {@code aws-calls.json}. With {@code -Dawscalls.write=true} it rewrites the
 * manifest from the recording instead (then review the diff, and the grants in infra).
 */
public abstract class AwsCallsManifestCheck {
    /** The module's name, as in its manifest. */
    protected abstract String module();

    /** The manifest: {@code aws-calls.json} in the module's directory (the tests' working directory). */
    protected Path manifest() {
        return Paths.get(System.getProperty("awscalls.manifest", "aws-calls.json")).toAbsolutePath();
    }

    @Test
    void theModulesAwsCallsAreExactlyItsManifest() throws Exception {
        Path file = manifest();
        if (Boolean.getBoolean("awscalls.write")) {
            AwsCallManifest existing = Files.exists(file) ? AwsCallManifest.read(file)
                    : new AwsCallManifest(module(), new TreeSet<>());
            new AwsCallManifest(module(), existing.compare(AwsCalls.recorded()).observed()).write(file);
            return;
        }
        assertTrue(Files.exists(file), "no " + file + ": run with -Dawscalls.write=true to create it");
        AwsCallManifest manifest = AwsCallManifest.read(file);
        AwsCallManifest.Comparison comparison = manifest.compare(AwsCalls.recorded());
        Path observed = file.resolveSibling("target").resolve("aws-calls.observed.json");
        if (Files.isDirectory(observed.getParent())) {
            new AwsCallManifest(module(), comparison.observed()).write(observed);
        }
        if (!comparison.matches()) {
            fail(comparison.describe(module(), file));
        }
    }
}
