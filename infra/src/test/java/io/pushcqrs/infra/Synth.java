package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Shared synthesis for the tests: each distinct context is synthesized once per test JVM (jsii start-up
 * and synthesis cost seconds) and the result is reused by every test class.
 */
final class Synth {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path BUILD_DIR = Paths.get(System.getProperty("infra.buildDir", "target")).toAbsolutePath();
    static final Path REPO_ROOT = RepoPaths.findRepoRoot();
    /** Placeholder jars, one per module with distinct contents (identical files would share one asset). */
    static final Path JAR_DIR = BUILD_DIR.resolve("test-lambda-jars");

    private static final Map<String, Synthesized> CACHE = new LinkedHashMap<>();
    private static final AtomicInteger OUTDIRS = new AtomicInteger();

    private Synth() {
    }

    /** The default synthesis: stage dev, no other context than the placeholder jar folder. */
    static Synthesized dev() {
        return of(Map.of("stage", "dev"));
    }

    static synchronized Synthesized of(Map<String, Object> context) {
        String key = new TreeMap<>(context).toString();
        Synthesized cached = CACHE.get(key);
        if (cached == null) {
            cached = synthesize(context);
            CACHE.put(key, cached);
        }
        return cached;
    }

    /** A fresh app with cdk.json's flags, the placeholder jars and {@code context}; its own outdir. */
    static App app(Map<String, Object> context) {
        Map<String, Object> all = new LinkedHashMap<>(InfraApp.defaultContext(REPO_ROOT));
        all.put(InfraConfig.CTX_LAMBDA_JAR_DIR, placeholderJars().toString());
        all.putAll(context);
        Path outdir = BUILD_DIR.resolve("test-cdk-out").resolve("app-" + OUTDIRS.incrementAndGet());
        return new App(AppProps.builder().context(all).outdir(outdir.toString()).build());
    }

    private static Synthesized synthesize(Map<String, Object> context) {
        App app = app(context);
        NotificationStack stack = InfraApp.createStack(app, REPO_ROOT);
        Template template = Template.fromStack(stack);
        JsonNode json = JSON.valueToTree(template.toJSON());
        return new Synthesized(stack, template, json, Paths.get(app.getOutdir()));
    }

    static synchronized Path placeholderJars() {
        try {
            Files.createDirectories(JAR_DIR);
            for (LambdaModule module : LambdaModule.values()) {
                Path jar = JAR_DIR.resolve(module.jarFileName());
                if (!Files.exists(jar)) {
                    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                        out.putNextEntry(new JarEntry("placeholder.txt"));
                        out.write(("placeholder for " + module.moduleName()).getBytes(StandardCharsets.UTF_8));
                        out.closeEntry();
                    }
                }
            }
            return JAR_DIR;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One synthesized stack, its assertions Template, its JSON and the app's cloud assembly folder. */
    record Synthesized(NotificationStack stack, Template template, JsonNode json, Path outdir) {

        JsonNode resources() {
            return json.get("Resources");
        }

        /** Logical id -> resource of a type, in template order. */
        Map<String, JsonNode> ofType(String type) {
            Map<String, JsonNode> result = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : resources().properties()) {
                if (type.equals(e.getValue().path("Type").asText())) {
                    result.put(e.getKey(), e.getValue());
                }
            }
            return result;
        }

        /** The logical id of the only resource of a type whose properties match. */
        String logicalId(String type, Predicate<JsonNode> properties) {
            List<String> ids = new ArrayList<>();
            ofType(type).forEach((id, r) -> {
                if (properties.test(r.path("Properties"))) {
                    ids.add(id);
                }
            });
            if (ids.size() != 1) {
                throw new AssertionError("expected one " + type + " matching, found " + ids);
            }
            return ids.get(0);
        }

        String logicalIdByName(String type, String nameProperty, String name) {
            return logicalId(type, p -> name.equals(p.path(nameProperty).asText()));
        }

        JsonNode resource(String logicalId) {
            return Objects.requireNonNull(resources().get(logicalId), logicalId);
        }

        JsonNode properties(String logicalId) {
            return resource(logicalId).get("Properties");
        }

        String functionId(LambdaModule module) {
            return logicalIdByName("AWS::Lambda::Function", "FunctionName",
                    module.functionName(stack.config().stage()));
        }

        String tableId(String suffix) {
            return logicalIdByName("AWS::DynamoDB::Table", "TableName", stack.config().name(suffix));
        }
    }

    // --- JSON helpers -------------------------------------------------------------------------

    static JsonNode ref(String logicalId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Ref", logicalId);
        return node;
    }

    static JsonNode getAtt(String logicalId, String attribute) {
        ObjectNode node = JSON.createObjectNode();
        node.putArray("Fn::GetAtt").add(logicalId).add(attribute);
        return node;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> list(JsonNode arrayOrSingle) {
        List<JsonNode> result = new ArrayList<>();
        if (arrayOrSingle == null || arrayOrSingle.isMissingNode()) {
            return result;
        }
        if (arrayOrSingle.isArray()) {
            arrayOrSingle.forEach(result::add);
        } else {
            result.add(arrayOrSingle);
        }
        return result;
    }

    static List<String> strings(JsonNode arrayOrSingle) {
        return list(arrayOrSingle).stream().map(JsonNode::asText).toList();
    }
}
