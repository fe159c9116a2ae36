package io.pushcqrs.infra;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions of a synthesized template into concrete ARNs, as CloudFormation would in
 * one account and region (123456789012, us-east-1): Ref, Fn::GetAtt (Arn and StreamArn of the resource types the
 * stack uses), Fn::Join and Fn::Sub. So IAM statements can be checked with IAM's own matching rules.
 */
final class TemplateArns {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    /** The random suffix Secrets Manager appends to a secret's name in its ARN. */
    static final String SECRET_SUFFIX = "-AbCdEf";
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");

    private final JsonNode resources;

    TemplateArns(JsonNode template) {
        this.resources = template.get("Resources");
    }

    /** The value of a template expression as a string. */
    String eval(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("no value");
        }
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return ref(node.get("Ref").asText());
        }
        if (node.has("Fn::GetAtt")) {
            JsonNode args = node.get("Fn::GetAtt");
            return getAtt(args.get(0).asText(), args.get(1).asText());
        }
        if (node.has("Fn::Join")) {
            JsonNode args = node.get("Fn::Join");
            List<String> parts = new ArrayList<>();
            args.get(1).forEach(p -> parts.add(eval(p)));
            return String.join(args.get(0).asText(), parts);
        }
        if (node.has("Fn::Sub")) {
            JsonNode arg = node.get("Fn::Sub");
            String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
            Map<String, JsonNode> vars = new java.util.HashMap<>();
            if (arg.isArray()) {
                arg.get(1).properties().forEach(e -> vars.put(e.getKey(), e.getValue()));
            }
            Matcher m = SUB.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = vars.containsKey(name) ? eval(vars.get(name))
                        : name.contains(".") ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1))
                        : ref(name);
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }
        throw new IllegalArgumentException("cannot evaluate " + node);
    }

    private String ref(String id) {
        switch (id) {
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            default:
                break;
        }
        JsonNode r = resource(id);
        String type = r.path("Type").asText();
        if (type.equals("AWS::SecretsManager::Secret")) {
            // An unnamed secret (infra's CursorSecret: a generated name never collides with a deleted secret still in
            // its recovery window) gets the name CloudFormation generates, which starts with the logical id.
            String name = r.path("Properties").has("Name") ? name(r, "Name") : id;
            return arn("secretsmanager", "secret:" + name + SECRET_SUFFIX);
        }
        return name(r, switch (type) {
            case "AWS::DynamoDB::Table" -> "TableName";
            case "AWS::Lambda::Function" -> "FunctionName";
            case "AWS::Logs::LogGroup" -> "LogGroupName";
            default -> throw new IllegalArgumentException("Ref of a " + type + " (" + id + ") is not modelled");
        });
    }

    private String getAtt(String id, String attribute) {
        JsonNode r = resource(id);
        String type = r.path("Type").asText();
        String key = type + "." + attribute;
        return switch (key) {
            case "AWS::DynamoDB::Table.Arn" -> tableArn(name(r, "TableName"));
            case "AWS::DynamoDB::Table.StreamArn" -> tableArn(name(r, "TableName")) + "/stream/2024-01-01T00:00:00.000";
            case "AWS::Lambda::Function.Arn" -> functionArn(name(r, "FunctionName"));
            case "AWS::Logs::LogGroup.Arn" -> arn("logs", "log-group:" + name(r, "LogGroupName") + ":*");
            case "AWS::SQS::Queue.Arn" -> arn("sqs", name(r, "QueueName"));
            case "AWS::SecretsManager::Secret.Id" -> ref(id);
            default -> throw new IllegalArgumentException("Fn::GetAtt " + key + " (" + id + ") is not modelled");
        };
    }

    private JsonNode resource(String id) {
        JsonNode r = resources.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + id);
        }
        return r;
    }

    private String name(JsonNode resource, String property) {
        JsonNode value = resource.path("Properties").get(property);
        if (value == null) {
            throw new IllegalArgumentException("the resource has no " + property + ": give it a physical name");
        }
        return eval(value);
    }

    static String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }

    static String tableArn(String table) {
        return arn("dynamodb", "table/" + table);
    }

    static String functionArn(String function) {
        return arn("lambda", "function:" + function);
    }

    /** IAM's string matching of actions and resources: '*' any run of characters, '?' any one character. */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }
}
