package io.pushcqrs.local.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the AWS Lambda Runtime Interface Client (RIC) jars and extracts its native library.
 *
 * <p>The build copies the RIC and its dependencies to {@code local-runtime/target/ric-lib/}
 * (maven-dependency-plugin, execution {@code ric-lib}); the runtime never loads them itself: they are the
 * classpath of the function JVMs.
 */
public final class RicClasspath {

    /** A folder of jars that overrides the search. */
    public static final String RIC_LIB_PROPERTY = "local.ricLib";
    /** The folder name the build writes, next to target/classes or to the module's jar. */
    public static final String RIC_LIB_FOLDER = "ric-lib";
    /** The RIC's entry point. */
    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The system property by which the RIC (2.10.1, JniHelper) loads its native library from a given path. */
    public static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private static final String RIC_CLASS_RESOURCE = MAIN_CLASS.replace('.', '/') + ".class";
    private static final Pattern RIC_DEPENDENCY = Pattern.compile(
            "(aws-lambda-java-runtime-interface-client|aws-lambda-java-core|aws-lambda-java-serialization"
                    + "|utils-lite|annotations)-[0-9][^/\\\\]*\\.jar");

    private RicClasspath() {
    }

    /**
     * The RIC classpath: the folder named by the system property {@code local.ricLib}, else {@code ric-lib/} next to
     * this code (target/classes or the module jar), else {@code [local-runtime/]target/ric-lib} under the working
     * directory, else the RIC jars found on this JVM's own classpath.
     *
     * @throws IllegalStateException naming the folder and the build command when none is found
     */
    public static List<Path> find() {
        String override = System.getProperty(RIC_LIB_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override);
            List<Path> jars = jarsIn(dir);
            if (!containsRic(jars)) {
                throw new IllegalStateException("The Lambda Runtime Interface Client jar was not found in " + dir
                        + " (named by -D" + RIC_LIB_PROPERTY + "): point it to the folder the build fills, "
                        + "local-runtime/target/" + RIC_LIB_FOLDER + " (mvn -B package -DskipTests)");
            }
            return jars;
        }
        Set<Path> candidates = new LinkedHashSet<>();
        Path codeLocation = codeLocation();
        if (codeLocation != null) {
            Path parent = codeLocation.getParent();
            if (parent != null) {
                // target/classes -> target/ric-lib ; target/local-runtime.jar -> target/ric-lib
                candidates.add(parent.resolve(RIC_LIB_FOLDER));
                if (Files.isDirectory(codeLocation)) {
                    candidates.add(codeLocation.resolve(RIC_LIB_FOLDER));
                }
            }
        }
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd.resolve("target").resolve(RIC_LIB_FOLDER));
        candidates.add(cwd.resolve("local-runtime").resolve("target").resolve(RIC_LIB_FOLDER));
        for (Path dir : candidates) {
            List<Path> jars = jarsIn(dir);
            if (containsRic(jars)) {
                return jars;
            }
        }
        List<Path> fromClasspath = fromOwnClasspath();
        if (!fromClasspath.isEmpty()) {
            return fromClasspath;
        }
        Path expected = candidates.iterator().next();
        throw new IllegalStateException("The Lambda Runtime Interface Client jars were not found: expected them in "
                + expected.toAbsolutePath().normalize() + ". Build them with `mvn -B package -DskipTests` (from the "
                + "repository root, or with -f local-runtime/pom.xml), or point -D" + RIC_LIB_PROPERTY
                + "=<folder> to a folder holding aws-lambda-java-runtime-interface-client and its dependencies.");
    }

    /**
     * Extracts the RIC's native library for this machine ONCE into {@code dir} (concurrent JVMs would otherwise all
     * copy it to the same fixed path in /tmp and crash). Reuses a previous extraction of the same size.
     *
     * @return the library's path, for {@code -D}{@link #JNI_PROPERTY}
     */
    public static Path extractNativeLibrary(List<Path> ricClasspath, Path dir) {
        String entryName = "jni/" + nativeLibraryName();
        for (Path jar : ricClasspath) {
            if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
                continue;
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(entryName);
                if (entry == null) {
                    continue;
                }
                Files.createDirectories(dir);
                Path target = dir.resolve(entryName.substring("jni/".length()));
                if (Files.isRegularFile(target) && entry.getSize() >= 0 && Files.size(target) == entry.getSize()) {
                    return target;
                }
                Path tmp = Files.createTempFile(dir, ".jni", ".tmp");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not extract " + entryName + " from " + jar + " into " + dir
                        + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("The Lambda Runtime Interface Client native library " + entryName
                + " was not found in " + ricClasspath + " (the RIC runs on Linux x86_64 and aarch64 only)");
    }

    /** e.g. libaws-lambda-jni.linux-x86_64.so, or the musl / aarch_64 variants the RIC jar carries. */
    static String nativeLibraryName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("The Lambda Runtime Interface Client runs on Linux only (this is "
                    + System.getProperty("os.name") + ")");
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            cpu = "x86_64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            cpu = "aarch_64";
        } else {
            throw new IllegalStateException("The Lambda Runtime Interface Client has no native library for "
                    + arch + " (x86_64 and aarch64 only)");
        }
        return "libaws-lambda-jni.linux" + (isMusl() ? "_musl" : "") + "-" + cpu + ".so";
    }

    private static boolean isMusl() {
        try (Stream<Path> libs = Files.list(Path.of("/lib"))) {
            return libs.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The classpath string for a function JVM: the function's code first, then the RIC jars. */
    static String classpath(Path codePath, List<Path> ricClasspath) {
        List<String> parts = new ArrayList<>();
        parts.add(codePath.toAbsolutePath().toString());
        ricClasspath.forEach(p -> parts.add(p.toAbsolutePath().toString()));
        return String.join(File.pathSeparator, parts);
    }

    private static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .map(p -> p.toAbsolutePath().normalize())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean containsRic(List<Path> jars) {
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                if (zip.getEntry(RIC_CLASS_RESOURCE) != null) {
                    return true;
                }
            } catch (IOException e) {
                // not a readable jar: ignore
            }
        }
        return false;
    }

    private static List<Path> fromOwnClasspath() {
        String cp = System.getProperty("java.class.path", "");
        List<Path> jars = new ArrayList<>();
        for (String entry : cp.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            if (RIC_DEPENDENCY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                jars.add(p.toAbsolutePath().normalize());
            }
        }
        return containsRic(jars) ? jars : List.of();
    }

    private static Path codeLocation() {
        try {
            CodeSource source = RicClasspath.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
