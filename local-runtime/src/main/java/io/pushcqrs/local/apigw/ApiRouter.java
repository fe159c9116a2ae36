package io.pushcqrs.local.apigw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches request paths against a REST API's resources the way API Gateway does: at each level a literal path
 * part beats a {@code {param}} part, which beats a greedy {@code {proxy+}} part (one or more segments); a deeper
 * mismatch falls back to the next candidate. The method is chosen after the resource: the HTTP method itself,
 * else ANY.
 */
public final class ApiRouter {
    private final RestApiModel api;
    private final Map<String, List<RestApiModel.Resource>> children = new LinkedHashMap<>();

    /** A matched resource with its path parameters (values as sent, percent-encoding kept, as AWS does). */
    public record Match(RestApiModel.Resource resource, Map<String, String> pathParameters) {
    }

    public ApiRouter(RestApiModel api) {
        this.api = api;
        for (RestApiModel.Resource r : api.resources()) {
            if (r.parentId() != null) {
                children.computeIfAbsent(r.parentId(), k -> new ArrayList<>()).add(r);
            }
        }
    }

    /** The resource for a path ("/a/b"; a trailing slash is ignored), or empty. */
    public Optional<Match> match(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        RestApiModel.Resource root = api.resource(api.rootResourceId()).orElseThrow();
        Map<String, String> params = new LinkedHashMap<>();
        RestApiModel.Resource found = match(root, segments, 0, params);
        return found == null ? Optional.empty() : Optional.of(new Match(found, params));
    }

    private RestApiModel.Resource match(RestApiModel.Resource at, List<String> segments, int index,
                                        Map<String, String> params) {
        if (index == segments.size()) {
            return at;
        }
        List<RestApiModel.Resource> kids = children.getOrDefault(at.id(), List.of());
        String segment = segments.get(index);
        for (RestApiModel.Resource kid : kids) {
            if (!isParam(kid.pathPart()) && kid.pathPart().equals(PercentCodec.decode(segment))) {
                RestApiModel.Resource r = match(kid, segments, index + 1, params);
                if (r != null) {
                    return r;
                }
            }
        }
        for (RestApiModel.Resource kid : kids) {
            if (isParam(kid.pathPart()) && !kid.pathPart().endsWith("+}")) {
                String name = kid.pathPart().substring(1, kid.pathPart().length() - 1);
                params.put(name, segment);
                RestApiModel.Resource r = match(kid, segments, index + 1, params);
                if (r != null) {
                    return r;
                }
                params.remove(name);
            }
        }
        for (RestApiModel.Resource kid : kids) {
            if (kid.pathPart().startsWith("{") && kid.pathPart().endsWith("+}")) {
                String name = kid.pathPart().substring(1, kid.pathPart().length() - 2);
                params.put(name, String.join("/", segments.subList(index, segments.size())));
                return kid;
            }
        }
        return null;
    }

    /** The method of a resource for an HTTP method: the exact one, else ANY. */
    public Optional<RestApiModel.Method> method(RestApiModel.Resource resource, String httpMethod) {
        RestApiModel.Method any = null;
        for (RestApiModel.Method m : api.methods()) {
            if (m.resourceId().equals(resource.id())) {
                if (m.httpMethod().equalsIgnoreCase(httpMethod)) {
                    return Optional.of(m);
                }
                if (m.httpMethod().equals("ANY")) {
                    any = m;
                }
            }
        }
        return Optional.ofNullable(any);
    }

    private static boolean isParam(String part) {
        return part.startsWith("{") && part.endsWith("}");
    }
}
