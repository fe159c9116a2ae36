package io.pushcqrs.infra;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the repository root (the folder holding cdk.json, infra/ and the Lambda modules) whether
 * the CDK app runs from the root (cdk.json, the Maven synth profile) or from infra/ (IDE, tests).
 */
public final class RepoPaths {
    /** System property that names the root explicitly (set by the infra pom for tests). */
    public static final String REPO_ROOT_PROPERTY = "infra.repoRoot";

    private RepoPaths() {
    }

    /** The repository root; fails with a clear message when it cannot be found. */
    public static Path findRepoRoot() {
        String explicit = System.getProperty(REPO_ROOT_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path root = Paths.get(explicit).toAbsolutePath().normalize();
            if (!isRepoRoot(root)) {
                throw new IllegalStateException("-D" + REPO_ROOT_PROPERTY + "=" + explicit
                        + " is not the repository root (no infra/pom.xml there)");
            }
            return root;
        }
        Path fromCwd = searchUpwards(Paths.get("").toAbsolutePath());
        if (fromCwd != null) {
            return fromCwd;
        }
        Path fromClasses = searchUpwards(codeLocation());
        if (fromClasses != null) {
            return fromClasses;
        }
        throw new IllegalStateException("cannot find the repository root (a folder with infra/pom.xml) above "
                + Paths.get("").toAbsolutePath() + "; run the CDK app from the repository root or set -D"
                + REPO_ROOT_PROPERTY);
    }

    /** The first folder at or above {@code start} that holds infra/pom.xml, or null. */
    static Path searchUpwards(Path start) {
        for (Path dir = start == null ? null : start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isRepoRoot(dir)) {
                return dir;
            }
        }
        return null;
    }

    static boolean isRepoRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("infra").resolve("pom.xml"))
                && Files.isRegularFile(dir.resolve("pom.xml"));
    }

    private static Path codeLocation() {
        try {
            return Paths.get(RepoPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
