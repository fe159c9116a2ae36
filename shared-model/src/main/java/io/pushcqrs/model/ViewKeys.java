package io.pushcqrs.model;

/** Derives the read model's sort keys: zero-padded times so that string order is time order. */
public final class ViewKeys {
    private ViewKeys() {
    }

    /** Width of a zero-padded epoch-millisecond time (covers every non-negative long up to 10^15). */
    public static final int TIME_WIDTH = 15;
    /**
     * The largest time the key format orders: 15 digits of epoch milliseconds (about the year 33658). A longer
     * number would pad to 16+ characters and sort among the wrong times, so query bounds are checked against it.
     */
    public static final long MAX_TIME = 999_999_999_999_999L;
    /** Width of a zero-padded stream sequence number (AWS: 21 to 40 digits). */
    public static final int SEQUENCE_WIDTH = 40;

    /** view_sk: zero-padded created_at + '#' + transaction_id, unique and time-ordered per user. */
    public static String viewSk(long createdAt, String transactionId) {
        return padTime(createdAt) + "#" + transactionId;
    }

    /** failure_sk: zero-padded failure time (failed_ts, else created_at) + '#' + transaction_id. */
    public static String failureSk(Notification n) {
        long when = n.failedTs() != null ? n.failedTs() : n.createdAt();
        return padTime(when) + "#" + n.transactionId();
    }

    /** The lowest view_sk at or after a time (for from/to ranges). */
    public static String viewSkLowerBound(long time) {
        return padTime(time) + "#";
    }

    /**
     * A bound above every view_sk of the time and below every view_sk of a later time: the padded time followed
     * by '$', the character right after the '#' separator. DynamoDB compares string keys as UTF-8 bytes, so a
     * bound made of '#' plus a "highest" character would sort below the keys whose transaction_id starts with a
     * character that encodes to higher bytes (U+FFFF is EF BF BF, a supplementary character starts with F0);
     * '$' decides at the separator itself, whatever follows it. Use as an inclusive upper bound
     * (no view_sk equals it: every view_sk has '#' at that position).
     */
    public static String viewSkUpperBound(long time) {
        return padTime(time) + "$";
    }

    public static String padTime(long epochMillis) {
        if (epochMillis < 0) {
            throw new IllegalArgumentException("time must not be negative: " + epochMillis);
        }
        return pad(Long.toString(epochMillis), TIME_WIDTH);
    }

    /** Left-pads a decimal stream sequence number so that string order is numeric order. */
    public static String padSequence(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit)
                || sequenceNumber.length() > SEQUENCE_WIDTH) {
            throw new IllegalArgumentException("not a stream sequence number: " + sequenceNumber);
        }
        return pad(sequenceNumber, SEQUENCE_WIDTH);
    }

    private static String pad(String digits, int width) {
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
