package io.pushcqrs.local.iam;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary credentials the stack hands out, by access key id: one session per function (Lambda's: the function's
 * role, named after the function) and one per event source mapping (the function's role, used by the stream poller).
 * Keys look like AWS's temporary ones ({@code ASIA} and 16 characters) and are new on every start.
 */
public final class Sessions {
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byKey = new ConcurrentHashMap<>();

    /** A new session of the role (roleArn as the function names it; role null when not in the template). */
    public Session open(Role role, String roleArn, String sessionName, String owner, boolean mapping) {
        Session s = new Session("ASIA" + random(KEY_ALPHABET, 16), random(SECRET_ALPHABET, 40),
                "IQoJb3JpZ2luX2VjE" + random(SECRET_ALPHABET, 300), role, roleArn, sessionName, owner, mapping);
        byKey.put(s.accessKeyId(), s);
        return s;
    }

    /**
     * A session issued before (by the stack's previous deployment) with the role as this deployment reads it: the same
     * credentials stay valid, as a running function's do on AWS when its stack is updated.
     */
    public Session keep(Session previous, Role role, String roleArn) {
        Session s = new Session(previous.accessKeyId(), previous.secretAccessKey(), previous.sessionToken(), role, roleArn,
                previous.sessionName(), previous.owner(), previous.mapping());
        byKey.put(s.accessKeyId(), s);
        return s;
    }

    /** The session of an access key id, or null when the stack did not issue it. */
    public Session byAccessKey(String accessKeyId) {
        return accessKeyId == null ? null : byKey.get(accessKeyId);
    }

    public Collection<Session> all() {
        return List.copyOf(byKey.values());
    }

    private String random(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
