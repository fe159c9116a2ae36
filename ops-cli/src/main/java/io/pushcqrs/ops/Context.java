package io.pushcqrs.ops;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs with: the environment (read through this, never System.getenv, so tests can
 * set it), stdout for results, stderr for progress and messages, and whether stderr is a terminal
 * (progress is then redrawn in place).
 *
 * @param env         environment variables
 * @param out         results (tables, reports, JSON)
 * @param err         progress, notes and errors
 * @param interactive true when a person watches a terminal (System.console() != null)
 */
public record Context(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {

    /** Environment variable the scripts set to the repository root (defaults resolve against it). */
    public static final String ENV_REPO_ROOT = "OPS_REPO_ROOT";

    /** An environment variable, or null when unset or blank. */
    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** The repository root: OPS_REPO_ROOT when the scripts set it, else the working directory. */
    public Path repoRoot() {
        String root = env(ENV_REPO_ROOT);
        return root == null ? Path.of("").toAbsolutePath() : Path.of(root).toAbsolutePath();
    }
}
