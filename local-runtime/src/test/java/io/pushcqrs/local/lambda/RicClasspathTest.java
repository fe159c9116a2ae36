package io.pushcqrs.local.lambda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Finding the RIC jars the build copies to target/ric-lib, and its native library. */
class RicClasspathTest {

    @Test
    void theBuildsRicLibFolderIsFound() {
        List<Path> jars = LambdaRuntime.defaultRicClasspath();
        assertThat(jars).allMatch(p -> p.getParent().getFileName().toString().equals("ric-lib"));
        assertThat(jars).extracting(p -> p.getFileName().toString().replaceAll("-[0-9][^-]*\\.jar$", ""))
                .containsExactlyInAnyOrder("aws-lambda-java-runtime-interface-client", "aws-lambda-java-core",
                        "aws-lambda-java-serialization", "utils-lite", "annotations");
    }

    @Test
    void theOverrideFolderMustHoldTheRic(@TempDir Path empty) {
        String before = System.getProperty(RicClasspath.RIC_LIB_PROPERTY);
        String built = LambdaRuntime.defaultRicClasspath().get(0).getParent().toString();
        System.setProperty(RicClasspath.RIC_LIB_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(LambdaRuntime::defaultRicClasspath)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Runtime Interface Client jar was not found in " + empty)
                    .hasMessageContaining("mvn -B package -DskipTests");
            System.setProperty(RicClasspath.RIC_LIB_PROPERTY, built);
            assertThat(LambdaRuntime.defaultRicClasspath()).hasSize(5);
        } finally {
            if (before == null) {
                System.clearProperty(RicClasspath.RIC_LIB_PROPERTY);
            } else {
                System.setProperty(RicClasspath.RIC_LIB_PROPERTY, before);
            }
        }
    }

    @Test
    void theNativeLibraryIsExtractedOnceForThisMachine(@TempDir Path dir) throws Exception {
        List<Path> jars = LambdaRuntime.defaultRicClasspath();
        Path lib = RicClasspath.extractNativeLibrary(jars, dir);
        assertThat(lib.getFileName().toString()).startsWith("libaws-lambda-jni.linux").endsWith(".so");
        assertThat(lib.getFileName().toString()).isEqualTo(RicClasspath.nativeLibraryName());
        assertThat(Files.size(lib)).isGreaterThan(100_000);
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(lib, written);
        assertThat(RicClasspath.extractNativeLibrary(jars, dir)).isEqualTo(lib);
        assertThat(Files.getLastModifiedTime(lib)).isEqualTo(written); // reused, not copied again
    }

    @Test
    void aClasspathWithoutTheRicIsRefusedClearly(@TempDir Path dir) throws Exception {
        Path notRic = Files.writeString(dir.resolve("x.txt"), "x");
        assertThatThrownBy(() -> RicClasspath.extractNativeLibrary(List.of(notRic), dir.resolve("native")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("native library jni/libaws-lambda-jni.linux");
        assertThatThrownBy(() -> new LambdaRuntime(new LambdaRuntimeConfig(dir.resolve("w"), dir.resolve("l"),
                List.of(dir.resolve("missing.jar")), Map.of(), 1, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.jar").hasMessageContaining("mvn -B package -DskipTests");
        assertThatThrownBy(() -> new LambdaRuntimeConfig(dir, dir, List.of(), Map.of(), 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ricClasspath is empty");
        assertThatThrownBy(() -> new LambdaRuntimeConfig(dir, dir, List.of(notRic), Map.of(), 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEnvironmentsPerFunction");
    }
}
