package io.pushcqrs.local.stack;

import io.pushcqrs.local.iam.IamMode;

import java.nio.file.Path;
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
 */
public record StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                            List<String> lambdaJvmOptions, IamMode iam) {
    public StackSettings {
        lambdaJvmOptions = List.copyOf(lambdaJvmOptions);
        iam = iam == null ? IamMode.ENFORCE : iam;
    }

    /** Settings with IAM enforced (the default). */
    public StackSettings(String host, int port, int motoPort, Path stateDir, Path logDir, String apiKey, int maxEnvs,
                         List<String> lambdaJvmOptions) {
        this(host, port, motoPort, stateDir, logDir, apiKey, maxEnvs, lambdaJvmOptions, IamMode.ENFORCE);
    }
}
