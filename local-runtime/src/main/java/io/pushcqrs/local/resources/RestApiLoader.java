package io.pushcqrs.local.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pushcqrs.local.resources.LoadContext.at;
import static io.pushcqrs.local.resources.LoadContext.intValue;
import static io.pushcqrs.local.resources.LoadContext.strings;

/**
 * AWS::ApiGateway::RestApi with its Resources, Methods (AWS_PROXY Lambda integrations only), RequestValidators,
 * Models, Deployments, Stages, GatewayResponses and the keys of {@link ApiKeys}: the model the local API Gateway
 * serves. An OpenAPI Body is refused.
 */
final class RestApiLoader implements ResourceLoader {
    private static final Pattern INTEGRATION_URI =
            Pattern.compile("^arn:[^:]+:apigateway:[^:]*:lambda:path/2015-03-31/functions/(.+)/invocations$");

    @Override
    public void load(LoadContext ctx) {
        Map<String, RestApiModel.ApiKey> keys = ApiKeys.apiKeys(ctx);
        for (Template.Resource r : ctx.resources("AWS::ApiGateway::RestApi")) {
            ctx.apis.add(restApi(ctx, r, keys));
        }
    }

    private static RestApiModel restApi(LoadContext ctx, Template.Resource api, Map<String, RestApiModel.ApiKey> keys) {
        String apiId = ctx.in.ref(api.logicalId(), at(api));
        if (!api.property("Body").isMissingNode() || !api.property("BodyS3Location").isMissingNode()) {
            throw new TemplateException(at(api) + ": a RestApi defined by an OpenAPI Body is not supported by the local"
                    + " stack; declare its resources and methods (as the CDK RestApi construct does)");
        }
        String apiKeySource = ctx.in.propertyText(api, "ApiKeySourceType");
        if (apiKeySource != null && !apiKeySource.equals("HEADER")) {
            throw new TemplateException(at(api) + ": ApiKeySourceType " + apiKeySource + " is not supported (HEADER is)");
        }
        String name = ctx.in.propertyText(api, "Name");
        String root = ctx.in.getAtt(api.logicalId(), "RootResourceId", at(api));
        List<String> binary = new ArrayList<>();
        ctx.in.property(api, "BinaryMediaTypes").forEach(t -> binary.add(t.asText().replace("~1", "/")));

        // resources and their full paths
        Map<String, String[]> parentAndPart = new LinkedHashMap<>();
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::Resource", apiId)) {
            parentAndPart.put(ctx.in.ref(r.logicalId(), at(r)),
                    new String[]{ctx.in.propertyText(r, "ParentId"), ctx.in.propertyText(r, "PathPart")});
        }
        List<RestApiModel.Resource> resources = new ArrayList<>();
        resources.add(new RestApiModel.Resource(root, null, "", "/"));
        for (Map.Entry<String, String[]> e : parentAndPart.entrySet()) {
            resources.add(new RestApiModel.Resource(e.getKey(), e.getValue()[0], e.getValue()[1],
                    path(e.getKey(), root, parentAndPart, 0)));
        }

        // validators and models
        Map<String, boolean[]> validators = new LinkedHashMap<>();
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::RequestValidator", apiId)) {
            validators.put(ctx.in.ref(r.logicalId(), at(r)), new boolean[]{
                    Boolean.parseBoolean(ctx.in.propertyText(r, "ValidateRequestParameters")),
                    Boolean.parseBoolean(ctx.in.propertyText(r, "ValidateRequestBody"))});
        }
        Map<String, JsonNode> models = new LinkedHashMap<>();
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::Model", apiId)) {
            JsonNode schema = ctx.in.property(r, "Schema");
            if (schema.isTextual()) {
                try {
                    schema = Template.JSON.readTree(schema.asText());
                } catch (JsonProcessingException e) {
                    throw new TemplateException(at(r) + ": the model's Schema is not valid JSON: " + e.getOriginalMessage());
                }
            }
            models.put(ctx.in.ref(r.logicalId(), at(r)), schema);
        }

        // methods
        List<RestApiModel.Method> methods = new ArrayList<>();
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::Method", apiId)) {
            methods.add(method(ctx, r, validators, models));
        }

        // stages, keys, usage plans
        Map<String, String> stageDeployment = new LinkedHashMap<>();
        Map<String, Map<String, String>> stageVariables = new LinkedHashMap<>();
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::Deployment", apiId)) {
            String stageName = ctx.in.propertyText(r, "StageName");
            if (stageName != null) {
                stageDeployment.put(stageName, ctx.in.ref(r.logicalId(), at(r)));
                stageVariables.put(stageName, strings(ctx.in.property(r, "StageDescription").path("Variables")));
            }
        }
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::Stage", apiId)) {
            String stageName = ctx.in.ref(r.logicalId(), at(r));
            stageDeployment.put(stageName, ctx.in.propertyText(r, "DeploymentId"));
            stageVariables.put(stageName, strings(ctx.in.property(r, "Variables")));
        }
        Map<String, List<RestApiModel.ApiKey>> keysByStage = ApiKeys.keysByStage(ctx, apiId, keys);
        Map<String, RestApiModel.Stage> stages = new LinkedHashMap<>();
        stageDeployment.forEach((stage, deployment) -> stages.put(stage, new RestApiModel.Stage(stage, deployment,
                stageVariables.getOrDefault(stage, Map.of()), keysByStage.getOrDefault(stage, List.of()),
                UsagePlans.limits(ctx, apiId, stage))));
        if (stages.isEmpty()) {
            ctx.warnings.add("REST API " + name + " (" + api.logicalId() + ") has no stage: it cannot be called");
        }
        boolean keyRequired = methods.stream().anyMatch(RestApiModel.Method::apiKeyRequired);
        for (RestApiModel.Stage s : stages.values()) {
            if (keyRequired && s.apiKeys().isEmpty()) {
                ctx.warnings.add("REST API " + name + ", stage " + s.name() + ": methods require an API key, but no usage plan"
                        + " grants a key on this stage, so they all answer 403");
            }
        }

        // gateway responses
        Map<String, RestApiModel.GatewayResponseSpec> responses = new LinkedHashMap<>();
        for (Template.Resource r : ofApi(ctx, "AWS::ApiGateway::GatewayResponse", apiId)) {
            String type = ctx.in.propertyText(r, "ResponseType");
            String status = ctx.in.propertyText(r, "StatusCode");
            Map<String, String> headers = new LinkedHashMap<>();
            strings(ctx.in.property(r, "ResponseParameters")).forEach((k, v) -> {
                if (k.startsWith("gatewayresponse.header.")) {
                    headers.put(k.substring("gatewayresponse.header.".length()), v);
                }
            });
            responses.put(type, new RestApiModel.GatewayResponseSpec(type,
                    status == null ? null : intValue(status, 0, at(r) + ".Properties.StatusCode"), headers,
                    strings(ctx.in.property(r, "ResponseTemplates"))));
        }
        return new RestApiModel(apiId, name == null ? api.logicalId() : name, root, binary, stages, resources, methods,
                responses);
    }

    private static List<Template.Resource> ofApi(LoadContext ctx, String type, String apiId) {
        List<Template.Resource> out = new ArrayList<>();
        for (Template.Resource r : ctx.resources(type)) {
            if (apiId.equals(ctx.in.propertyText(r, "RestApiId"))) {
                out.add(r);
            }
        }
        return out;
    }

    private static String path(String id, String root, Map<String, String[]> parentAndPart, int depth) {
        if (id.equals(root)) {
            return "";
        }
        String[] pp = parentAndPart.get(id);
        if (pp == null || depth > 100) {
            throw new TemplateException("the API resource " + id + " has a parent that is not in the template");
        }
        String parent = path(pp[0], root, parentAndPart, depth + 1);
        return parent + "/" + pp[1];
    }

    private static RestApiModel.Method method(LoadContext ctx, Template.Resource r, Map<String, boolean[]> validators,
                                              Map<String, JsonNode> models) {
        String httpMethod = ctx.in.propertyText(r, "HttpMethod");
        JsonNode integration = ctx.in.property(r, "Integration");
        String type = integration.path("Type").asText("");
        if (!type.equals("AWS_PROXY")) {
            throw new TemplateException(at(r) + ": the " + httpMethod + " method has a " + (type.isEmpty() ? "missing" : type)
                    + " integration; the local API Gateway supports AWS_PROXY integrations with a Lambda function only");
        }
        String uri = integration.path("Uri").asText("");
        int timeoutMs = intValue(ctx.in.text(integration.path("TimeoutInMillis"), at(r) + ".Properties.Integration.TimeoutInMillis"),
                RestApiModel.Method.DEFAULT_TIMEOUT_MS, at(r) + ".Properties.Integration.TimeoutInMillis");
        if (timeoutMs < 50 || timeoutMs > RestApiModel.Method.DEFAULT_TIMEOUT_MS) {
            ctx.warnings.add("method " + r.logicalId() + ": Integration.TimeoutInMillis " + timeoutMs + " is outside 50..29000;"
                    + " AWS allows more only for Regional and private APIs after a quota increase; the local stack uses it as is");
        }
        Matcher m = INTEGRATION_URI.matcher(uri);
        FunctionSpec fn = m.matches() ? ctx.findFunction(m.group(1)) : null;
        if (fn == null) {
            throw new TemplateException(at(r) + ": the integration Uri " + uri + " does not name a Lambda function of"
                    + " the template");
        }
        String authorization = ctx.in.propertyText(r, "AuthorizationType");
        if (authorization != null && !authorization.equals("NONE")) {
            ctx.warnings.add("method " + r.logicalId() + ": AuthorizationType " + authorization + " is not enforced locally");
        }
        Map<String, Boolean> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : ctx.in.property(r, "RequestParameters").properties()) {
            parameters.put(e.getKey(), e.getValue().asBoolean(false) || "true".equals(e.getValue().asText()));
        }
        boolean[] validator = new boolean[2];
        String validatorId = ctx.in.propertyText(r, "RequestValidatorId");
        if (validatorId != null) {
            boolean[] v = validators.get(validatorId);
            if (v == null) {
                throw new TemplateException(at(r) + ": the RequestValidatorId " + validatorId + " is not a validator of the API");
            }
            validator = v;
        }
        Map<String, JsonNode> requestModels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : ctx.in.property(r, "RequestModels").properties()) {
            String model = e.getValue().asText();
            JsonNode schema = models.get(model);
            if (schema == null) {
                if (model.equals("Empty") || model.equals("Error")) {
                    continue; // API Gateway's built-in models
                }
                throw new TemplateException(at(r) + ": the request model " + model + " is not a model of the API");
            }
            requestModels.put(e.getKey(), schema);
        }
        return new RestApiModel.Method(ctx.in.propertyText(r, "ResourceId"), httpMethod,
                Boolean.parseBoolean(ctx.in.propertyText(r, "ApiKeyRequired")), fn.name(), parameters, validator[0],
                validator[1], requestModels, timeoutMs);
    }
}
