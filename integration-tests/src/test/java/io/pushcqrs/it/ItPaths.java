package io.pushcqrs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The folders the suite works in: the repository root and this module's target/ (set by the failsafe configuration). */
final class ItPaths {
    private ItPaths() {
    }

    /** The repository root: -Dit.repoRoot, else the first folder at or above the working directory holding infra/pom.xml. */
    static Path repoRoot() {
        String explicit = System.getProperty("it.repoRoot");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with infra/pom.xml) above "
                + Path.of("").toAbsolutePath() + "; set -Dit.repoRoot");
    }

    /** integration-tests/target (-Dit.buildDir), where the cloud assembly, state and logs go. */
    static Path buildDir() {
        String explicit = System.getProperty("it.buildDir");
        Path dir = explicit != null && !explicit.isBlank() ? Path.of(explicit) : repoRoot().resolve("integration-tests/target");
        return dir.toAbsolutePath().normalize();
    }

    /** Deletes a folder and everything below it; nothing when it is not there. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
