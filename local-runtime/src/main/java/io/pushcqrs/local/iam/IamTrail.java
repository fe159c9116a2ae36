package io.pushcqrs.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What IAM decided that someone should know: one line per denied call (in {@code iam.log}, and on the console), a
 * line per kind of request the local stack cannot evaluate (once), and, for {@code --iam audit}, the list of what
 * AWS would deny, each distinct principal/action/resource with its count, printed when the stack stops.
 */
public final class IamTrail {
    private final IamMode mode;
    private final Consumer<String> log;
    private final AtomicLong denials = new AtomicLong();
    private final Map<String, Entry> distinct = new ConcurrentHashMap<>();
    private final Set<String> notEvaluated = ConcurrentHashMap.newKeySet();
    private final Map<String, String> lastDenialByOwner = new ConcurrentHashMap<>();

    /** One distinct denial: who, what, on what, how often, and the message. */
    private static final class Entry {
        final String who;
        final String action;
        final String resource;
        final String message;
        final AtomicLong count = new AtomicLong();

        Entry(String who, String action, String resource, String message) {
            this.who = who;
            this.action = action;
            this.resource = resource;
            this.message = message;
        }
    }

    public IamTrail(IamMode mode, Consumer<String> log) {
        this.mode = mode;
        this.log = log;
    }

    public IamMode mode() {
        return mode;
    }

    /** A call of a session that IAM denies (enforce: refused; audit: let through). */
    public void denied(Session s, AccessRequest access, String message) {
        String who = (s.mapping() ? "event source mapping " + s.owner() + " of " : "function ") + s.sessionName();
        record(who, access.action(), access.resource(), message);
        if (s.mapping()) {
            lastDenialByOwner.put(s.owner(), message);
        }
    }

    /** API Gateway may not invoke a function (no AWS::Lambda::Permission allows it). */
    public void invokeRefused(String function, String sourceArn, String reason) {
        record("API Gateway (" + sourceArn + ")", "lambda:InvokeFunction", function, reason);
    }

    /** Anything else AWS would refuse (an event source mapping it would not create...). */
    public void refused(String who, String what, String message) {
        record(who, what, "", message);
    }

    private void record(String who, String action, String resource, String message) {
        denials.incrementAndGet();
        String key = who + "|" + action + "|" + resource;
        Entry e = distinct.computeIfAbsent(key, k -> new Entry(who, action, resource, message));
        e.count.incrementAndGet();
        log.accept((mode == IamMode.AUDIT ? "WOULD DENY " : "DENIED ") + action + (resource.isEmpty() ? "" : " on " + resource)
                + " for " + who + ": " + message);
    }

    /** A request of a session the local stack cannot map to IAM actions: let through, said once per kind. */
    public void notEvaluated(Session s, MappedRequest m) {
        if (notEvaluated.add(s.sessionName() + "|" + m.service() + "|" + m.operation())) {
            log.accept("NOT EVALUATED " + m.service() + " " + m.operation() + " of " + s.sessionName()
                    + ": the local stack cannot tell which IAM action this request is; it is let through");
        }
    }

    public void note(String line) {
        log.accept(line);
    }

    public long denials() {
        return denials.get();
    }

    /** The last call IAM denied to an event source mapping's session, or null. */
    public String lastDenialOf(String mapping) {
        return lastDenialByOwner.get(mapping);
    }

    /** Each distinct denial: who, action, resource, count, message. */
    public List<Map<String, Object>> distinct() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : distinct.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("principal", e.who);
            m.put("action", e.action);
            m.put("resource", e.resource);
            m.put("count", e.count.get());
            m.put("message", e.message);
            out.add(m);
        }
        return out;
    }

    /** The audit's closing list (empty string when nothing would have been denied). */
    public String summary() {
        String nl = System.lineSeparator();
        if (distinct.isEmpty()) {
            return "IAM audit: AWS would have denied nothing." + nl;
        }
        StringBuilder s = new StringBuilder("IAM audit: AWS would have denied " + denials.get() + " call(s), "
                + distinct.size() + " distinct:" + nl);
        for (Entry e : distinct.values()) {
            s.append("  ").append(e.action).append(e.resource.isEmpty() ? "" : " on " + e.resource).append(" for ")
                    .append(e.who).append(" (x").append(e.count.get()).append("): ").append(e.message).append(nl);
        }
        return s.toString();
    }
}
