package io.pushcqrs.projection.app;

import io.pushcqrs.model.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The ordering guard of a projected write or delete: the change it comes from, as the view records it.
 * <p>
 * A write (or delete) from stream record S with command version V is admitted only when
 * <ul>
 *   <li>there is no view item at the key, or</li>
 *   <li>the view has {@code source_seq} and it is lower than S (sequence numbers order the changes of
 *       one item; padded to 40 digits, string order is numeric order), or</li>
 *   <li>the view has no {@code source_seq} (written by a rebuild or another tool) and either it has no
 *       {@code source_version} or that is lower than V.</li>
 * </ul>
 * When the change carries no version (items put straight into command-records by the AWS CLI or a batch
 * loader) the version comparison is dropped: such a change replaces any view without {@code source_seq}.
 * A versionless change cannot prove it is older than a versioned rebuild view, and refusing it would freeze
 * the view for good (later versionless changes would be refused too); admitting it is safe because every
 * newer change of the item follows it in the same shard with a higher S and is applied after it.
 * <p>
 * {@link #admits} states the rule in Java (used by the in-memory store of the tests); the DynamoDB adapter
 * states the same rule as a condition expression, and its tests check that both agree.
 *
 * @param sourceSeq     the stream sequence number zero-padded to 40 digits
 * @param sourceVersion the version of the change, or null when the change has none
 */
public record WriteGuard(String sourceSeq, Long sourceVersion) {

    public WriteGuard {
        if (sourceSeq == null || sourceSeq.isEmpty()) {
            throw new IllegalArgumentException("a guard needs the padded sequence number");
        }
    }

    /** True when a write guarded by this may replace (or delete) {@code current}; null or empty = no item. */
    public boolean admits(Map<String, AttributeValue> current) {
        if (current == null || current.isEmpty()) {
            return true;
        }
        AttributeValue seq = current.get(Attr.SOURCE_SEQ);
        if (seq != null) {
            // DynamoDB compares only values of the same type: a non-string source_seq is never lower.
            return seq.s() != null && seq.s().compareTo(sourceSeq) < 0;
        }
        if (sourceVersion == null) {
            return true;
        }
        AttributeValue version = current.get(Attr.SOURCE_VERSION);
        if (version == null) {
            return true;
        }
        return version.n() != null && new BigDecimal(version.n()).compareTo(BigDecimal.valueOf(sourceVersion)) < 0;
    }
}
