package io.pushcqrs.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The size in bytes of each function's shaded jar, {@code <root>/<module>/target/<module>.jar} (absent ones left out). */
final class Jars {
    static final List<String> MODULES = List.of("command-lambda", "stream-processor", "query-result-lambda", "query-lambda");

    private Jars() {
    }

    static Map<String, Long> sizes(Path repoRoot) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String module : MODULES) {
            Path jar = repoRoot.resolve(module).resolve("target").resolve(module + ".jar");
            try {
                if (Files.isRegularFile(jar)) {
                    sizes.put(module + ".jar", Files.size(jar));
                }
            } catch (IOException e) {
                // left out
            }
        }
        return sizes;
    }
}
