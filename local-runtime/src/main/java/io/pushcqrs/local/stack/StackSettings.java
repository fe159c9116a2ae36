package io.pushcqrs.local.stack;

import io.pushcqrs.local.faults.FaultSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.iam.IamMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a start of the stack is asked for (the command line's options, see {@code LocalStackMain}).
 *
 * @param host             the edge's bind address
 * @param port             the edge port (0: a free one)
 * @param motoPort         moto's port on 127.0.0.1 (0: a free one)
 * @param stateDir         pid file, outputs.json, checkpoints, function work folders (absolute)
 * @param logDir           the log folder (absolute)
 * @param apiKey           the value of every API key, or null for the template's Value (else random)
 * @param maxEnvs          environments (JVMs) per function at most
 * @param lambdaJvmOptions extra options for every function JVM
 * @param iam              how IAM is treated (--iam)
 * @param limits           the AWS limits that depend on this machine or account (Java installations, concurrency, CPU)
 * @param faults           the faults to inject (--faults; docs/reliability.md), {@link FaultSpec#NONE} by default
 * @param persistDir       where moto's recording is kept across restarts (--persist; docs/reliability.md), or null
 * @param pollerIdle       the stream pollers' pause after a read that found nothing (--poller-idle-ms; null: the default)
 */
public record StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                            List<String> lambdaJvmOptions, IamMode iam, Limits limits, FaultSpec faults, Path persistDir,
                            Duration pollerIdle) {
    public StackSettings {
        lambdaJvmOptions = List.copyOf(lambdaJvmOptions);
        iam = iam == null ? IamMode.ENFORCE : iam;
        limits = limits == null ? Limits.DEFAULTS : limits;
        faults = faults == null ? FaultSpec.NONE : faults;
        pollerIdle = pollerIdle == null ? StreamPoller.Options.DEFAULT_IDLE_SLEEP : pollerIdle;
        if (pollerIdle.isNegative() || pollerIdle.isZero()) {
            throw new IllegalArgumentException("the pollers' idle pause must be positive: " + pollerIdle);
        }
    }

    /** Settings without faults, persistence or a poller idle pause of their own. */
    public StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                         List<String> lambdaJvmOptions, IamMode iam, Limits limits) {
        this(host, port, motoPort, stateDir, logDir, apiKey, maxEnvs, lambdaJvmOptions, iam, limits, FaultSpec.NONE, null,
                null);
    }

    /** Settings with IAM enforced (the default) and the default limits. */
    public StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                         List<String> lambdaJvmOptions) {
        this(host, port, motoPort, stateDir, logDir, apiKey, maxEnvs, lambdaJvmOptions, IamMode.ENFORCE, Limits.DEFAULTS);
    }

    /** Settings with the given IAM mode and the default limits. */
    public StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                         List<String> lambdaJvmOptions, IamMode iam) {
        this(host, port, motoPort, stateDir, logDir, apiKey, maxEnvs, lambdaJvmOptions, iam, Limits.DEFAULTS);
    }

    /** Settings with IAM enforced (the default) and the given limits. */
    public StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                         List<String> lambdaJvmOptions, Limits limits) {
        this(host, port, motoPort, stateDir, logDir, apiKey, maxEnvs, lambdaJvmOptions, IamMode.ENFORCE, limits);
    }

    /**
     * @param javaHomes        Java installations to consider for the functions' runtimes, besides those found
     * @param concurrencyLimit the account's Lambda concurrency (AWS's default: 1,000)
     * @param cpuQuota         a cgroup CPU quota per function JVM, in proportion to its memory
     */
    public record Limits(List<Path> javaHomes, int concurrencyLimit, boolean cpuQuota) {
        public static final Limits DEFAULTS = new Limits(List.of(), 1000, false);

        public Limits {
            javaHomes = List.copyOf(javaHomes);
        }
    }
}
