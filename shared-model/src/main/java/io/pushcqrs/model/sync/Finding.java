package io.pushcqrs.model.sync;

import java.util.List;

/**
 * One example of a problem between the two tables.
 *
 * @param transactionId     the command's (or orphan view's) transaction_id
 * @param createdAt         its created_at, when known
 * @param userId            the user_id of the view (or of the command for a missing view)
 * @param viewSk            the view's sort key, when known
 * @param detail            what is wrong, in words
 * @param fields            stale: the attributes that differ
 * @param viewSourceVersion stale: the view's source_version
 * @param commandVersion    missing/stale: the command's version
 */
public record Finding(String transactionId, Long createdAt, String userId, String viewSk, String detail,
                      List<String> fields, Long viewSourceVersion, Long commandVersion) {
}
