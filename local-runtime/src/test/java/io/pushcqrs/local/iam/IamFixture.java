package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.resources.Backend;
import io.pushcqrs.local.resources.SecretSpec;
import io.pushcqrs.local.resources.StackLoader;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Template;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The CDK-synthesized test fixture (src/test/resources/template/assembly), optionally edited, loaded as the stack
 * loads it (a fake backend: stream ARNs and queue URLs as moto would make them), for IAM.
 */
final class IamFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM_SUFFIX = "/stream/2026-12-02T10:00:00.000";

    final Template template;
    final StackLoader loader;
    final StackModel model;

    private IamFixture(Template template) {
        this.template = template;
        this.loader = new StackLoader(template, "http://127.0.0.1:4566", null);
        this.model = loader.load(new Backend() {
            @Override
            public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
                return request.streamSpecification() == null ? null
                        : "arn:aws:dynamodb:us-east-1:000000000000:table/" + request.tableName() + STREAM_SUFFIX;
            }

            @Override
            public String ensureQueue(String name, java.util.Map<String, String> attributes, java.util.Map<String, String> tags) {
                return "http://127.0.0.1:4566/000000000000/" + name;
            }

            @Override
            public String ensureSecret(SecretSpec spec) {
                return "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + spec.name() + "-AbCdEf";
            }
        });
    }

    static IamFixture load() {
        return load(t -> {
        });
    }

    /** The fixture with the template's JSON edited first. */
    static IamFixture load(Consumer<ObjectNode> edit) {
        try {
            Path dir = Path.of(IamFixture.class.getResource("/template/assembly").toURI());
            Path file = dir.resolve("fx-notification-cqrs.template.json");
            ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
            edit.accept(root);
            return new IamFixture(Template.parse(root, "fx-notification-cqrs", file, dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    IamModel iam() {
        return IamLoader.load(template, loader.intrinsics(), model.functions());
    }

    /** Resources.X.Properties of the edited template. */
    static ObjectNode properties(ObjectNode root, String logicalId) {
        return (ObjectNode) root.path("Resources").path(logicalId).path("Properties");
    }

    /** The logical id of the first resource whose id starts with the prefix. */
    static String id(ObjectNode root, String prefix) {
        var it = root.path("Resources").fieldNames();
        while (it.hasNext()) {
            String id = it.next();
            if (id.startsWith(prefix)) {
                return id;
            }
        }
        throw new IllegalArgumentException("no resource " + prefix + "*");
    }
}
