package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.edge.LambdaApi;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A denied request answered as the service answers it:
 * <ul>
 *   <li>awsJson services (DynamoDB, DynamoDB Streams, Secrets Manager, CloudWatch Logs): HTTP 400,
 *       {@code {"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: ... is not authorized to
 *       perform: ..."}};</li>
 *   <li>SQS's JSON protocol: HTTP 403, the same body and {@code x-amzn-query-error: AccessDenied;Sender} (the code the
 *       SDKs report);</li>
 *   <li>the query protocol: HTTP 403, an XML {@code ErrorResponse} with code AccessDenied;</li>
 *   <li>Lambda: HTTP 403, {@code x-amzn-ErrorType: AccessDeniedException}, {@code {"Message": ...}}.</li>
 * </ul>
 * The message is IAM's: {@code User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is not authorized to perform:
 * ACTION on resource: RESOURCE because no identity-based policy allows the ACTION action}, or {@code ... with an
 * explicit deny in an identity-based policy}. A key the stack issued used with the wrong session token is answered
 * as AWS answers an invalid token (UnrecognizedClientException / InvalidClientTokenId).
 */
public final class DenialAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DenialAnswers() {
    }

    /** IAM's AccessDenied message. */
    public static String message(String principalArn, AccessRequest request, Decision decision) {
        String base = "User: " + principalArn + " is not authorized to perform: " + request.action() + " on resource: "
                + request.resource();
        return decision.outcome() == Decision.Outcome.EXPLICIT_DENY
                ? base + " with an explicit deny in an identity-based policy"
                : base + " because no identity-based policy allows the " + request.action() + " action";
    }

    public static LambdaApi.Answer accessDenied(Protocol protocol, String message) {
        return switch (protocol) {
            case JSON -> json(400, "com.amazon.coral.service#AccessDeniedException", "Message", message, null);
            case SQS_JSON -> json(403, "com.amazon.coral.service#AccessDeniedException", "message", message, "AccessDenied;Sender");
            case QUERY -> xml(403, "AccessDenied", message);
            case REST_JSON -> rest(403, "AccessDeniedException", message);
        };
    }

    public static LambdaApi.Answer invalidToken(Protocol protocol) {
        String message = "The security token included in the request is invalid.";
        return switch (protocol) {
            case JSON -> json(400, "com.amazon.coral.service#UnrecognizedClientException", "message", message, null);
            case SQS_JSON -> json(403, "com.amazon.coral.service#UnrecognizedClientException", "message", message,
                    "InvalidClientTokenId;Sender");
            case QUERY -> xml(403, "InvalidClientTokenId", message);
            case REST_JSON -> rest(403, "UnrecognizedClientException", message);
        };
    }

    /** STS GetCallerIdentity for a role session: the assumed-role ARN, {@code RoleId:session}, the account. */
    public static LambdaApi.Answer callerIdentity(Protocol protocol, Session session) {
        String userId = (session.role() == null ? "AROA" : session.role().roleId()) + ":" + session.sessionName();
        if (protocol == Protocol.QUERY) {
            String requestId = UUID.randomUUID().toString();
            String body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    + "<Arn>" + escape(session.principalArn()) + "</Arn><UserId>" + escape(userId) + "</UserId><Account>"
                    + io.pushcqrs.local.template.Intrinsics.ACCOUNT_ID + "</Account></GetCallerIdentityResult><ResponseMetadata>"
                    + "<RequestId>" + requestId + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
            Map<String, String> headers = headers("text/xml");
            headers.put("x-amzn-RequestId", requestId);
            return new LambdaApi.Answer(200, headers, body.getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("UserId", userId);
        body.put("Account", io.pushcqrs.local.template.Intrinsics.ACCOUNT_ID);
        body.put("Arn", session.principalArn());
        return new LambdaApi.Answer(200, headers("application/x-amz-json-1.0"), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static LambdaApi.Answer json(int status, String type, String messageField, String message, String queryError) {
        ObjectNode body = JSON.createObjectNode();
        body.put("__type", type);
        body.put(messageField, message);
        Map<String, String> headers = headers("application/x-amz-json-1.0");
        if (queryError != null) {
            headers.put("x-amzn-query-error", queryError);
        }
        return new LambdaApi.Answer(status, headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static LambdaApi.Answer rest(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Message", message);
        Map<String, String> headers = headers("application/json");
        headers.put("x-amzn-ErrorType", type);
        return new LambdaApi.Answer(status, headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static LambdaApi.Answer xml(int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        String body = "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + escape(message) + "</Message><Detail/></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        Map<String, String> headers = headers("text/xml");
        headers.put("x-amzn-RequestId", requestId);
        return new LambdaApi.Answer(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> headers(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("x-amzn-RequestId", UUID.randomUUID().toString());
        return h;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
