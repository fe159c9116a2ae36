package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an identity-based policy document (resolved: no intrinsic functions left) and refuses what IAM refuses with
 * MalformedPolicyDocument when the policy is created: a statement without Effect Allow/Deny, without exactly one of
 * Action/NotAction or of Resource/NotResource, with a Principal, or with a condition operator IAM does not know.
 */
public final class PolicyParser {
    private PolicyParser() {
    }

    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Policy parse(String name, String source, JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("the policy document is not a JSON object");
        }
        JsonNode statements = document.path("Statement");
        if (statements.isMissingNode() || statements.isNull()) {
            throw new IllegalArgumentException("the policy document has no Statement");
        }
        List<Statement> out = new ArrayList<>();
        if (statements.isArray()) {
            for (int i = 0; i < statements.size(); i++) {
                out.add(statement(statements.get(i), "Statement[" + i + "]"));
            }
        } else {
            out.add(statement(statements, "Statement"));
        }
        boolean variables = "2012-10-17".equals(document.path("Version").asText(""));
        return new Policy(name, source, variables, out);
    }

    private static Statement statement(JsonNode s, String where) {
        if (!s.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException(where + ".Effect must be Allow or Deny, got '" + effect + "'");
        }
        if (s.has("Principal") || s.has("NotPrincipal")) {
            throw new IllegalArgumentException(where + " has a Principal: an identity-based policy may not name one");
        }
        List<String> actions = strings(s.get("Action"), where + ".Action");
        List<String> notActions = strings(s.get("NotAction"), where + ".NotAction");
        if ((actions == null) == (notActions == null)) {
            throw new IllegalArgumentException(where + " needs exactly one of Action and NotAction");
        }
        List<String> resources = strings(s.get("Resource"), where + ".Resource");
        List<String> notResources = strings(s.get("NotResource"), where + ".NotResource");
        if ((resources == null) == (notResources == null)) {
            throw new IllegalArgumentException(where + " needs exactly one of Resource and NotResource");
        }
        JsonNode condition = s.get("Condition");
        if (condition != null && !condition.isNull()) {
            if (!condition.isObject()) {
                throw new IllegalArgumentException(where + ".Condition is not an object");
            }
            for (Map.Entry<String, JsonNode> op : condition.properties()) {
                if (!ConditionEvaluator.knows(op.getKey())) {
                    throw new IllegalArgumentException(where + ".Condition: " + op.getKey() + " is not a condition operator"
                            + " IAM knows");
                }
                if (!op.getValue().isObject()) {
                    throw new IllegalArgumentException(where + ".Condition." + op.getKey() + " must map keys to values");
                }
            }
        } else {
            condition = null;
        }
        String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : null;
        return new Statement(sid, effect.equals("Allow"), actions, notActions, resources, notResources, condition);
    }

    /** A string or a list of strings; null when absent. */
    static List<String> strings(JsonNode v, String where) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode()) {
                    throw new IllegalArgumentException(where + " holds a value that is not a string: " + e);
                }
                out.add(e.asText());
            }
        } else if (v.isValueNode()) {
            out.add(v.asText());
        } else {
            throw new IllegalArgumentException(where + " must be a string or a list of strings, got " + v);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty");
        }
        return out;
    }
}
