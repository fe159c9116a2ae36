package io.pushcqrs.local.lambda;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an execution environment's JVM is started: the Java of the function's runtime running the Runtime Interface
 * Client's main class with the function's handler, a heap of 80% of the function's memory, {@code -XX:MaxRAM} at that
 * memory and {@code -XX:ActiveProcessorCount} at the CPUs Lambda gives it, the JVM options that make a cold start
 * short, and the environment AWS
 * Lambda sets (the function's variables, the stack's endpoint settings, {@code AWS_LAMBDA_*}, {@code _HANDLER},
 * {@code LAMBDA_TASK_ROOT}...), with nothing else of this process's environment but PATH, LANG, LC_ALL, HOME, USER.
 */
final class FunctionJvm {
    private FunctionJvm() {
    }

    /**
     * @param id         the environment's number (env-N)
     * @param dir        its working folder (also LAMBDA_TASK_ROOT; tmp/ is java.io.tmpdir)
     * @param runtimeApi host:port of its Runtime API
     */
    static ProcessBuilder processBuilder(FunctionSpec spec, int id, ExecutionEnvironment.Launcher launcher, Path dir,
                                         String runtimeApi) {
        List<String> command = new ArrayList<>();
        command.add(launcher.javaBinary().toString());
        int heapMb = Math.max(16, (int) (spec.memoryMb() * 0.8));
        command.add("-Xmx" + heapMb + "m");
        // the JVM sizes itself (code cache, direct memory, ergonomics) from the function's memory, not the machine's
        command.add("-XX:MaxRAM=" + spec.memoryMb() + "m");
        // and sees the CPUs Lambda gives that memory: one vCPU at 1,769 MB, six at 10,240 MB
        command.add("-XX:ActiveProcessorCount=" + processors(spec.memoryMb()));
        if (launcher.javaFeature() >= 22) {
            // a newer Java than the runtime's (java21 on Java 25): the RIC's JNI library loads without a warning, as on 21
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        command.add("-Xshare:auto");
        command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        command.add("-D" + RicClasspath.JNI_PROPERTY + "=" + launcher.nativeLibrary());
        command.addAll(launcher.jvmOptions());
        command.add("-cp");
        command.add(RicClasspath.classpath(spec.codePath(), launcher.ricClasspath()));
        command.add(RicClasspath.MAIN_CLASS);
        command.add(spec.handler());

        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = new TreeMap<>(env);
        env.clear();
        for (String keep : List.of("PATH", "LANG", "LC_ALL", "HOME", "USER")) {
            if (inherited.containsKey(keep)) {
                env.put(keep, inherited.get(keep));
            }
        }
        env.put("TZ", ":UTC");
        env.putAll(spec.environment());
        env.putAll(launcher.extraEnvironment());
        String region = firstNonBlank(launcher.extraEnvironment().get("AWS_REGION"),
                spec.environment().get("AWS_REGION"), regionOf(spec.arn()), "us-east-1");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", firstNonBlank(launcher.extraEnvironment().get("AWS_DEFAULT_REGION"), region));
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).toString()
                .replace('-', '/') + "/[$LATEST]local-env-" + id);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        env.put("_HANDLER", spec.handler());
        env.put("LAMBDA_TASK_ROOT", dir.toString());
        env.put("LAMBDA_RUNTIME_DIR", dir.toString());
        return builder;
    }

    /** The processors Lambda gives a memory size: 1 per 1,769 MB, rounded up (at least 1, at most 6). */
    static int processors(int memoryMb) {
        return Math.max(1, Math.min(6, (int) Math.ceil(memoryMb / 1769.0)));
    }

    private static String regionOf(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":");
        return parts.length > 3 && parts[0].equals("arn") ? parts[3] : null;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
