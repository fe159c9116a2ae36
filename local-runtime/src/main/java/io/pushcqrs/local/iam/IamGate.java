package io.pushcqrs.local.iam;

import io.pushcqrs.local.edge.LambdaApi;
import io.pushcqrs.local.edge.RequestGuard;

import java.util.List;
import java.util.Map;

/**
 * IAM on the edge: every request signed with credentials the stack gave a function (or an event source mapping) is
 * mapped to its IAM authorizations ({@link RequestMapper}) and decided ({@link Authorizer}) before moto or the Lambda
 * API sees it. enforce: the first denied authorization is answered as the service answers AccessDenied
 * ({@link DenialAnswers}); audit: it is recorded and the request goes through. A request with another access key (the
 * AWS CLI, scripts, tests) is not looked at.
 * <p>
 * STS GetCallerIdentity (which needs no permission) is answered here with the session's assumed-role identity, as STS
 * answers it. An event source mapping's session may call {@code sqs:GetQueueUrl} without a grant: the local poller looks the
 * on-failure queue's URL up before it sends; Lambda on AWS does not need that call.
 */
public final class IamGate implements RequestGuard {
    private final Sessions sessions;
    private final Authorizer authorizer;
    private final RequestMapper mapper;
    private final IamTrail trail;

    public IamGate(Sessions sessions, Authorizer authorizer, IamTrail trail) {
        this.sessions = sessions;
        this.authorizer = authorizer;
        this.mapper = new RequestMapper(authorizer.model().secretArns()::get);
        this.trail = trail;
    }

    @Override
    public boolean applies(String authorization, String rawQuery) {
        return sessions.byAccessKey(SigV4.accessKeyId(authorization, rawQuery)) != null;
    }

    @Override
    public LambdaApi.Answer check(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                                  byte[] body) {
        AwsRequest request = new AwsRequest(method, rawPath, rawQuery, headers, body);
        SigV4 credential = SigV4.of(request.header("Authorization"), rawQuery);
        Session session = credential == null ? null : sessions.byAccessKey(credential.accessKeyId());
        if (session == null) {
            return null;
        }
        MappedRequest mapped = mapper.map(request, credential.service());
        String token = request.header("X-Amz-Security-Token");
        if (token == null && rawQuery != null) {
            token = queryValue(rawQuery, "X-Amz-Security-Token");
        }
        if (!session.sessionToken().equals(token)) {
            trail.refused("function " + session.sessionName(), mapped.service() + ":" + mapped.operation(),
                    "the request carries the access key " + session.accessKeyId() + " without its session token:"
                            + " AWS answers that the security token is invalid");
            return trail.mode() == IamMode.ENFORCE ? DenialAnswers.invalidToken(mapped.protocol()) : null;
        }
        if (mapped.service().equals("sts") && mapped.operation().equals("GetCallerIdentity")) {
            return DenialAnswers.callerIdentity(mapped.protocol(), session); // who the caller is, as STS answers it
        }
        if (!mapped.evaluated()) {
            trail.notEvaluated(session, mapped);
            return null;
        }
        for (AccessRequest access : mapped.accesses()) {
            if (session.mapping() && access.action().equalsIgnoreCase("sqs:GetQueueUrl")) {
                continue;
            }
            Decision decision = authorizer.decide(session, access);
            if (!decision.allowed()) {
                String message = DenialAnswers.message(session.principalArn(), access, decision);
                trail.denied(session, access, message);
                return trail.mode() == IamMode.ENFORCE ? DenialAnswers.accessDenied(mapped.protocol(), message) : null;
            }
        }
        return null;
    }

    private static String queryValue(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
