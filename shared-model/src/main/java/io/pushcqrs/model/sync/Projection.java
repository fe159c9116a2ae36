package io.pushcqrs.model.sync;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What the read model should hold for a command item, by the stream processor's rules: the view of
 * {@link NotificationMapper#fromCommandItem} as {@link NotificationMapper#toViewItem} writes it, without
 * {@code source_seq} (the bookkeeping of stream writes).
 */
public final class Projection {
    private Projection() {
    }

    /** A command item with the view it projects to. */
    public record Expected(Notification command, Map<String, AttributeValue> viewItem) {
        public Map<String, AttributeValue> viewKey() {
            return NotificationMapper.viewKey(command.userId(), command.createdAt(), command.transactionId());
        }
    }

    /** A command item that cannot be projected: its key (as far as readable) and why. */
    public static final class UnmappableException extends RuntimeException {
        public UnmappableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The view a command item projects to; {@link UnmappableException} when the mapper refuses it. */
    public static Expected of(Map<String, AttributeValue> commandItem) {
        try {
            Notification c = NotificationMapper.fromCommandItem(commandItem);
            return new Expected(c, NotificationMapper.toViewItem(NotificationView.of(c), null));
        } catch (MappingException | IllegalArgumentException e) {
            throw new UnmappableException(e.getMessage(), e);
        }
    }

    /** The command key text "transaction_id NUL created_at" of a raw command item, or null when unreadable. */
    public static String commandKey(Map<String, AttributeValue> commandItem) {
        AttributeValue tx = commandItem.get(Attr.TRANSACTION_ID);
        AttributeValue created = commandItem.get(Attr.CREATED_AT);
        if (tx == null || tx.s() == null || created == null || created.n() == null) {
            return null;
        }
        return commandKey(tx.s(), normalize(created.n()));
    }

    public static String commandKey(String transactionId, String createdAt) {
        return transactionId + '\u0000' + createdAt;
    }

    /** transaction_id of a raw item, or null. */
    public static String transactionId(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(Attr.TRANSACTION_ID);
        return v == null ? null : v.s();
    }

    /** created_at of a raw item when it is an integer, else null. */
    public static Long createdAt(Map<String, AttributeValue> item) {
        return integer(item.get(Attr.CREATED_AT));
    }

    /** A number attribute as a long when it is an integer that fits, else null (never throws). */
    public static Long integer(AttributeValue v) {
        if (v == null || v.n() == null) {
            return null;
        }
        try {
            return new BigDecimal(v.n()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A view's place as its key says: the command key it belongs to (transaction_id, created_at). */
    public record ViewRef(String userId, String viewSk, String transactionId, Long createdAt) {
        public String commandKey() {
            return transactionId == null ? null : Projection.commandKey(transactionId, Long.toString(createdAt));
        }
    }

    /**
     * Reads a view item's key: user_id, and view_sk = zero-padded created_at '#' transaction_id. When view_sk
     * cannot be split, transaction_id and created_at are null (the view belongs to no command).
     */
    public static ViewRef viewRef(Map<String, AttributeValue> viewItem) {
        AttributeValue user = viewItem.get(Attr.USER_ID);
        AttributeValue sk = viewItem.get(Attr.VIEW_SK);
        String userId = user == null ? null : user.s();
        String viewSk = sk == null ? null : sk.s();
        if (viewSk != null) {
            int hash = viewSk.indexOf('#');
            if (hash == ViewKeys.TIME_WIDTH && hash + 1 < viewSk.length()
                    && viewSk.substring(0, hash).chars().allMatch(Character::isDigit)) {
                return new ViewRef(userId, viewSk, viewSk.substring(hash + 1), Long.parseLong(viewSk.substring(0, hash)));
            }
        }
        return new ViewRef(userId, viewSk, null, null);
    }

    static String normalize(String number) {
        try {
            BigDecimal d = new BigDecimal(number.trim());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return number;
        }
    }
}
