package io.pushcqrs.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stack's pid file in the state folder ({@code <state-dir>/local.pid}): written at start, removed at stop, and
 * read to refuse a second stack on the same folder while the first one lives.
 */
public final class StateFolder {
    private final Path dir;

    public StateFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path pidFile() {
        return dir.resolve("local.pid");
    }

    /** Fails when another live program (a JVM) wrote the pid file. A pid file whose process is gone is stale. */
    public void refuseWhenAlreadyRunning() {
        Optional<Long> pid = readPid(pidFile());
        if (pid.isPresent() && pid.get() != ProcessHandle.current().pid()
                && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)
                && ProcessHandle.of(pid.get()).flatMap(h -> h.info().command()).map(c -> c.contains("java")).orElse(true)) {
            throw new StartupException("a local stack is already running from " + dir + " (pid " + pid.get() + ", see "
                    + pidFile() + "); stop it with scripts/local-down.sh, or give this one another --state-dir");
        }
    }

    /** Creates the folders and writes this JVM's pid. */
    void claim(Path logDir) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(logDir);
            Files.writeString(pidFile(), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new StartupException("cannot write the state folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the pid file when it is this JVM's. */
    void release() throws IOException {
        if (readPid(pidFile()).map(p -> p == ProcessHandle.current().pid()).orElse(false)) {
            Files.deleteIfExists(pidFile());
        }
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
