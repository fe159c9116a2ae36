package io.pushcqrs.local.iam;

import io.pushcqrs.local.apigw.InvokePermission;
import io.pushcqrs.local.edge.RequestGuard;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * IAM for one start of the stack ({@code --iam enforce|audit|off}):
 * <ul>
 *   <li>each function gets temporary credentials of its execution role ({@link #credentials}), as Lambda puts them in
 *       a function's environment; each event source mapping a session of its function's role
 *       ({@link #mappingSession});</li>
 *   <li>the edge checks every call made with them ({@link #guard()}), API Gateway asks before it invokes a function
 *       ({@link #invokePermission()}), and a mapping's needs are checked before its poller starts
 *       ({@link #checkMapping});</li>
 *   <li>what AWS would refuse when the stack is deployed (a function whose role Lambda cannot assume) stops an
 *       enforce start; a role that may not write the function's logs is a warning (AWS drops the logs silently);</li>
 *   <li>{@code iam.log} has every denial; audit lists them all when the stack stops ({@link #close()}).</li>
 * </ul>
 */
public final class StackIam implements AutoCloseable {
    private static final String[] LOG_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"};

    private final IamMode mode;
    private final IamModel model;
    private final Sessions sessions = new Sessions();
    private final Authorizer authorizer;
    private final IamTrail trail;
    private final IamGate gate;
    private final ApiGatewayPermissions apiGateway;
    private final Consumer<String> console;
    private final Map<String, Session> functionSessions = new LinkedHashMap<>();
    private final Map<String, Session> mappingSessions = new ConcurrentHashMap<>();
    private final Map<String, String> mappingProblems = new ConcurrentHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean closed;

    private StackIam(IamMode mode, IamModel model, Consumer<String> log, Consumer<String> console) {
        this.mode = mode;
        this.model = model;
        this.console = console;
        this.trail = new IamTrail(mode, log);
        this.authorizer = model == null ? null : new Authorizer(model);
        this.gate = model == null ? null : new IamGate(sessions, authorizer, trail);
        this.apiGateway = model == null ? null : new ApiGatewayPermissions(model, trail, mode);
    }

    /** IAM off: no credentials, no checks. */
    public static StackIam off() {
        return new StackIam(IamMode.OFF, null, line -> {
        }, line -> {
        });
    }

    /**
     * Reads the template's roles, policies and permissions (after the stack's resources exist, so ARNs are final)
     * and opens a session per function.
     *
     * @param log     iam.log
     * @param console where the audit list is printed when the stack stops
     * @throws TemplateException when a policy is malformed, or (enforce) AWS would refuse the stack
     */
    public static StackIam start(IamMode mode, Template template, Intrinsics in, List<FunctionSpec> functions,
                                 Consumer<String> log, Consumer<String> console) {
        return start(mode, template, in, functions, log, console, null);
    }

    /**
     * The same, for a deployment that updates a stack: a function (or event source mapping) whose role is unchanged
     * keeps the session the previous deployment gave it ({@code previous}, null for none), so its running
     * environments' credentials stay valid and checked, as on AWS.
     */
    public static StackIam start(IamMode mode, Template template, Intrinsics in, List<FunctionSpec> functions,
                                 Consumer<String> log, Consumer<String> console, StackIam previous) {
        if (mode == IamMode.OFF) {
            return off();
        }
        IamModel model;
        try {
            model = IamLoader.load(template, in, functions);
        } catch (TemplateException e) {
            throw new TemplateException("IAM: " + e.getMessage() + " (the local stack reads every role, policy and Lambda"
                    + " permission to enforce IAM; --iam off starts without IAM)", e);
        }
        StackIam iam = new StackIam(mode, model, log, console);
        if (!model.refusals().isEmpty()) {
            if (mode == IamMode.ENFORCE) {
                throw new TemplateException("IAM: AWS would refuse this stack: " + String.join("; ", model.refusals())
                        + ". Fix the template, or start with --iam audit (or --iam off)");
            }
            model.refusals().forEach(r -> iam.trail.refused("the deployment", "create", r));
        }
        iam.warnings.addAll(model.warnings());
        for (FunctionSpec f : functions) {
            String roleArn = model.functionRoles().getOrDefault(f.name(),
                    "arn:aws:iam::" + Intrinsics.ACCOUNT_ID + ":role/no-role-in-template");
            Session before = previous == null ? null : previous.functionSessions.get(f.name());
            Session s = before != null && before.roleArn().equals(roleArn)
                    ? iam.sessions.keep(before, model.roleOf(f.name()), roleArn)
                    : iam.sessions.open(model.roleOf(f.name()), roleArn, f.name(), f.name(), false);
            iam.functionSessions.put(f.name(), s);
            iam.checkLogDelivery(f.name(), s);
        }
        if (previous != null) {
            previous.mappingSessions.forEach((uuid, before) -> {
                String roleArn = model.functionRoles().get(before.sessionName());
                if (before.roleArn().equals(roleArn)) {
                    iam.mappingSessions.put(uuid, iam.sessions.keep(before, model.roleOf(before.sessionName()), roleArn));
                }
            });
        }
        log.accept("IAM " + iam.describe());
        iam.warnings.forEach(w -> log.accept("WARNING " + w));
        return iam;
    }

    private void checkLogDelivery(String function, Session s) {
        String group = model.logGroups().getOrDefault(function, "/aws/lambda/" + function);
        String base = "arn:aws:logs:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT_ID + ":log-group:" + group;
        for (String action : LOG_ACTIONS) {
            String resource = action.equals("logs:PutLogEvents") ? base + ":log-stream:local" : base + ":*";
            if (!authorizer.decide(s, new AccessRequest(action, resource)).allowed()) {
                warnings.add("function " + function + ": its role may not " + action + " on the log group " + group
                        + ", so on AWS its logs would not reach CloudWatch Logs (locally " + function + ".log is written"
                        + " all the same)");
                return;
            }
        }
    }

    public IamMode mode() {
        return mode;
    }

    /** The model, or null when IAM is off. */
    public IamModel model() {
        return model;
    }

    /**
     * The variables Lambda puts in a function's environment for its role: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
     * AWS_SESSION_TOKEN. Empty when IAM is off (the stack's dummy credentials apply).
     */
    public Map<String, String> credentials(String function) {
        Session s = functionSessions.get(function);
        if (s == null) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ACCESS_KEY_ID", s.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", s.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", s.sessionToken());
        return env;
    }

    /** The session an event source mapping reads its stream and sends to its destination with; null when off. */
    public Session mappingSession(EsmSpec spec) {
        if (model == null) {
            return null;
        }
        return mappingSessions.computeIfAbsent(spec.uuid(), id -> sessions.open(model.roleOf(spec.functionName()),
                model.functionRoles().getOrDefault(spec.functionName(), "arn:aws:iam::" + Intrinsics.ACCOUNT_ID
                        + ":role/no-role-in-template"), spec.functionName(), spec.uuid(), true));
    }

    /**
     * Checks what the mapping needs of its function's role, as Lambda does when it creates a mapping. Returns null
     * when all is allowed (or IAM is off); else AWS's refusal, which is recorded (iam.log, the mapping's health).
     */
    public String checkMapping(EsmSpec spec) {
        if (model == null) {
            return null;
        }
        String problem = MappingAccess.problem(authorizer, mappingSession(spec), spec);
        if (problem != null) {
            mappingProblems.put(spec.uuid(), problem);
            trail.refused("event source mapping " + spec.uuid() + " of " + spec.functionName(), "CreateEventSourceMapping",
                    problem);
        }
        return problem;
    }

    /** The edge's IAM check; null when IAM is off. */
    public RequestGuard guard() {
        return gate;
    }

    /** API Gateway's invoke check (every invocation allowed when IAM is off). */
    public InvokePermission invokePermission() {
        return apiGateway == null ? InvokePermission.ALLOW_ALL : apiGateway;
    }

    /** What IAM evaluates, in one line. */
    public String describe() {
        if (model == null) {
            return "off: no policy or permission is checked (--iam enforce checks them)";
        }
        int policies = model.roles().values().stream().mapToInt(r -> r.policies().size()).sum();
        int permissions = model.permissions().values().stream().mapToInt(List::size).sum();
        return mode.label() + ": " + model.roles().size() + " role(s) with " + policies + " polic" + (policies == 1 ? "y" : "ies")
                + " for " + functionSessions.size() + " function(s), " + permissions + " Lambda permission(s)"
                + (mode == IamMode.ENFORCE ? "; calls AWS would deny are denied" : "; calls AWS would deny are logged")
                + " (iam.log)";
    }

    /** What IAM accepts and does not evaluate, one sentence each. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The "iam" object of the health answer. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("mode", mode.label());
        if (model != null) {
            h.put("roles", model.roles().size());
            h.put("denied", trail.denials());
            h.put("denials", trail.distinct());
        }
        return h;
    }

    /**
     * IAM's part of a mapping's health: when its role lacks what it needs, {@code state} Disabled with the reason
     * (the poller was not started), or {@code lastProcessingResult} PROBLEM with the last call IAM denied it.
     */
    public Map<String, Object> mappingHealth(String uuid) {
        Map<String, Object> h = new LinkedHashMap<>();
        String problem = mappingProblems.get(uuid);
        if (problem != null && mode == IamMode.ENFORCE) {
            h.put("state", "Disabled");
            h.put("stateTransitionReason", "not started: AWS refuses to create this mapping with its function's role");
            h.put("lastProcessingResult", "PROBLEM: " + problem);
            return h;
        }
        String denied = trail.lastDenialOf(uuid);
        if (denied != null) {
            h.put("lastProcessingResult", "PROBLEM: " + denied);
        } else if (problem != null) {
            h.put("lastProcessingResult", "PROBLEM (AWS would refuse it): " + problem);
        }
        return h;
    }

    /** Prints the audit list (audit mode) to the console and iam.log. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mode == IamMode.AUDIT) {
            String summary = trail.summary();
            console.accept(summary);
            for (String line : summary.split("\\R")) {
                trail.note(line);
            }
        }
    }
}
