package io.pushcqrs.local.lambda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of Lambda's limits: concurrency bookkeeping and which Java a runtime gets. */
class ConcurrencyAndJavaTest {

    @Test
    void reservedConcurrencyIsTheFunctionsOwnAndTheRestShareTheAccountLimit() {
        Concurrency c = new Concurrency(102);
        c.reserve("reserved", 2);
        assertThat(c.unreservedLimit()).isEqualTo(100);
        assertThat(c.tryAcquire("reserved")).isNull();
        assertThat(c.tryAcquire("reserved")).isNull();
        assertThat(c.tryAcquire("reserved")).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
        c.release("reserved");
        assertThat(c.tryAcquire("reserved")).isNull();
        // unreserved functions share 100, whatever their number
        for (int i = 0; i < 60; i++) {
            assertThat(c.tryAcquire("a")).isNull();
        }
        for (int i = 0; i < 40; i++) {
            assertThat(c.tryAcquire("b")).isNull();
        }
        assertThat(c.tryAcquire("a")).isEqualTo("ConcurrentInvocationLimitExceeded");
        assertThat(c.tryAcquire("b")).isEqualTo("ConcurrentInvocationLimitExceeded");
        assertThat(c.tryAcquire("reserved")).as("its reservation is its own").isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
        c.release("b");
        assertThat(c.tryAcquire("a")).isNull();
        assertThat(c.running("a")).isEqualTo(61);
        assertThatThrownBy(() -> c.release("nothing")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reservationsMustLeaveOneHundredUnreservedAndZeroThrottlesAll() {
        Concurrency c = new Concurrency(1000);
        c.reserve("zero", 0);
        assertThat(c.tryAcquire("zero")).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
        c.reserve("big", 900);
        assertThatThrownBy(() -> c.reserve("more", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below its minimum value of [100]");
        c.reserve("big", FunctionSpec.UNRESERVED);
        assertThat(c.unreservedLimit()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0} -> Java {1}")
    @CsvSource({"java8, 8", "java8.al2, 8", "java11, 11", "java17, 17", "java21, 21", "java25, 25"})
    void runtimesNameTheirJava(String runtime, int feature) {
        assertThat(JavaRuntimes.feature(runtime)).contains(feature);
    }

    @Test
    void notAJavaRuntime() {
        assertThat(JavaRuntimes.feature("python3.12")).isEmpty();
        assertThat(JavaRuntimes.feature(null)).isEmpty();
    }

    @ParameterizedTest(name = "wants {0}, installed {1} -> {2}")
    @CsvSource({"21, '17,25', 25", "21, '17,21,25', 21", "17, '17,25', 17", "11, '17,25', 17", "25, '17,21', -1",
            "8, '', -1"})
    void theSameJavaElseTheNearestNewer(int wanted, String installed, int chosen) {
        List<JavaRuntimes.JavaInstallation> javas = installed.isBlank() ? List.of()
                : java.util.Arrays.stream(installed.split(",")).map(v -> new JavaRuntimes.JavaInstallation(
                Path.of("/jvm/" + v), Integer.parseInt(v), v + ".0.1", "Vendor")).toList();
        assertThat(JavaRuntimes.select(wanted, javas).map(JavaRuntimes.JavaInstallation::feature).orElse(-1)).isEqualTo(chosen);
    }

    @Test
    void installationsAreReadFromTheirReleaseFile(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("jdk-21");
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.createFile(home.resolve("bin").resolve("java"));
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"21.0.5\"\n");
        JavaRuntimes.JavaInstallation j = JavaRuntimes.read(home).orElseThrow();
        assertThat(j.feature()).isEqualTo(21);
        assertThat(j.maxClassVersion()).isEqualTo(65);
        assertThat(j.describe()).startsWith("Temurin 21.0.5 (");
        assertThat(JavaRuntimes.discover(List.of(home))).extracting(JavaRuntimes.JavaInstallation::home)
                .contains(home.toRealPath(), Path.of(System.getProperty("java.home")).toRealPath());
        assertThat(JavaRuntimes.featureOf("1.8.0_392")).isEqualTo(8);
        assertThat(JavaRuntimes.read(dir.resolve("nothing"))).isEmpty();
    }
}
