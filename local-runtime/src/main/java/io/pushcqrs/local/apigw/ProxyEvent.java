package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Lambda proxy integration event (payload format 1.0) that API Gateway REST APIs send: resource, path,
 * httpMethod, headers and multiValueHeaders, queryStringParameters and multiValueQueryStringParameters (null when
 * none), pathParameters, stageVariables, requestContext, body and isBase64Encoded.
 * <p>
 * As on AWS: {@code path} and {@code pathParameters} keep the client's percent-encoding, query parameters are
 * decoded, single-value maps hold the last value of a repeated name. The body is base64-encoded (with
 * isBase64Encoded true) when its content type is one of the API's BinaryMediaTypes or a binary type
 * (application/octet-stream, image/*, audio/*, video/*, application/zip, application/pdf, application/gzip), or
 * when it is not valid UTF-8. Header names are given as the edge server reports them (capitalized words: the JDK
 * server does not keep the client's case), so handlers must look headers up without regard to case, as they
 * must on AWS too.
 */
public final class ProxyEvent {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ProxyEvent() {
    }

    /**
     * What the event is built from, besides the request.
     *
     * @param api               the REST API
     * @param stage             the stage
     * @param match             the matched resource and path parameters
     * @param method            the method
     * @param requestId         the request id (also in the response's x-amzn-RequestId)
     * @param extendedRequestId the extended request id
     * @param apiKey            the key the request was let in with, or null
     * @param epochMillis       the request time
     */
    public record Context(RestApiModel api, RestApiModel.Stage stage, ApiRouter.Match match, RestApiModel.Method method,
                          String requestId, String extendedRequestId, RestApiModel.ApiKey apiKey, long epochMillis) {
    }

    public static ObjectNode build(ApiRequest request, Context c) {
        ObjectNode e = JSON.createObjectNode();
        e.put("resource", c.match().resource().path());
        e.put("path", request.path());
        e.put("httpMethod", request.httpMethod());

        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        addIfAbsent(headers, "X-Forwarded-For", request.sourceIp());
        addIfAbsent(headers, "X-Forwarded-Proto", "http");
        String host = request.header("Host");
        if (host != null && host.lastIndexOf(':') > host.lastIndexOf(']')) {
            addIfAbsent(headers, "X-Forwarded-Port", host.substring(host.lastIndexOf(':') + 1));
        }
        addIfAbsent(headers, "X-Amzn-Trace-Id", "Root=1-" + Long.toHexString(c.epochMillis() / 1000) + "-"
                + c.requestId().replace("-", "").substring(0, 24));
        putMaps(e, "headers", "multiValueHeaders", headers);

        Map<String, List<String>> query = parseQuery(request.rawQuery());
        putMaps(e, "queryStringParameters", "multiValueQueryStringParameters", query);

        if (c.match().pathParameters().isEmpty()) {
            e.putNull("pathParameters");
        } else {
            ObjectNode p = e.putObject("pathParameters");
            c.match().pathParameters().forEach(p::put);
        }
        if (c.stage().variables().isEmpty()) {
            e.putNull("stageVariables");
        } else {
            ObjectNode v = e.putObject("stageVariables");
            c.stage().variables().forEach(v::put);
        }

        String domainName = host != null ? host : c.api().id() + ".execute-api.us-east-1.amazonaws.com";
        ObjectNode rc = e.putObject("requestContext");
        rc.put("resourceId", c.match().resource().id());
        rc.put("resourcePath", c.match().resource().path());
        rc.put("httpMethod", request.httpMethod());
        rc.put("extendedRequestId", c.extendedRequestId());
        rc.put("requestTime", REQUEST_TIME.format(Instant.ofEpochMilli(c.epochMillis())));
        rc.put("path", "/" + c.stage().name() + (request.path().equals("/") ? "/" : request.path()));
        rc.put("accountId", "000000000000");
        rc.put("protocol", request.protocol());
        rc.put("stage", c.stage().name());
        rc.put("domainPrefix", domainName.split("[.:]")[0]);
        rc.put("requestTimeEpoch", c.epochMillis());
        rc.put("requestId", c.requestId());
        ObjectNode id = rc.putObject("identity");
        id.putNull("cognitoIdentityPoolId");
        if (c.apiKey() != null) {
            id.put("apiKey", c.apiKey().value());
            id.put("apiKeyId", c.apiKey().id());
        }
        id.putNull("accountId");
        id.putNull("cognitoIdentityId");
        id.putNull("caller");
        id.put("sourceIp", request.sourceIp());
        id.putNull("principalOrgId");
        id.putNull("accessKey");
        id.putNull("cognitoAuthenticationType");
        id.putNull("cognitoAuthenticationProvider");
        id.putNull("userArn");
        String userAgent = request.header("User-Agent");
        if (userAgent == null) {
            id.putNull("userAgent");
        } else {
            id.put("userAgent", userAgent);
        }
        id.putNull("user");
        rc.put("domainName", domainName);
        rc.put("deploymentId", c.stage().deploymentId());
        rc.put("apiId", c.api().id());

        byte[] body = request.body();
        if (body.length == 0) {
            e.putNull("body");
            e.put("isBase64Encoded", false);
        } else if (isBinary(c.api(), request.header("Content-Type"), body)) {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        } else {
            e.put("body", new String(body, StandardCharsets.UTF_8));
            e.put("isBase64Encoded", false);
        }
        return e;
    }

    /** Query string -> name -> values, decoded, in order; empty map when none. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = PercentCodec.decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : PercentCodec.decodeQuery(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    static boolean isBinary(RestApiModel api, String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (String binary : api.binaryMediaTypes()) {
            if (mediaTypeMatches(binary.toLowerCase(Locale.ROOT), type)) {
                return true;
            }
        }
        if (type.equals("application/octet-stream") || type.startsWith("image/") || type.startsWith("audio/")
                || type.startsWith("video/") || type.equals("application/zip") || type.equals("application/pdf")
                || type.equals("application/gzip")) {
            return true;
        }
        return !isUtf8(body);
    }

    private static boolean mediaTypeMatches(String pattern, String type) {
        if (pattern.equals("*/*")) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void addIfAbsent(Map<String, List<String>> headers, String name, String value) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return;
            }
        }
        headers.put(name, List.of(value));
    }

    private static void putMaps(ObjectNode e, String single, String multi, Map<String, List<String>> values) {
        if (values.isEmpty()) {
            e.putNull(single);
            e.putNull(multi);
            return;
        }
        ObjectNode s = e.putObject(single);
        ObjectNode m = e.putObject(multi);
        values.forEach((k, list) -> {
            s.put(k, list.isEmpty() ? "" : list.get(list.size() - 1));
            ArrayNode a = m.putArray(k);
            list.forEach(a::add);
        });
    }
}
