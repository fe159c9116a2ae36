package io.pushcqrs.local.lambda;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the local Lambda runtime runs functions.
 *
 * @param workDir                    the runtime's own folder: one fresh working folder per environment under
 *                                   {@code envs/}, the extracted native library under {@code native/}
 * @param logDir                     {@code <function>.log} (each environment's output, prefixed by its id) and
 *                                   {@code invocations.log} (one line per invocation)
 * @param ricClasspath               the Runtime Interface Client jar and its dependencies
 *                                   (see {@link LambdaRuntime#defaultRicClasspath()})
 * @param extraEnvironment           added to every function's environment, after the template's variables:
 *                                   AWS_ENDPOINT_URL, AWS_REGION, credentials
 * @param maxEnvironmentsPerFunction how many environments (JVMs) one function may run at once
 * @param jvmOptions                 extra options for every function JVM (placed after the runtime's defaults,
 *                                   so they may override them)
 * @param javaHomes                  Java installations to consider besides the ones found on the machine
 *                                   ({@link JavaRuntimes#discover})
 * @param concurrencyLimit           the account's concurrency (AWS's default quota: 1,000): what functions without
 *                                   reserved concurrency share; an invoke beyond it is refused at once with 429
 * @param cpuQuota                   give each function JVM a cgroup CPU quota in proportion to its memory (fails the
 *                                   start when the machine does not allow it)
 */
public record LambdaRuntimeConfig(Path workDir, Path logDir, List<Path> ricClasspath,
                                  Map<String, String> extraEnvironment, int maxEnvironmentsPerFunction,
                                  List<String> jvmOptions, List<Path> javaHomes, int concurrencyLimit, boolean cpuQuota) {

    /** The bound used by {@link #defaults}. */
    public static final int DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION = 4;
    /** AWS's default account concurrency quota. */
    public static final int DEFAULT_CONCURRENCY_LIMIT = 1000;

    /** No extra Java homes, AWS's default concurrency limit, no CPU quota. */
    public LambdaRuntimeConfig(Path workDir, Path logDir, List<Path> ricClasspath, Map<String, String> extraEnvironment,
                               int maxEnvironmentsPerFunction, List<String> jvmOptions) {
        this(workDir, logDir, ricClasspath, extraEnvironment, maxEnvironmentsPerFunction, jvmOptions, List.of(),
                DEFAULT_CONCURRENCY_LIMIT, false);
    }

    public LambdaRuntimeConfig {
        javaHomes = List.copyOf(javaHomes == null ? List.of() : javaHomes);
        if (concurrencyLimit < 1) {
            throw new IllegalArgumentException("concurrencyLimit must be at least 1, was " + concurrencyLimit);
        }
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(logDir, "logDir");
        ricClasspath = List.copyOf(Objects.requireNonNull(ricClasspath, "ricClasspath"));
        extraEnvironment = Map.copyOf(extraEnvironment == null ? Map.of() : extraEnvironment);
        jvmOptions = List.copyOf(jvmOptions == null ? List.of() : jvmOptions);
        if (ricClasspath.isEmpty()) {
            throw new IllegalArgumentException("ricClasspath is empty: it must hold the Lambda Runtime Interface "
                    + "Client jar and its dependencies (see LambdaRuntime.defaultRicClasspath())");
        }
        if (maxEnvironmentsPerFunction < 1) {
            throw new IllegalArgumentException("maxEnvironmentsPerFunction must be at least 1, was "
                    + maxEnvironmentsPerFunction);
        }
    }

    /** workDir and logDir, the RIC found by {@link LambdaRuntime#defaultRicClasspath()}, 4 environments per function. */
    public static LambdaRuntimeConfig defaults(Path workDir, Path logDir, Map<String, String> extraEnvironment) {
        return new LambdaRuntimeConfig(workDir, logDir, LambdaRuntime.defaultRicClasspath(), extraEnvironment,
                DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION, List.of());
    }
}
