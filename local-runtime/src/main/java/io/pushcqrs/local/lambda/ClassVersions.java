package io.pushcqrs.local.lambda;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class file versions in a function's code, so that a runtime refuses what its Java would refuse: AWS's java17
 * fails at init when the handler class is newer than Java 17 (class file version 61), even where the local stack runs
 * the function on a newer Java. Entries under {@code META-INF/versions/N/} (multi-release jars) are only for Java N
 * and later, so they do not count.
 */
public final class ClassVersions {
    private ClassVersions() {
    }

    /** What the code holds. */
    public record Report(int handlerVersion, int newestVersion, String newestClass, int classesNewerThan) {
    }

    /** The handler's class ("pkg.Class::method" or "pkg.Class") major version and the newest class, or empty. */
    public static Optional<Report> scan(Path code, String handler, int runtimeMax) {
        String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        String handlerEntry = handlerClass.replace('.', '/') + ".class";
        int[] handlerVersion = {-1};
        int[] newest = {-1};
        String[] newestClass = {null};
        int[] newer = {0};
        Visitor visit = (name, in) -> {
            int v = majorVersion(in);
            if (v < 0) {
                return;
            }
            if (name.equals(handlerEntry)) {
                handlerVersion[0] = v;
            }
            if (v > newest[0]) {
                newest[0] = v;
                newestClass[0] = name;
            }
            if (v > runtimeMax) {
                newer[0]++;
            }
        };
        try {
            if (Files.isDirectory(code)) {
                try (Stream<Path> walk = Files.walk(code)) {
                    for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".class"))::iterator) {
                        String name = code.relativize(p).toString().replace('\\', '/');
                        if (name.startsWith("META-INF/versions/") || name.endsWith("module-info.class")) {
                            continue;
                        }
                        try (InputStream in = Files.newInputStream(p)) {
                            visit.accept(name, in);
                        }
                    }
                }
            } else {
                try (ZipFile zip = new ZipFile(code.toFile())) {
                    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                        ZipEntry entry = e.nextElement();
                        String name = entry.getName();
                        if (!name.endsWith(".class") || name.startsWith("META-INF/versions/") || name.endsWith("module-info.class")) {
                            continue;
                        }
                        try (InputStream in = zip.getInputStream(entry)) {
                            visit.accept(name, in);
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (newest[0] < 0) {
            return Optional.empty();
        }
        return Optional.of(new Report(handlerVersion[0], newest[0], newestClass[0], newer[0]));
    }

    /** The class file's major version, or -1 when it is not a class file. */
    static int majorVersion(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = data.readNBytes(8);
        if (header.length < 8 || (header[0] & 0xff) != 0xCA || (header[1] & 0xff) != 0xFE || (header[2] & 0xff) != 0xBA
                || (header[3] & 0xff) != 0xBE) {
            return -1;
        }
        return ((header[6] & 0xff) << 8) | (header[7] & 0xff);
    }

    /** The init error the Java runtime interface client posts when the handler class is newer than the JVM. */
    static String tooNewMessage(String handler, int classVersion, int runtimeMax) {
        String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        return "Error loading class " + handlerClass + ": " + handlerClass.replace('.', '/') + " has been compiled by a"
                + " more recent version of the Java Runtime (class file version " + classVersion + ".0), this version of"
                + " the Java Runtime only recognizes class file versions up to " + runtimeMax + ".0";
    }

    @FunctionalInterface
    private interface Visitor {
        void accept(String name, InputStream in) throws IOException;
    }
}
