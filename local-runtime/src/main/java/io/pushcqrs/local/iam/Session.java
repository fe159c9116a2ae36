package io.pushcqrs.local.iam;

import io.pushcqrs.local.template.Intrinsics;

import java.time.Instant;

/**
 * Temporary credentials of a role, as Lambda gives a function (the role's session named after the function), or as
 * an event source mapping uses its function's role. The edge knows a request's session by its access key id.
 *
 * @param accessKeyId     ASIA..., what the SigV4 Credential names
 * @param secretAccessKey the secret
 * @param sessionToken    X-Amz-Security-Token
 * @param role            the role (null when the function's role is not in the template)
 * @param roleArn         the role's ARN, as the function names it
 * @param sessionName     the function's name (what AWS names the session)
 * @param owner           who uses it: the function's name, or the mapping's id for an event source mapping
 * @param mapping         true for an event source mapping's session
 */
public record Session(String accessKeyId, String secretAccessKey, String sessionToken, Role role, String roleArn,
                      String sessionName, String owner, boolean mapping) {

    /** The role's name, from the ARN when the role is not in the template. */
    public String roleName() {
        if (role != null) {
            return role.name();
        }
        int slash = roleArn.lastIndexOf('/');
        return slash < 0 ? roleArn : roleArn.substring(slash + 1);
    }

    /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION: the principal AccessDenied messages name. */
    public String principalArn() {
        return "arn:" + Intrinsics.PARTITION + ":sts::" + Intrinsics.ACCOUNT_ID + ":assumed-role/" + roleName() + "/"
                + sessionName;
    }

    /** The global condition keys of a request made with this session, now. */
    public RequestContext context() {
        Instant now = Instant.now();
        RequestContext c = new RequestContext()
                .with("aws:PrincipalArn", roleArn)
                .with("aws:PrincipalAccount", Intrinsics.ACCOUNT_ID)
                .with("aws:PrincipalType", "AssumedRole")
                .with("aws:userid", (role == null ? "AROA" : role.roleId()) + ":" + sessionName)
                .with("aws:SecureTransport", "true")
                .with("aws:RequestedRegion", Intrinsics.REGION)
                .with("aws:CurrentTime", now.toString())
                .with("aws:EpochTime", Long.toString(now.getEpochSecond()))
                .with("aws:ViaAWSService", "false");
        if (role != null) {
            role.tags().forEach((k, v) -> c.with("aws:PrincipalTag/" + k, v));
        }
        return c;
    }
}
