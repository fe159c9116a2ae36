package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One statement of an IAM policy, as written: exactly one of {@code actions} / {@code notActions} and (in an identity
 * policy) exactly one of {@code resources} / {@code notResources} are non-null.
 *
 * @param sid          the Sid, or null
 * @param allow        Effect Allow (true) or Deny (false)
 * @param actions      Action entries, or null
 * @param notActions   NotAction entries, or null
 * @param resources    Resource entries, or null
 * @param notResources NotResource entries, or null
 * @param condition    the Condition block, or null
 */
public record Statement(String sid, boolean allow, List<String> actions, List<String> notActions, List<String> resources,
                        List<String> notResources, JsonNode condition) {
    public Statement {
        actions = actions == null ? null : List.copyOf(actions);
        notActions = notActions == null ? null : List.copyOf(notActions);
        resources = resources == null ? null : List.copyOf(resources);
        notResources = notResources == null ? null : List.copyOf(notResources);
    }
}
