package io.pushcqrs.local.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Lambda's memory limit for the whole execution environment: AWS stops a sandbox whose memory use passes its
 * MemorySize ("Runtime exited with error: signal: killed", Runtime.ExitError). The JVM's own flags bound its heap
 * ({@code -Xmx}) and the sizes it derives from the machine's memory ({@code -XX:MaxRAM}); this watch bounds the rest
 * (metaspace, code cache, thread stacks, native memory): every {@link #PERIOD_MS} ms it reads each function JVM's
 * resident set size ({@code VmRSS} of {@code /proc/<pid>/status}) and kills the JVM that uses more than its function's
 * MemorySize. Where there is no {@code /proc} (not Linux) it does nothing and says so once.
 */
final class MemoryWatch implements Runnable {
    static final long PERIOD_MS = 200;

    private final Supplier<Iterable<ExecutionEnvironment>> environments;
    private final Path proc;
    private volatile boolean stopped;

    MemoryWatch(Supplier<Iterable<ExecutionEnvironment>> environments, Path proc) {
        this.environments = environments;
        this.proc = proc;
    }

    /** Whether this machine lets the watch read memory use. */
    boolean available() {
        return Files.isRegularFile(proc.resolve("self").resolve("status"));
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            checkOnce();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass over every environment: kills those over their function's memory. */
    void checkOnce() {
        for (ExecutionEnvironment env : environments.get()) {
            if (!env.isAlive()) {
                continue;
            }
            long rssKb = residentKb(env.process().pid());
            long limitKb = env.spec.memoryMb() * 1024L;
            if (rssKb > limitKb) {
                env.kill(String.format(java.util.Locale.ROOT, "its memory (%d MB resident) went past the function's MemorySize"
                        + " (%d MB), as AWS stops a sandbox that does", rssKb / 1024, env.spec.memoryMb()));
            }
        }
    }

    /** VmRSS of a process in kB, or -1 when it cannot be read. */
    long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not readable
        }
        return -1;
    }
}
