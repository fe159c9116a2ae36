package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One AWS::ApiGateway::RestApi of the template, as the local API Gateway serves it.
 *
 * @param id               the RestApi id (what Ref answers; part of LocalStack's URL form)
 * @param name             the API's Name
 * @param rootResourceId   the id of the "/" resource
 * @param binaryMediaTypes BinaryMediaTypes: request bodies of these content types reach the function base64-encoded
 * @param stages           the deployed stages by name
 * @param resources        every resource, "/" included, with its full path
 * @param methods          every method
 * @param gatewayResponses the template's GatewayResponses by ResponseType (MISSING_AUTHENTICATION_TOKEN, ...)
 */
public record RestApiModel(String id, String name, String rootResourceId, List<String> binaryMediaTypes,
                           Map<String, Stage> stages, List<Resource> resources, List<Method> methods,
                           Map<String, GatewayResponseSpec> gatewayResponses) {

    public RestApiModel {
        binaryMediaTypes = List.copyOf(binaryMediaTypes);
        stages = Map.copyOf(stages);
        resources = List.copyOf(resources);
        methods = List.copyOf(methods);
        gatewayResponses = Map.copyOf(gatewayResponses);
    }

    /**
     * A deployed stage.
     *
     * @param name         the StageName
     * @param deploymentId the deployment it serves
     * @param variables    stage variables (empty map: the event's stageVariables is null)
     * @param apiKeys      the keys that usage plans (or StageKeys) grant on this stage
     * @param limits       the stage's method throttling and its usage plans' throttles and quotas
     */
    public record Stage(String name, String deploymentId, Map<String, String> variables, List<ApiKey> apiKeys,
                        ApiLimits limits) {
        public Stage {
            variables = Map.copyOf(variables);
            apiKeys = List.copyOf(apiKeys);
            limits = limits == null ? ApiLimits.NONE : limits;
        }

        /** A stage without throttling or quotas. */
        public Stage(String name, String deploymentId, Map<String, String> variables, List<ApiKey> apiKeys) {
            this(name, deploymentId, variables, apiKeys, ApiLimits.NONE);
        }

        /** The enabled key with this value, if any. */
        public Optional<ApiKey> key(String value) {
            if (value == null) {
                return Optional.empty();
            }
            return apiKeys.stream().filter(k -> k.enabled() && k.value().equals(value)).findFirst();
        }
    }

    /** An AWS::ApiGateway::ApiKey with its value (the template's Value, the --api-key option, or generated). */
    public record ApiKey(String id, String name, String value, boolean enabled) {
    }

    /**
     * An AWS::ApiGateway::Resource (or the root).
     *
     * @param path the full resource path, e.g. /commands/{transaction_id}
     */
    public record Resource(String id, String parentId, String pathPart, String path) {
    }

    /**
     * An AWS::ApiGateway::Method with an AWS_PROXY Lambda integration.
     *
     * @param resourceId         the resource it is on
     * @param httpMethod         GET, POST, ..., or ANY
     * @param apiKeyRequired     ApiKeyRequired
     * @param functionName       the function the integration Uri points at
     * @param requestParameters  RequestParameters (method.request.querystring.x / header.x / path.x -> required)
     * @param validateParameters the method's RequestValidator validates request parameters
     * @param validateBody       the method's RequestValidator validates the body
     * @param requestModels      content type -> JSON schema of the body (RequestModels, resolved)
     * @param timeoutMs          the integration's TimeoutInMillis (API Gateway's default and bound: 29,000)
     */
    public record Method(String resourceId, String httpMethod, boolean apiKeyRequired, String functionName,
                         Map<String, Boolean> requestParameters, boolean validateParameters, boolean validateBody,
                         Map<String, JsonNode> requestModels, int timeoutMs) {
        /** API Gateway's integration timeout for REST APIs. */
        public static final int DEFAULT_TIMEOUT_MS = 29_000;

        public Method {
            requestParameters = Map.copyOf(requestParameters);
            requestModels = Map.copyOf(requestModels);
        }

        /** A method with the default integration timeout. */
        public Method(String resourceId, String httpMethod, boolean apiKeyRequired, String functionName,
                      Map<String, Boolean> requestParameters, boolean validateParameters, boolean validateBody,
                      Map<String, JsonNode> requestModels) {
            this(resourceId, httpMethod, apiKeyRequired, functionName, requestParameters, validateParameters, validateBody,
                    requestModels, DEFAULT_TIMEOUT_MS);
        }
    }

    /**
     * An AWS::ApiGateway::GatewayResponse.
     *
     * @param type       ResponseType (DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, ...)
     * @param statusCode StatusCode, or null for the type's default
     * @param headers    header name -> ResponseParameters value as written: a 'quoted' literal or
     *                   method.request.header.x / querystring.x / path.x
     * @param templates  content type -> body template ($context variables are substituted)
     */
    public record GatewayResponseSpec(String type, Integer statusCode, Map<String, String> headers,
                                      Map<String, String> templates) {
        public GatewayResponseSpec {
            headers = Map.copyOf(headers);
            templates = Map.copyOf(templates);
        }
    }

    public Optional<Resource> resource(String id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
