package io.pushcqrs.local.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java installations of this machine and which one runs a function of a given Lambda runtime: {@code java21}
 * runs on a Java 21 when one is installed, else on the nearest newer one (a newer JVM runs older class files the way
 * the older one does, and {@link ClassVersions} refuses what the runtime's own Java would refuse).
 * <p>
 * Installations are found in this JVM's {@code java.home}, {@code $JAVA_HOME}, the folders given with
 * {@code --lambda-java-home}, and the usual places: {@code /usr/lib/jvm/*}, {@code /usr/java/*}, {@code /opt/java/*},
 * {@code ~/.sdkman/candidates/java/*}; each is read from its {@code release} file (JAVA_VERSION, IMPLEMENTOR).
 */
public final class JavaRuntimes {
    private static final Pattern RUNTIME = Pattern.compile("java(\\d+)(\\.al2)?");
    private static final Pattern RELEASE_LINE = Pattern.compile("^([A-Z_]+)=\"?(.*?)\"?$");

    /**
     * One Java installation.
     *
     * @param home     its home folder (real path)
     * @param feature  the feature release: 8, 11, 17, 21, 25...
     * @param version  JAVA_VERSION as the release file says (17.0.14, 25.0.3...)
     * @param vendor   IMPLEMENTOR, or "" when the file does not say
     */
    public record JavaInstallation(Path home, int feature, String version, String vendor) {
        public Path java() {
            return home.resolve("bin").resolve("java");
        }

        /** "Temurin 25.0.3 (/usr/lib/jvm/temurin-25-jdk-amd64)". */
        public String describe() {
            String who = vendor.isBlank() ? "Java" : vendor.replace("Eclipse Adoptium", "Temurin");
            return who + " " + version + " (" + home + ")";
        }

        /** The largest class file major version this Java runs: 52 for Java 8, 65 for 21... */
        public int maxClassVersion() {
            return feature + 44;
        }
    }

    private JavaRuntimes() {
    }

    /** The feature release a Lambda runtime name stands for (java8.al2 -> 8, java21 -> 21); empty when not a Java runtime. */
    public static Optional<Integer> feature(String runtime) {
        if (runtime == null) {
            return Optional.empty();
        }
        Matcher m = RUNTIME.matcher(runtime.strip());
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Every installation found, newest first, each once. */
    public static List<JavaInstallation> discover(List<Path> extraHomes) {
        List<Path> candidates = new ArrayList<>(extraHomes);
        candidates.add(Path.of(System.getProperty("java.home")));
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        String userHome = System.getProperty("user.home", "");
        for (Path parent : List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
                Path.of(userHome, ".sdkman", "candidates", "java"))) {
            if (Files.isDirectory(parent)) {
                try (Stream<Path> list = Files.list(parent)) {
                    list.sorted().forEach(candidates::add);
                } catch (IOException e) {
                    // unreadable: skip
                }
            }
        }
        Map<Path, JavaInstallation> found = new LinkedHashMap<>();
        for (Path c : candidates) {
            read(c).ifPresent(j -> found.putIfAbsent(j.home(), j));
        }
        List<JavaInstallation> all = new ArrayList<>(found.values());
        all.sort(Comparator.comparingInt(JavaInstallation::feature).reversed());
        return all;
    }

    /** The installation at a home folder, from its release file (a JRE inside a JDK 8 counts as the JDK). */
    public static Optional<JavaInstallation> read(Path home) {
        try {
            Path real = home.toRealPath();
            Path release = real.resolve("release");
            if (!Files.isRegularFile(release) && real.getFileName() != null && real.getFileName().toString().equals("jre")) {
                real = real.getParent();
                release = real.resolve("release");
            }
            if (!Files.isRegularFile(release) || !Files.isExecutable(real.resolve("bin").resolve("java"))) {
                return Optional.empty();
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(release)) {
                Matcher m = RELEASE_LINE.matcher(line.strip());
                if (m.matches()) {
                    values.put(m.group(1), m.group(2));
                }
            }
            String version = values.get("JAVA_VERSION");
            if (version == null) {
                return Optional.empty();
            }
            return Optional.of(new JavaInstallation(real, featureOf(version), version, values.getOrDefault("IMPLEMENTOR", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** "1.8.0_392" -> 8, "17.0.14" -> 17, "25" -> 25. */
    static int featureOf(String version) {
        String[] parts = version.split("[._+-]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    /** For a runtime's feature release: the same feature if installed, else the nearest newer one. */
    public static Optional<JavaInstallation> select(int feature, List<JavaInstallation> installed) {
        return installed.stream().filter(j -> j.feature() >= feature)
                .min(Comparator.comparingInt(JavaInstallation::feature));
    }
}
