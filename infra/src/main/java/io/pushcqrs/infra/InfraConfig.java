package io.pushcqrs.infra;

import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of one synthesis, read from CDK context ({@code -c key=value}, cdk.json) with
 * system-property fallbacks for the Maven synth profile.
 *
 * <ul>
 *   <li>{@code stage} (default {@code dev}): prefix of every physical name, so stages live side by side.</li>
 *   <li>{@code ephemeral} (default false): true makes tables, DLQ and log groups DESTROY on stack
 *       deletion (LocalStack, throw-away stages); otherwise they are RETAINed.</li>
 *   <li>{@code lambdaJarDir} (default: each module's target/): a folder holding the four jars.</li>
 *   <li>{@code apiKeyValue}: the API key's value (20+ characters); otherwise AWS generates one.</li>
 * </ul>
 */
public record InfraConfig(String stage, boolean ephemeral, Map<LambdaModule, Path> jars, String apiKeyValue) {

    public static final String CTX_STAGE = "stage";
    public static final String CTX_EPHEMERAL = "ephemeral";
    public static final String CTX_LAMBDA_JAR_DIR = "lambdaJarDir";
    /**
     * No longer a setting: the cursor key is a Secrets Manager secret generated per deployment. A synthesis that
     * still passes it fails, so that nobody believes a key of their choosing is used.
     */
    public static final String CTX_CURSOR_SECRET = "cursorSecret";
    public static final String CTX_API_KEY_VALUE = "apiKeyValue";

    public static final String DEFAULT_STAGE = "dev";

    /** Lower-case letters, digits and dashes; starts with a letter; short enough for every name. */
    static final Pattern STAGE_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    static final Pattern API_KEY_PATTERN = Pattern.compile("[\\x21-\\x7e]{20,128}");

    public InfraConfig {
        jars = Map.copyOf(jars);
    }

    /** Reads the settings from the app's context; fails synthesis with a clear message on bad input. */
    public static InfraConfig fromContext(Node node, Path repoRoot) {
        String stage = setting(node, CTX_STAGE);
        if (stage == null) {
            stage = DEFAULT_STAGE;
        }
        if (!STAGE_PATTERN.matcher(stage).matches()) {
            throw new IllegalArgumentException("context stage='" + stage + "' is not a valid stage name: use 1-20 "
                    + "lower-case letters, digits or dashes, starting with a letter (e.g. -c stage=dev)");
        }
        boolean ephemeral = Boolean.parseBoolean(setting(node, CTX_EPHEMERAL));

        String jarDir = setting(node, CTX_LAMBDA_JAR_DIR);
        Map<LambdaModule, Path> jars = resolveJars(repoRoot, jarDir);

        if (setting(node, CTX_CURSOR_SECRET) != null) {
            throw new IllegalArgumentException("context cursorSecret is no longer used: the cursor-signing key is a"
                    + " Secrets Manager secret generated for each deployment (the stack's CursorSecret); remove"
                    + " -c cursorSecret");
        }

        String apiKeyValue = setting(node, CTX_API_KEY_VALUE);
        if (apiKeyValue != null && !API_KEY_PATTERN.matcher(apiKeyValue).matches()) {
            throw new IllegalArgumentException("context apiKeyValue must be 20-128 printable ASCII characters "
                    + "without spaces (API Gateway's rule)");
        }
        return new InfraConfig(stage, ephemeral, jars, apiKeyValue);
    }

    /**
     * The jar of every Lambda module: {@code <dir>/<module>.jar} when a jar folder is given (relative to
     * the repository root), else {@code <root>/<module>/target/<module>.jar}. Fails, naming every missing
     * jar and the command that builds them.
     */
    static Map<LambdaModule, Path> resolveJars(Path repoRoot, String jarDir) {
        Map<LambdaModule, Path> jars = new EnumMap<>(LambdaModule.class);
        List<String> missing = new ArrayList<>();
        for (LambdaModule module : LambdaModule.values()) {
            Path jar = jarDir == null
                    ? repoRoot.resolve(module.moduleName()).resolve("target").resolve(module.jarFileName())
                    : repoRoot.resolve(Paths.get(jarDir)).resolve(module.jarFileName());
            jar = jar.toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                missing.add(jar.toString());
            }
            jars.put(module, jar);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Lambda jar(s) not found: " + String.join(", ", missing)
                    + (jarDir == null
                    ? ". Build them first, from the repository root: mvn -B package -DskipTests"
                    : ". The folder given by lambdaJarDir=" + jarDir + " must hold command-lambda.jar, "
                    + "stream-processor.jar, query-result-lambda.jar and query-lambda.jar"));
        }
        return jars;
    }

    /** A context value (or, failing that, a system property of the same name); blank means unset. */
    static String setting(Node node, String key) {
        Object value = node.tryGetContext(key);
        String text = value == null ? System.getProperty(key) : String.valueOf(value);
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** The stack's name: {@code ${stage}-notification-cqrs}. */
    public String stackName() {
        return stage + "-notification-cqrs";
    }

    public String name(String suffix) {
        return stage + "-" + suffix;
    }

    public Path jar(LambdaModule module) {
        return jars.get(module);
    }
}
