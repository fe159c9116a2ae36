package io.pushcqrs.awstest;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one SDK operation into the IAM permissions it needs, per resource. IAM authorizes the items of
 * a batch or a transaction one by one with the item's action: TransactWriteItems needs PutItem,
 * UpdateItem, DeleteItem or ConditionCheckItem on each item's table; TransactGetItems and BatchGetItem
 * need GetItem; BatchWriteItem PutItem or DeleteItem. A Query or Scan on an index needs its action on the
 * index's ARN ({@code table/T/index/I}). An SQS call is on the queue its URL names ({@code queue/Q}). Requests are read through the SDK's generic field model, so this
 * class needs no service module.
 */
public final class IamCalls {
    private IamCalls() {
    }

    /** The IAM action prefix of an SDK service name ("DynamoDb" -> "dynamodb"). */
    static String prefix(String serviceName) {
        String s = serviceName == null ? "unknown" : serviceName.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "dynamodbstreams" -> "dynamodb";
            default -> s;
        };
    }

    public static List<AwsCall> of(String serviceName, String operation, SdkRequest request) {
        String prefix = prefix(serviceName);
        List<AwsCall> calls = new ArrayList<>();
        switch (prefix) {
            case "dynamodb" -> dynamoDb(operation, request, calls);
            case "lambda" -> calls.add(new AwsCall("lambda:" + (operation.equals("Invoke") ? "InvokeFunction" : operation),
                    string(request, "FunctionName").map(n -> "function/" + functionName(n)).orElse("*")));
            case "secretsmanager" -> calls.add(new AwsCall("secretsmanager:" + operation,
                    string(request, "SecretId").map(n -> "secret/" + secretName(n)).orElse("*")));
            case "sqs" -> calls.add(new AwsCall("sqs:" + operation,
                    string(request, "QueueUrl").map(u -> "queue/" + u.substring(u.lastIndexOf('/') + 1)).orElse("*")));
            default -> calls.add(new AwsCall(prefix + ":" + operation, "*"));
        }
        return calls;
    }

    private static void dynamoDb(String operation, SdkRequest request, List<AwsCall> calls) {
        switch (operation) {
            case "TransactWriteItems" -> {
                for (Object item : list(request, "TransactItems")) {
                    transactPart(item, "Put", "PutItem", calls);
                    transactPart(item, "Update", "UpdateItem", calls);
                    transactPart(item, "Delete", "DeleteItem", calls);
                    transactPart(item, "ConditionCheck", "ConditionCheckItem", calls);
                }
            }
            case "TransactGetItems" -> {
                for (Object item : list(request, "TransactItems")) {
                    transactPart(item, "Get", "GetItem", calls);
                }
            }
            case "BatchWriteItem" -> {
                for (Map.Entry<?, ?> e : map(request, "RequestItems").entrySet()) {
                    for (Object write : (List<?>) e.getValue()) {
                        if (field(write, "PutRequest").isPresent()) {
                            calls.add(new AwsCall("dynamodb:PutItem", table(e.getKey().toString())));
                        }
                        if (field(write, "DeleteRequest").isPresent()) {
                            calls.add(new AwsCall("dynamodb:DeleteItem", table(e.getKey().toString())));
                        }
                    }
                }
            }
            case "BatchGetItem" -> {
                for (Object table : map(request, "RequestItems").keySet()) {
                    calls.add(new AwsCall("dynamodb:GetItem", table(table.toString())));
                }
            }
            default -> {
                Optional<String> table = string(request, "TableName");
                Optional<String> index = string(request, "IndexName");
                Optional<String> stream = string(request, "StreamArn");
                String resource = table.map(t -> table(t) + index.map(i -> "/index/" + i).orElse(""))
                        .orElse(stream.map(s -> "stream/" + s).orElse("*"));
                calls.add(new AwsCall("dynamodb:" + operation, resource));
            }
        }
    }

    private static void transactPart(Object item, String member, String action, List<AwsCall> calls) {
        field(item, member).ifPresent(part -> calls.add(new AwsCall("dynamodb:" + action,
                table(field(part, "TableName").map(Object::toString).orElse("*")))));
    }

    private static String table(String nameOrArn) {
        int at = nameOrArn.indexOf(":table/");
        String name = at < 0 ? nameOrArn : nameOrArn.substring(at + ":table/".length());
        int slash = name.indexOf('/');
        return "table/" + (slash < 0 ? name : name.substring(0, slash));
    }

    /** A function's name from a name, a partial ARN or an ARN, without its qualifier. */
    static String functionName(String id) {
        int at = id.indexOf("function:");
        String rest = at < 0 ? id : id.substring(at + "function:".length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** A secret's name from a name or an ARN (whose name ends with '-' and six random characters). */
    static String secretName(String id) {
        int at = id.indexOf(":secret:");
        if (at < 0) {
            return id;
        }
        String name = id.substring(at + ":secret:".length());
        return name.length() > 7 && name.charAt(name.length() - 7) == '-' ? name.substring(0, name.length() - 7) : name;
    }

    private static Optional<String> string(SdkRequest request, String member) {
        return request.getValueForField(member, Object.class).map(Object::toString);
    }

    private static List<?> list(SdkRequest request, String member) {
        return request.getValueForField(member, List.class).map(l -> (List<?>) l).orElse(List.of());
    }

    private static Map<?, ?> map(SdkRequest request, String member) {
        return request.getValueForField(member, Map.class).map(m -> (Map<?, ?>) m).orElse(Map.of());
    }

    /** A member of a nested model object, read through its SdkField list. */
    private static Optional<Object> field(Object pojo, String member) {
        if (!(pojo instanceof SdkPojo p)) {
            return Optional.empty();
        }
        for (SdkField<?> f : p.sdkFields()) {
            if (member.equals(f.memberName())) {
                return Optional.ofNullable(f.getValueOrDefault(pojo));
            }
        }
        return Optional.empty();
    }
}
