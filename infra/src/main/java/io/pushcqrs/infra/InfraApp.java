package io.pushcqrs.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CDK app: one {@link NotificationStack} named {@code ${stage}-notification-cqrs}.
 *
 * <p>Run by the CDK CLI through cdk.json ({@code npx cdk synth}), or by Maven
 * ({@code mvn -B -f infra/pom.xml -Psynth package -DskipTests}); both write cdk.out/ at the
 * repository root. The feature flags of cdk.json's "context" are loaded as defaults here, so that a
 * synthesis without the CLI (Maven, tests) gets the same template as one with it.
 */
public final class InfraApp {
    private InfraApp() {
    }

    public static void main(String[] args) {
        App app;
        try {
            Path repoRoot = RepoPaths.findRepoRoot();
            app = new App(AppProps.builder().context(defaultContext(repoRoot)).build());
            createStack(app, repoRoot);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A configuration problem (missing jars, bad context): the message says what to do.
            System.err.println("CDK synthesis failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        app.synth();
    }

    /** Adds the stack, configured from the app's context, to an app. */
    public static NotificationStack createStack(App app, Path repoRoot) {
        InfraConfig config = InfraConfig.fromContext(app.getNode(), repoRoot);
        NotificationStack stack = new NotificationStack(app, config.stackName(), StackProps.builder()
                .stackName(config.stackName())
                .description("Notification CQRS (" + config.stage() + "): command-records -> stream -> "
                        + "notification-records, REST API, alarms")
                .analyticsReporting(false)
                .build(), config);
        // Dashboards take tags in CloudFormation only recently: cfn-lint and LocalStack reject them there.
        TagProps tagProps = TagProps.builder().excludeResourceTypes(List.of("AWS::CloudWatch::Dashboard")).build();
        Tags.of(stack).add("project", "notification-cqrs", tagProps);
        Tags.of(stack).add("stage", config.stage(), tagProps);
        return stack;
    }

    /**
     * The context every synthesis starts from: cdk.json's "context" (the feature flags of this CDK
     * version) plus the asset and path metadata the CLI turns on, so templates match with or without
     * the CLI. Values from {@code -c} / CDK_CONTEXT_JSON override these.
     */
    public static Map<String, Object> defaultContext(Path repoRoot) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("aws:cdk:enable-path-metadata", true);
        context.put("aws:cdk:enable-asset-metadata", true);
        context.putAll(cdkJsonContext(repoRoot));
        return context;
    }

    /** The "context" object of {@code <repoRoot>/cdk.json}, or an empty map when there is no cdk.json. */
    public static Map<String, Object> cdkJsonContext(Path repoRoot) {
        Path cdkJson = repoRoot.resolve("cdk.json");
        if (!Files.isRegularFile(cdkJson)) {
            return Map.of();
        }
        try {
            Map<String, Object> json = new ObjectMapper().readValue(cdkJson.toFile(), new TypeReference<>() {
            });
            Object context = json.get("context");
            if (context instanceof Map<?, ?> map) {
                Map<String, Object> result = new LinkedHashMap<>();
                map.forEach((k, v) -> result.put(String.valueOf(k), v));
                return result;
            }
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cdkJson, e);
        }
    }
}
