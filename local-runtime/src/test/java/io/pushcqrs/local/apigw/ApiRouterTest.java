package io.pushcqrs.local.apigw;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRouterTest {
    private static RestApiModel.Resource res(String id, String parent, String part, String path) {
        return new RestApiModel.Resource(id, parent, part, path);
    }

    private static RestApiModel.Method method(String resourceId, String http) {
        return new RestApiModel.Method(resourceId, http, false, "fn-" + resourceId, Map.of(), false, false, Map.of());
    }

    private final RestApiModel api = new RestApiModel("api1", "test", "root", List.of(), Map.of(),
            List.of(res("root", null, "", "/"),
                    res("items", "root", "items", "/items"),
                    res("item", "items", "{id}", "/items/{id}"),
                    res("special", "items", "special", "/items/special"),
                    res("itemTags", "item", "tags", "/items/{id}/tags"),
                    res("files", "root", "files", "/files"),
                    res("proxy", "files", "{proxy+}", "/files/{proxy+}"),
                    res("a", "root", "a", "/a"),
                    res("ab", "a", "b", "/a/b"),
                    res("ax", "a", "{x}", "/a/{x}"),
                    res("axc", "ax", "c", "/a/{x}/c")),
            List.of(method("root", "GET"), method("items", "GET"), method("items", "POST"), method("item", "GET"),
                    method("special", "GET"), method("itemTags", "ANY"), method("proxy", "ANY"), method("axc", "GET")),
            Map.of());
    private final ApiRouter router = new ApiRouter(api);

    private String resolve(String path) {
        return router.match(path).map(m -> m.resource().id() + m.pathParameters()).orElse("none");
    }

    @Test
    void literalPartsBeatParameters() {
        assertThat(resolve("/items/special")).isEqualTo("special{}");
        assertThat(resolve("/items/42")).isEqualTo("item{id=42}");
        assertThat(resolve("/items/42/tags")).isEqualTo("itemTags{id=42}");
    }

    @Test
    void aDeeperMismatchFallsBackToTheParameterBranch() {
        // /a/b exists as a literal, but /a/b/c only exists below /a/{x}
        assertThat(resolve("/a/b/c")).isEqualTo("axc{x=b}");
        assertThat(resolve("/a/b")).isEqualTo("ab{}");
    }

    @Test
    void greedyProxyTakesTheRestOfThePath() {
        assertThat(resolve("/files/x/y/z.txt")).isEqualTo("proxy{proxy=x/y/z.txt}");
        assertThat(resolve("/files")).isEqualTo("files{}");
    }

    @Test
    void rootTrailingSlashesAndUnknownPaths() {
        assertThat(resolve("/")).isEqualTo("root{}");
        assertThat(resolve("")).isEqualTo("root{}");
        assertThat(resolve("/items/")).isEqualTo("items{}");
        assertThat(resolve("/nothing")).isEqualTo("none");
        assertThat(resolve("/items/1/2")).isEqualTo("none");
    }

    @Test
    void pathParametersKeepTheClientsEncodingAndLiteralsMatchDecoded() {
        assertThat(resolve("/items/a%20b")).isEqualTo("item{id=a%20b}");
        assertThat(resolve("/items/spe%63ial")).isEqualTo("special{}");
    }

    @Test
    void methodsMatchExactlyThenAny() {
        RestApiModel.Resource items = api.resource("items").orElseThrow();
        assertThat(router.method(items, "POST")).map(RestApiModel.Method::httpMethod).contains("POST");
        assertThat(router.method(items, "DELETE")).isEmpty();
        RestApiModel.Resource tags = api.resource("itemTags").orElseThrow();
        assertThat(router.method(tags, "DELETE")).map(RestApiModel.Method::httpMethod).contains("ANY");
    }
}
