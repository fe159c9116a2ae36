package io.pushcqrs.model.mapping;

import io.pushcqrs.model.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

/**
 * The ordering guard of every projected write, as a DynamoDB condition expression (docs/architecture.md, "A key's
 * lifetimes"): a put carrying stream sequence number S (padded) and command version V is admitted only when the key
 * holds nothing, a view with a lower {@code source_seq}, or a view without one (a rebuild's) with a lower or no
 * {@code source_version}:
 * <pre>
 * attribute_not_exists(user_id) OR source_seq &lt; :seq
 *   OR (attribute_not_exists(source_seq) AND (attribute_not_exists(source_version) OR source_version &lt; :version))
 * </pre>
 * and, for a change without a version, {@code attribute_not_exists(user_id) OR source_seq < :seq OR
 * attribute_not_exists(source_seq)}. The stream processor's writes and the operators' replay of the on-failure queue
 * use this one definition.
 *
 * @param expression the condition expression
 * @param names      its attribute names
 * @param values     its values
 */
public record GuardCondition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    public static final String VERSIONED = "attribute_not_exists(#user) OR #seq < :seq"
            + " OR (attribute_not_exists(#seq) AND (attribute_not_exists(#version) OR #version < :version))";
    public static final String VERSIONLESS = "attribute_not_exists(#user) OR #seq < :seq"
            + " OR attribute_not_exists(#seq)";

    /** The condition of a write from the record with padded sequence number {@code seq} and version (null: none). */
    public static GuardCondition of(String paddedSeq, Long version) {
        Map<String, String> names = new HashMap<>();
        names.put("#user", Attr.USER_ID);
        names.put("#seq", Attr.SOURCE_SEQ);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seq", AttributeValue.fromS(paddedSeq));
        if (version == null) {
            return new GuardCondition(VERSIONLESS, names, values);
        }
        names.put("#version", Attr.SOURCE_VERSION);
        values.put(":version", AttributeValue.fromN(version.toString()));
        return new GuardCondition(VERSIONED, names, values);
    }
}
