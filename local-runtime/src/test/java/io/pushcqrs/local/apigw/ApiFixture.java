package io.pushcqrs.local.apigw;

import io.pushcqrs.local.resources.Backend;
import io.pushcqrs.local.resources.StackLoader;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Template;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The REST API of the CDK-synthesized test fixture (src/test/resources/template/assembly), without moto. */
public final class ApiFixture {
    public static final String KEY = "test-key-0123456789abcdef";

    private ApiFixture() {
    }

    public static StackModel model(String edge) {
        Backend fake = new Backend() {
            @Override
            public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
                return request.streamSpecification() == null ? null
                        : "arn:aws:dynamodb:us-east-1:000000000000:table/" + request.tableName() + "/stream/x";
            }

            @Override
            public String ensureQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
                return "http://moto/000000000000/" + name;
            }
        };
        try {
            Path cdkOut = Path.of(ApiFixture.class.getResource("/template/assembly").toURI());
            return new StackLoader(Template.load(cdkOut, null), edge, KEY).load(fake);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RestApiModel api() {
        return model("http://127.0.0.1:4566").apis().get(0);
    }

    /** The same API without the template's GatewayResponses (AWS's default error bodies). */
    public static RestApiModel apiWithoutGatewayResponses() {
        RestApiModel a = api();
        return new RestApiModel(a.id(), a.name(), a.rootResourceId(), a.binaryMediaTypes(), a.stages(), a.resources(),
                a.methods(), Map.of());
    }
}
