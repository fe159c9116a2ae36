package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.pushcqrs.local.template.Intrinsics;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an AWS API request into what IAM authorizes: the action and resource ARN per the Service Authorization
 * Reference, by service and protocol.
 * <ul>
 *   <li><b>DynamoDB</b> ({@code X-Amz-Target: DynamoDB_20120810.*}): {@code dynamodb:<Operation>} on the table
 *       ({@code TableName} as a name or an ARN); Query and Scan with {@code IndexName} on
 *       {@code table/T/index/I}; TransactWriteItems per item (Put: PutItem, Update: UpdateItem, Delete: DeleteItem,
 *       ConditionCheck: ConditionCheckItem on the item's table), TransactGetItems per item (GetItem);
 *       BatchGetItem / BatchWriteItem: {@code dynamodb:BatchGetItem} / {@code dynamodb:BatchWriteItem} on each table;
 *       PartiQL statements: {@code dynamodb:PartiQLSelect/Insert/Update/Delete} on the statement's table; ListTables
 *       and others without a table on {@code *}.</li>
 *   <li><b>DynamoDB Streams</b> ({@code DynamoDBStreams_20120810.*}): DescribeStream, GetShardIterator on
 *       {@code StreamArn}; GetRecords on the stream its {@code ShardIterator} belongs to (an iterator starts with its
 *       stream's ARN); ListStreams on {@code *}.</li>
 *   <li><b>SQS</b> (JSON {@code AmazonSQS.*} or query {@code Action=}): {@code sqs:<Operation>} on the queue of
 *       {@code QueueUrl} (or {@code QueueName}); the batch operations authorize their single action (SendMessageBatch:
 *       sqs:SendMessage...); ListQueues on {@code *}.</li>
 *   <li><b>Secrets Manager</b> ({@code secretsmanager.*}): on the secret's ARN ({@code SecretId} may be a name);
 *       condition key {@code secretsmanager:SecretId}.</li>
 *   <li><b>Lambda</b> (REST): Invoke is {@code lambda:InvokeFunction} on the function ARN (with its qualifier when one
 *       is given); GetFunction, GetFunctionConfiguration on the function; ListFunctions on {@code *}.</li>
 *   <li><b>CloudWatch Logs</b> ({@code Logs_20140328.*}): on the log group ({@code log-group:NAME:*}) or, for
 *       PutLogEvents and GetLogEvents, the log stream; <b>CloudWatch</b> ({@code cloudwatch:<Operation>}, condition
 *       key {@code cloudwatch:namespace}); <b>STS</b> GetCallerIdentity needs no permission.</li>
 *   <li>Any other JSON or query request: {@code <service>:<Operation>} on {@code *}. A REST request of another
 *       service cannot be mapped: it is not evaluated.</li>
 * </ul>
 */
public final class RequestMapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = Intrinsics.REGION;
    private static final String ACCOUNT = Intrinsics.ACCOUNT_ID;
    private static final Pattern PARTIQL = Pattern.compile(
            "^\\s*(SELECT|INSERT|UPDATE|DELETE|EXISTS)\\b.*?\\b(?:FROM|INTO|UPDATE)\\s+(\"([^\"]+)\"|([A-Za-z0-9_.-]+))",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern PARTIQL_UPDATE = Pattern.compile(
            "^\\s*UPDATE\\s+(\"([^\"]+)\"|([A-Za-z0-9_.-]+))", Pattern.CASE_INSENSITIVE);
    private static final String LAMBDA_PREFIX = "/2015-03-31/functions";

    private final Function<String, String> secretArns;

    /** @param secretArns a secret's ARN by its name, or null when unknown */
    public RequestMapper(Function<String, String> secretArns) {
        this.secretArns = secretArns;
    }

    /**
     * @param request      the request
     * @param scopeService the service of the SigV4 credential scope (dynamodb, sqs, monitoring...), or null
     */
    public MappedRequest map(AwsRequest request, String scopeService) {
        String path = request.rawPath();
        if (path.equals(LAMBDA_PREFIX) || path.startsWith(LAMBDA_PREFIX + "/")) {
            return lambda(request);
        }
        String target = request.header("X-Amz-Target");
        if (target != null && target.indexOf('.') > 0) {
            String prefix = target.substring(0, target.lastIndexOf('.'));
            String op = target.substring(target.lastIndexOf('.') + 1);
            JsonNode body = json(request);
            return switch (prefix) {
                case "DynamoDB_20120810" -> new MappedRequest("dynamodb", op, Protocol.JSON, dynamoDb(op, body), true);
                case "DynamoDBStreams_20120810" -> new MappedRequest("dynamodb", op, Protocol.JSON, streams(op, body), true);
                case "AmazonSQS" -> new MappedRequest("sqs", op, Protocol.SQS_JSON,
                        sqs(op, field(body, "QueueUrl"), field(body, "QueueName"), field(body, "QueueOwnerAWSAccountId")), true);
                case "secretsmanager" -> new MappedRequest("secretsmanager", op, Protocol.JSON, secrets(op, body), true);
                case "Logs_20140328" -> new MappedRequest("logs", op, Protocol.JSON, logs(op, body), true);
                case "GraniteServiceVersion20100801" -> new MappedRequest("cloudwatch", op, Protocol.JSON,
                        cloudWatch(op, field(body, "Namespace"), field(body, "AlarmName")), true);
                case "AWSSecurityTokenServiceV20110615" -> new MappedRequest("sts", op, Protocol.JSON, sts(op), true);
                default -> {
                    String service = prefixOf(scopeService);
                    yield new MappedRequest(service, op, Protocol.JSON, List.of(new AccessRequest(service + ":" + op, "*")), true);
                }
            };
        }
        Map<String, String> form = form(request);
        String action = form.get("Action");
        if (action != null && !action.isBlank()) {
            String service = prefixOf(scopeService);
            List<AccessRequest> accesses = switch (service) {
                case "sqs" -> sqs(action, form.getOrDefault("QueueUrl", queueUrlFromPath(request.rawPath())),
                        form.get("QueueName"), form.get("QueueOwnerAWSAccountId"));
                case "cloudwatch" -> cloudWatch(action, form.get("Namespace"), form.get("AlarmName"));
                case "sts" -> sts(action);
                default -> List.of(new AccessRequest(service + ":" + action, "*"));
            };
            return new MappedRequest(service, action, Protocol.QUERY, accesses, true);
        }
        return MappedRequest.notEvaluated(prefixOf(scopeService), request.method() + " " + path, Protocol.JSON);
    }

    // ------------------------------------------------------------------ DynamoDB

    private static List<AccessRequest> dynamoDb(String op, JsonNode body) {
        List<AccessRequest> out = new ArrayList<>();
        switch (op) {
            case "TransactWriteItems" -> {
                for (JsonNode item : body.path("TransactItems")) {
                    transactPart(item, "Put", "PutItem", out);
                    transactPart(item, "Update", "UpdateItem", out);
                    transactPart(item, "Delete", "DeleteItem", out);
                    transactPart(item, "ConditionCheck", "ConditionCheckItem", out);
                }
            }
            case "TransactGetItems" -> {
                for (JsonNode item : body.path("TransactItems")) {
                    transactPart(item, "Get", "GetItem", out);
                }
            }
            case "BatchGetItem", "BatchWriteItem" ->
                    body.path("RequestItems").fieldNames().forEachRemaining(t -> out.add(new AccessRequest("dynamodb:" + op, tableArn(t))));
            case "ExecuteStatement" -> out.add(partiQl(field(body, "Statement")));
            case "BatchExecuteStatement" -> body.path("Statements").forEach(s -> out.add(partiQl(field(s, "Statement"))));
            case "ExecuteTransaction" -> body.path("TransactStatements").forEach(s -> out.add(partiQl(field(s, "Statement"))));
            default -> {
                String table = field(body, "TableName");
                String resource;
                if (table != null) {
                    String index = field(body, "IndexName");
                    resource = tableArn(table) + (index == null ? "" : "/index/" + index);
                } else if (field(body, "ResourceArn") != null) {
                    resource = field(body, "ResourceArn");
                } else {
                    resource = "*";
                }
                out.add(new AccessRequest("dynamodb:" + op, resource));
            }
        }
        return out;
    }

    private static void transactPart(JsonNode item, String member, String action, List<AccessRequest> out) {
        JsonNode part = item.path(member);
        if (part.isObject()) {
            out.add(new AccessRequest("dynamodb:" + action, tableArn(part.path("TableName").asText(""))));
        }
    }

    private static AccessRequest partiQl(String statement) {
        String s = statement == null ? "" : statement;
        Matcher update = PARTIQL_UPDATE.matcher(s);
        if (update.find()) {
            return new AccessRequest("dynamodb:PartiQLUpdate", tableArn(first(update.group(2), update.group(3))));
        }
        Matcher m = PARTIQL.matcher(s);
        if (m.find()) {
            String verb = m.group(1).toUpperCase(Locale.ROOT);
            String action = switch (verb) {
                case "INSERT" -> "PartiQLInsert";
                case "DELETE" -> "PartiQLDelete";
                default -> "PartiQLSelect";
            };
            String table = first(m.group(3), m.group(4));
            int dot = table.indexOf('.'); // "T"."index"
            return new AccessRequest("dynamodb:" + action, tableArn(dot > 0 && m.group(3) == null ? table.substring(0, dot) : table));
        }
        return new AccessRequest("dynamodb:PartiQLSelect", "*");
    }

    private static List<AccessRequest> streams(String op, JsonNode body) {
        String stream = switch (op) {
            case "GetRecords" -> {
                String iterator = field(body, "ShardIterator");
                int bar = iterator == null ? -1 : iterator.indexOf('|');
                yield bar > 0 ? iterator.substring(0, bar) : "*";
            }
            case "ListStreams" -> "*";
            default -> field(body, "StreamArn") == null ? "*" : field(body, "StreamArn");
        };
        return List.of(new AccessRequest("dynamodb:" + op, stream));
    }

    static String tableArn(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn : "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + nameOrArn;
    }

    // ------------------------------------------------------------------ SQS

    private static List<AccessRequest> sqs(String op, String queueUrl, String queueName, String owner) {
        String action = switch (op) {
            case "SendMessageBatch" -> "SendMessage";
            case "DeleteMessageBatch" -> "DeleteMessage";
            case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
            default -> op;
        };
        String resource;
        if (queueUrl != null && !queueUrl.isBlank()) {
            resource = queueArn(queueUrl);
        } else if (queueName != null && !queueName.isBlank()) {
            resource = "arn:aws:sqs:" + REGION + ":" + (owner == null || owner.isBlank() ? ACCOUNT : owner) + ":" + queueName;
        } else {
            resource = "*";
        }
        return List.of(new AccessRequest("sqs:" + action, resource));
    }

    /** arn:aws:sqs:REGION:ACCOUNT:NAME for a queue URL http(s)://host/ACCOUNT/NAME. */
    static String queueArn(String url) {
        String path;
        try {
            path = URI.create(url.trim()).getPath();
        } catch (IllegalArgumentException e) {
            path = url;
        }
        String[] parts = path == null ? new String[0] : path.split("/");
        List<String> segments = new ArrayList<>();
        for (String p : parts) {
            if (!p.isEmpty()) {
                segments.add(p);
            }
        }
        String name = segments.isEmpty() ? url : segments.get(segments.size() - 1);
        String account = segments.size() >= 2 ? segments.get(segments.size() - 2) : ACCOUNT;
        return "arn:aws:sqs:" + REGION + ":" + account + ":" + name;
    }

    private static String queueUrlFromPath(String rawPath) {
        String[] seg = rawPath.split("/");
        return seg.length >= 3 && seg[1].matches("\\d{12}") ? "http://local" + rawPath : null;
    }

    // ------------------------------------------------------------------ Secrets Manager, Lambda, Logs, CloudWatch, STS

    private List<AccessRequest> secrets(String op, JsonNode body) {
        if (op.equals("BatchGetSecretValue")) {
            List<AccessRequest> out = new ArrayList<>();
            out.add(new AccessRequest("secretsmanager:BatchGetSecretValue", "*"));
            body.path("SecretIdList").forEach(id -> out.add(secret("GetSecretValue", id.asText())));
            return out;
        }
        String id = field(body, "SecretId");
        if (id == null && op.equals("CreateSecret")) {
            id = field(body, "Name");
        }
        if (id == null) {
            return List.of(new AccessRequest("secretsmanager:" + op, "*"));
        }
        return List.of(secret(op, id));
    }

    private AccessRequest secret(String op, String id) {
        String arn;
        if (id.startsWith("arn:")) {
            arn = id;
        } else {
            String known = secretArns.apply(id);
            arn = known != null ? known : "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + id;
        }
        return new AccessRequest("secretsmanager:" + op, arn, new RequestContext().with("secretsmanager:SecretId", arn));
    }

    private static MappedRequest lambda(AwsRequest request) {
        String rest = request.rawPath().substring(LAMBDA_PREFIX.length());
        String method = request.method();
        if (rest.isEmpty() || rest.equals("/")) {
            return method.equals("GET")
                    ? new MappedRequest("lambda", "ListFunctions", Protocol.REST_JSON,
                    List.of(new AccessRequest("lambda:ListFunctions", "*")), true)
                    : MappedRequest.notEvaluated("lambda", method + " " + request.rawPath(), Protocol.REST_JSON);
        }
        String[] parts = rest.substring(1).split("/");
        String function = URLDecoder.decode(parts[0].replace("+", "%2B"), StandardCharsets.UTF_8);
        String qualifier = query(request.rawQuery(), "Qualifier");
        if (parts.length == 2 && parts[1].equals("invocations") && method.equals("POST")) {
            return new MappedRequest("lambda", "Invoke", Protocol.REST_JSON,
                    List.of(new AccessRequest("lambda:InvokeFunction", functionArn(function, qualifier))), true);
        }
        if (method.equals("GET") && parts.length == 1) {
            return new MappedRequest("lambda", "GetFunction", Protocol.REST_JSON,
                    List.of(new AccessRequest("lambda:GetFunction", functionArn(function, qualifier))), true);
        }
        if (method.equals("GET") && parts.length == 2 && parts[1].equals("configuration")) {
            return new MappedRequest("lambda", "GetFunctionConfiguration", Protocol.REST_JSON,
                    List.of(new AccessRequest("lambda:GetFunctionConfiguration", functionArn(function, qualifier))), true);
        }
        return MappedRequest.notEvaluated("lambda", method + " " + request.rawPath(), Protocol.REST_JSON);
    }

    /** The function ARN a name, partial ARN or ARN (with an optional :qualifier, or a Qualifier parameter) stands for. */
    static String functionArn(String nameOrArn, String qualifierParameter) {
        String s = nameOrArn;
        int i = s.indexOf("function:");
        if (i >= 0) {
            s = s.substring(i + "function:".length());
        }
        String qualifier = qualifierParameter;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            qualifier = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + s
                + (qualifier == null || qualifier.isEmpty() ? "" : ":" + qualifier);
    }

    private static List<AccessRequest> logs(String op, JsonNode body) {
        String group = field(body, "logGroupName");
        if (group == null) {
            String identifier = field(body, "logGroupIdentifier");
            if (identifier != null && identifier.startsWith("arn:")) {
                return List.of(new AccessRequest("logs:" + op, identifier.endsWith(":*") ? identifier : identifier + ":*"));
            }
            group = identifier;
        }
        if (group == null) {
            return List.of(new AccessRequest("logs:" + op, "*"));
        }
        String base = "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + group;
        String stream = field(body, "logStreamName");
        boolean streamLevel = stream != null && (op.equals("PutLogEvents") || op.equals("GetLogEvents"));
        return List.of(new AccessRequest("logs:" + op, streamLevel ? base + ":log-stream:" + stream : base + ":*"));
    }

    private static List<AccessRequest> cloudWatch(String op, String namespace, String alarmName) {
        String resource = alarmName == null ? "*" : "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + alarmName;
        return List.of(new AccessRequest("cloudwatch:" + op, resource,
                new RequestContext().with("cloudwatch:namespace", namespace)));
    }

    private static List<AccessRequest> sts(String op) {
        return op.equals("GetCallerIdentity") ? List.of() : List.of(new AccessRequest("sts:" + op, "*"));
    }

    // ------------------------------------------------------------------ helpers

    /** The IAM service prefix of a SigV4 signing name (monitoring is cloudwatch's). */
    static String prefixOf(String scopeService) {
        if (scopeService == null || scopeService.isBlank()) {
            return "unknown";
        }
        return switch (scopeService) {
            case "monitoring" -> "cloudwatch";
            case "email" -> "ses";
            default -> scopeService;
        };
    }

    private static JsonNode json(AwsRequest request) {
        if (request.body().length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = JSON.readTree(request.body());
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String field(JsonNode node, String name) {
        JsonNode v = node.path(name);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static Map<String, String> form(AwsRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        parsePairs(request.rawQuery(), out);
        String type = request.header("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            parsePairs(request.bodyText(), out);
        }
        return out;
    }

    private static void parsePairs(String text, Map<String, String> out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed pair: the service will say so
            }
        }
    }

    private static String query(String rawQuery, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        parsePairs(rawQuery, out);
        return out.get(name);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
