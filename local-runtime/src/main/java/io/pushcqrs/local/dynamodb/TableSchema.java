package io.pushcqrs.local.dynamodb;

import java.util.List;
import java.util.Map;

/**
 * What the input rules need to know of a table: its key, the scalar types of its key attributes, its indexes.
 *
 * @param name      the table name
 * @param hashKey   the partition key attribute
 * @param rangeKey  the sort key attribute, or null
 * @param types     attribute name -> S, N or B, for every attribute a key of the table or an index uses
 * @param indexes   the GSIs and LSIs
 */
public record TableSchema(String name, String hashKey, String rangeKey, Map<String, String> types, List<Index> indexes) {
    public TableSchema {
        types = Map.copyOf(types);
        indexes = List.copyOf(indexes);
    }

    /** A secondary index: its name and key attributes (rangeKey may be null). */
    public record Index(String name, String hashKey, String rangeKey) {
    }

    /** The table's key attributes, partition key first. */
    public List<String> keys() {
        return rangeKey == null ? List.of(hashKey) : List.of(hashKey, rangeKey);
    }
}
