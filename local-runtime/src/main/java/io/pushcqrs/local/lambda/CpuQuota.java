package io.pushcqrs.local.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A CPU quota per function JVM, where the machine allows one ({@code --lambda-cpu-quota}): Lambda gives a function CPU
 * in proportion to its memory, one vCPU at 1,769 MB. Each environment gets its own cgroup under this stack's, with a
 * quota of {@code memory / 1769} CPUs per period (cgroup v2 {@code cpu.max}, or v1 {@code cpu.cfs_quota_us}). The
 * groups are made under {@code /sys/fs/cgroup} (v2) or {@code /sys/fs/cgroup/cpu} (v1) and removed when the
 * environment or the stack ends. {@link #create} says why when the machine does not allow it.
 */
final class CpuQuota {
    static final long PERIOD_US = 100_000;

    private final Path root;
    private final boolean v2;

    private CpuQuota(Path root, boolean v2) {
        this.root = root;
        this.v2 = v2;
    }

    /** The stack's cgroup, made now; or an exception whose message says why the machine does not allow it. */
    static CpuQuota create(Path cgroupMount, String name) {
        Path v2Root = cgroupMount;
        Path v1Root = cgroupMount.resolve("cpu");
        boolean v2 = Files.isRegularFile(v2Root.resolve("cgroup.controllers"));
        Path parent = v2 ? v2Root : v1Root;
        if (!v2 && !Files.isRegularFile(v1Root.resolve("cpu.cfs_quota_us"))) {
            throw new IllegalStateException("no cgroup CPU controller at " + v2Root + " (v2) or " + v1Root + " (v1)");
        }
        Path root = parent.resolve(name);
        try {
            Files.createDirectories(root);
            if (v2) {
                String controllers = Files.readString(v2Root.resolve("cgroup.controllers"));
                if (!controllers.contains("cpu")) {
                    throw new IllegalStateException("the cgroup v2 hierarchy at " + v2Root + " has no cpu controller");
                }
                Files.writeString(parent.resolve("cgroup.subtree_control"), "+cpu");
                Files.writeString(root.resolve("cgroup.subtree_control"), "+cpu");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the cgroup " + root + ": " + e.getMessage()
                    + " (it needs write access to the cgroup file system)", e);
        }
        return new CpuQuota(root, v2);
    }

    Path root() {
        return root;
    }

    /** CPUs for a memory size: 1 at 1,769 MB, in proportion below and above. */
    static double cpus(int memoryMb) {
        return memoryMb / 1769.0;
    }

    /** Puts a JVM in its own group with its function's quota; the group to remove when it ends. */
    Optional<Path> apply(long pid, String name, int memoryMb) {
        Path group = root.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + pid);
        long quota = Math.max(1000, Math.round(cpus(memoryMb) * PERIOD_US));
        try {
            Files.createDirectories(group);
            if (v2) {
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_US);
            } else {
                Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            }
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
            return Optional.of(group);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Removes a group (empty once its JVM is gone). */
    static void remove(Path group) {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            // still busy or gone: best effort
        }
    }

    /** Removes the stack's group (after every environment's). */
    void close() {
        remove(root);
    }

    /** The quota a group has, in CPUs (for tests and messages), or -1. */
    static double quotaOf(Path group) {
        try {
            if (Files.isRegularFile(group.resolve("cpu.max"))) {
                String[] parts = Files.readString(group.resolve("cpu.max")).strip().split(" ");
                return Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
            }
            return Double.parseDouble(Files.readString(group.resolve("cpu.cfs_quota_us")).strip())
                    / Double.parseDouble(Files.readString(group.resolve("cpu.cfs_period_us")).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
