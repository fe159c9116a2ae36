package io.pushcqrs.local.iam;

import io.pushcqrs.local.esm.EsmSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What an event source mapping on a DynamoDB stream needs of its function's role, checked as Lambda checks it when
 * the mapping is created: the stream read ({@code dynamodb:DescribeStream}, {@code dynamodb:GetShardIterator},
 * {@code dynamodb:GetRecords} on the stream; AWS refuses the mapping with "Cannot access stream ...") and, with an
 * on-failure SQS destination, {@code sqs:SendMessage} on the queue ("The provided execution role does not have
 * permissions to call SendMessage on SQS"). {@code dynamodb:ListStreams}, which AWS's message also names, is not
 * checked: the poller does not call it.
 */
public final class MappingAccess {
    private MappingAccess() {
    }

    /** The authorizations the mapping needs, stream first. */
    public static List<AccessRequest> required(EsmSpec spec) {
        List<AccessRequest> out = new ArrayList<>();
        for (String action : List.of("dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords")) {
            out.add(new AccessRequest(action, spec.streamArn()));
        }
        if (spec.onFailureArn() != null && !spec.onFailureArn().isBlank()) {
            out.add(new AccessRequest("sqs:SendMessage", spec.onFailureArn()));
        }
        return out;
    }

    /** Null when the role may do all the mapping needs; else AWS's refusal, with IAM's reason. */
    public static String problem(Authorizer authorizer, Session session, EsmSpec spec) {
        for (AccessRequest a : required(spec)) {
            Decision d = authorizer.decide(session, a);
            if (!d.allowed()) {
                String reason = DenialAnswers.message(session.principalArn(), a, d);
                return a.action().startsWith("dynamodb:")
                        ? "Cannot access stream " + spec.streamArn() + ". Please ensure the role can perform the GetRecords,"
                        + " GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM. (" + reason + ")"
                        : "The provided execution role does not have permissions to call SendMessage on SQS (" + reason + ")";
            }
        }
        return null;
    }
}
