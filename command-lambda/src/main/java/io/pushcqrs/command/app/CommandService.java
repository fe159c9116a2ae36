package io.pushcqrs.command.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.validation.Checks;
import io.pushcqrs.model.validation.Limits;
import io.pushcqrs.model.validation.NotificationValidator;
import io.pushcqrs.model.validation.PayloadCheck;
import io.pushcqrs.model.validation.ValidationException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The commands of the write model: create (idempotent), status change (optimistic on version)
 * and delete. Pure rules; the store is behind {@link CommandRepository}.
 * <ul>
 *   <li>create: transaction_id defaults to a random UUID, created_at to now, version is 1. A
 *       notification identical (all data fields but version and created_at) to a stored one with the
 *       same transaction_id (and the same created_at when the body gives one) is answered with the
 *       stored record, as if it had been written now; a different one is a 409. A create with a
 *       transaction_id and no created_at is idempotent on the transaction_id alone, also when two run at
 *       once: the first one writes the transaction_id's create claim with its item (one transaction), the
 *       other finds the claim taken and answers with the claimed item (docs/architecture.md, "Create claims").</li>
 *   <li>change status: the item is the one with the given created_at, else the only one of the
 *       transaction_id (several: 409 listing their created_at); its version must be the one the client
 *       sent (a missing version counts as 0); retry_cnt may not go down; DELIVERED without delivered_ts and
 *       FAILED without failed_ts get now.</li>
 *   <li>delete: one item (created_at given) or every item of the transaction_id, with its create claim;
 *       with a version, only if the item still has it. An item the mapper cannot read is deleted all the same.</li>
 *   <li>a stored item the mapper cannot read makes a PATCH or a create that meets it a 409 naming the field and
 *       the stored value.</li>
 * </ul>
 */
public class CommandService {
    /** How often a create that lost a race against a delete of the same key is tried again. */
    private static final int CREATE_ATTEMPTS = 3;
    /** How often a first create (claim + item) is tried when the claim or the key keeps changing under it. */
    private static final int CLAIM_ATTEMPTS = 5;

    private static final List<Map.Entry<String, Function<Notification, Object>>> DATA_FIELDS = List.of(
            Map.entry(Attr.TRANSACTION_ID, Notification::transactionId),
            Map.entry(Attr.USER_ID, Notification::userId),
            Map.entry(Attr.MARKETING_ID, Notification::marketingId),
            Map.entry(Attr.NOTIFICATION_TITLE, Notification::notificationTitle),
            Map.entry(Attr.NOTIFICATION_BODY, Notification::notificationBody),
            Map.entry(Attr.PLATFORM, Notification::platform),
            Map.entry(Attr.DEVICE_TOKEN, Notification::deviceToken),
            Map.entry(Attr.STATUS, Notification::status),
            Map.entry(Attr.ERROR_MSG, Notification::errorMsg),
            Map.entry(Attr.AP_ID, Notification::apId),
            Map.entry(Attr.SNS_ID, Notification::snsId),
            Map.entry(Attr.RETRY_CNT, Notification::retryCnt),
            Map.entry(Attr.SEND_TS, Notification::sendTs),
            Map.entry(Attr.DELIVERED_TS, Notification::deliveredTs),
            Map.entry(Attr.FAILED_TS, Notification::failedTs));

    /** Numbers are equal when their values are (1.0 equals 1: the store does not keep the scale). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private final CommandRepository repository;
    private final Clock clock;

    public CommandService(CommandRepository repository, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- create -------------------------------------------------------------------------------

    /** Creates a notification, or answers the stored one when the same notification was created before. */
    public CreateResult create(Notification input) {
        Notification n = normalize(input);
        NotificationValidator.validateNew(n);
        PayloadCheck.check(n.payload());

        boolean idGiven = n.transactionId() != null;
        boolean createdAtGiven = n.createdAt() != null;
        Notification candidate = n.toBuilder()
                .transactionId(idGiven ? n.transactionId() : UUID.randomUUID().toString())
                .createdAt(createdAtGiven ? n.createdAt() : clock.millis())
                .version(1L)
                .build();

        if (idGiven && !createdAtGiven) {
            return createFirst(candidate);
        }
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            if (repository.insert(candidate)) {
                return new CreateResult(candidate, false);
            }
            // The key exists (a retry, or a concurrent create): same content -> same answer.
            Optional<StoredItem> existing = repository.find(candidate.transactionId(), candidate.createdAt());
            if (existing.isPresent()) {
                return answerExisting(candidate, List.of(existing.get()));
            }
            // Deleted between our put and our read: try the put again.
        }
        throw new UnavailableException("the item " + candidate.transactionId() + "/" + candidate.createdAt()
                + " kept appearing and disappearing while it was created", null);
    }

    /**
     * A create idempotent on the transaction_id alone: any stored item of it answers; else the claim and the
     * item are written together, and a create that finds the claim taken answers with the item it points at.
     */
    private CreateResult createFirst(Notification candidate) {
        String tx = candidate.transactionId();
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            List<StoredItem> stored = repository.findAll(tx);
            if (!stored.isEmpty()) {
                return answerExisting(candidate, stored);
            }
            CommandRepository.ClaimOutcome outcome = repository.insertClaimed(candidate);
            if (outcome instanceof CommandRepository.Claimed) {
                return new CreateResult(candidate, false);
            }
            if (outcome instanceof CommandRepository.ClaimTaken taken) {
                Optional<StoredItem> claimed = repository.find(tx, taken.claimedCreatedAt());
                if (claimed.isPresent()) {
                    return answerExisting(candidate, List.of(claimed.get()));
                }
                // The claimed item was deleted and its claim left behind: release it, then try again.
                repository.releaseClaim(tx, taken.claimedCreatedAt());
            }
            // KeyTaken (an item with our created_at appeared) or Contended: look again.
        }
        throw new UnavailableException("the create claim of " + tx + " kept changing while it was created", null);
    }

    private CreateResult answerExisting(Notification candidate, List<StoredItem> stored) {
        List<Notification> readable = stored.stream().filter(StoredItem::readable).map(StoredItem::notification).toList();
        Optional<Notification> same = readable.stream()
                .filter(s -> differingFields(candidate, s).isEmpty())
                .max(Comparator.comparing(Notification::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (same.isPresent()) {
            return new CreateResult(same.get(), true);
        }
        Optional<StoredItem> unreadable = stored.stream().filter(s -> !s.readable()).findFirst();
        if (unreadable.isPresent()) {
            throw unreadable(unreadable.get());
        }
        Notification newest = newest(readable);
        throw new ApiException(ErrorCode.CONFLICT, "a notification with transaction_id '" + candidate.transactionId()
                + "' and created_at " + newest.createdAt() + " already exists with different content (differs in: "
                + String.join(", ", differingFields(candidate, newest)) + ")");
    }

    /** The names of the data fields (all but created_at and version) in which two notifications differ. */
    static List<String> differingFields(Notification a, Notification b) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, Function<Notification, Object>> f : DATA_FIELDS) {
            if (!Objects.equals(f.getValue().apply(a), f.getValue().apply(b))) {
                fields.add(f.getKey());
            }
        }
        if (!samePayload(a.payload(), b.payload())) {
            fields.add(Attr.PAYLOAD);
        }
        return fields;
    }

    private static boolean samePayload(JsonNode a, JsonNode b) {
        boolean aEmpty = isEmptyPayload(a);
        boolean bEmpty = isEmptyPayload(b);
        if (aEmpty || bEmpty) {
            return aEmpty && bEmpty;
        }
        return a.equals(SAME_VALUE, b);
    }

    /** Empty strings and empty or null payloads are what the store leaves out: treat them as absent. */
    private static Notification normalize(Notification n) {
        return n.toBuilder()
                .transactionId(emptyToNull(n.transactionId()))
                .userId(emptyToNull(n.userId()))
                .marketingId(emptyToNull(n.marketingId()))
                .notificationTitle(emptyToNull(n.notificationTitle()))
                .notificationBody(emptyToNull(n.notificationBody()))
                .deviceToken(emptyToNull(n.deviceToken()))
                .errorMsg(emptyToNull(n.errorMsg()))
                .apId(emptyToNull(n.apId()))
                .snsId(emptyToNull(n.snsId()))
                .payload(isEmptyPayload(n.payload()) ? null : n.payload())
                .build();
    }

    private static boolean isEmptyPayload(JsonNode payload) {
        return payload == null || payload.isNull() || payload.isMissingNode() || (payload.isObject() && payload.isEmpty());
    }

    // ---- change status ------------------------------------------------------------------------

    /**
     * Applies a status change to the item of this transaction_id: the one with the given created_at, else the
     * only one (several: 409 listing their created_at values).
     */
    public Notification changeStatus(String transactionId, StatusChange change) {
        Checks checks = checkPathId(transactionId)
                .required(Attr.STATUS, change.status())
                .required(Attr.VERSION, change.version())
                .version(Attr.VERSION, change.version())
                .range(Attr.RETRY_CNT, change.retryCnt(), 0, Limits.MAX_RETRY_CNT)
                .maxLength(Attr.ERROR_MSG, change.errorMsg(), Limits.MAX_ERROR_MSG)
                .id(Attr.AP_ID, emptyToNull(change.apId()))
                .id(Attr.SNS_ID, emptyToNull(change.snsId()))
                .epochMillis(Attr.SEND_TS, change.sendTs())
                .epochMillis(Attr.DELIVERED_TS, change.deliveredTs())
                .epochMillis(Attr.FAILED_TS, change.failedTs())
                .epochMillis(Attr.CREATED_AT, change.createdAt());
        checks.throwIfAny();

        StoredItem target = target(transactionId, change.createdAt());
        if (!target.readable()) {
            throw unreadable(target);
        }
        Notification current = target.notification();
        long currentVersion = versionOf(current);
        if (change.version() != currentVersion) {
            throw stale(transactionId, target, change.version());
        }
        if (change.retryCnt() != null && current.retryCnt() != null && change.retryCnt() < current.retryCnt()) {
            throw new ValidationException(Attr.RETRY_CNT, "must not be lower than the stored value "
                    + current.retryCnt() + " (was " + change.retryCnt() + ")");
        }
        CommandRepository.UpdateOutcome outcome =
                repository.update(transactionId, current.createdAt(), change.withDefaults(clock.millis()));
        if (outcome instanceof CommandRepository.Updated updated) {
            return updated.item();
        }
        if (outcome instanceof CommandRepository.Stale s) {
            throw stale(transactionId, s.current(), change.version());
        }
        throw notFound(transactionId, current.createdAt());
    }

    // ---- delete -------------------------------------------------------------------------------

    /**
     * Deletes the item with this created_at, or every item of the transaction_id; with an expected
     * version only if the item has it (several items then need created_at). The create claim of a deleted
     * item goes with it. Items the mapper cannot read are deleted by their key all the same. Returns how many
     * were deleted.
     */
    public int delete(String transactionId, Long createdAt, Long expectedVersion) {
        Checks checks = checkPathId(transactionId)
                .epochMillis(Attr.CREATED_AT, createdAt)
                .version(Attr.VERSION, expectedVersion);
        checks.throwIfAny();

        List<StoredItem> targets = createdAt != null
                ? List.of(repository.find(transactionId, createdAt).orElseThrow(() -> notFound(transactionId, createdAt)))
                : repository.findAll(transactionId);
        if (targets.isEmpty()) {
            throw notFound(transactionId, null);
        }
        if (expectedVersion != null) {
            if (targets.size() > 1) {
                throw new ValidationException(Attr.CREATED_AT, "is required with version: transaction_id '"
                        + transactionId + "' has " + targets.size() + " items");
            }
            StoredItem target = targets.get(0);
            if (target.versionUnreadable()) {
                throw unreadable(target);
            }
            if (versionOf(target) != expectedVersion) {
                throw stale(transactionId, target, expectedVersion);
            }
        }
        int deleted = 0;
        for (StoredItem t : targets) {
            CommandRepository.DeleteOutcome outcome = repository.delete(transactionId, t.createdAt(), expectedVersion);
            if (outcome instanceof CommandRepository.Deleted) {
                deleted++;
                repository.releaseClaim(transactionId, t.createdAt());
            } else if (outcome instanceof CommandRepository.Stale s) {
                throw stale(transactionId, s.current(), expectedVersion);
            }
            // Missing: deleted by someone else meanwhile; not counted.
        }
        if (deleted == 0) {
            throw notFound(transactionId, createdAt);
        }
        return deleted;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private StoredItem target(String transactionId, Long createdAt) {
        if (createdAt != null) {
            return repository.find(transactionId, createdAt).orElseThrow(() -> notFound(transactionId, createdAt));
        }
        List<StoredItem> all = repository.findAll(transactionId);
        if (all.isEmpty()) {
            throw notFound(transactionId, null);
        }
        if (all.size() > 1) {
            throw new ApiException(ErrorCode.CONFLICT, "transaction_id '" + transactionId + "' has " + all.size()
                    + " items (created_at " + all.stream().map(s -> Long.toString(s.createdAt()))
                    .collect(Collectors.joining(", ")) + "): send created_at to pick one");
        }
        return all.get(0);
    }

    private static Checks checkPathId(String transactionId) {
        return new Checks().required(Attr.TRANSACTION_ID, transactionId).id(Attr.TRANSACTION_ID, transactionId);
    }

    private static Notification newest(List<Notification> items) {
        return items.stream()
                .max(Comparator.comparing(Notification::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElseThrow();
    }

    /** The version of a stored item; items written by other tools carry none, which counts as 0. */
    static long versionOf(Notification n) {
        return n.version() == null ? 0L : n.version();
    }

    static long versionOf(StoredItem s) {
        return s.version() == null ? 0L : s.version();
    }

    private static ApiException stale(String transactionId, StoredItem current, long sent) {
        return new ApiException(ErrorCode.CONFLICT, "version " + sent + " is stale: the current version of transaction_id '"
                + transactionId + "' (created_at " + current.createdAt() + ") is " + versionOf(current));
    }

    /** 409: the stored item cannot be read; names the field and what is stored there. DELETE still removes it. */
    private static ApiException unreadable(StoredItem s) {
        String field = s.problem() == null ? "item" : s.problem().field();
        return new ApiException(ErrorCode.CONFLICT, "the stored item of transaction_id '" + s.transactionId()
                + "' and created_at " + s.createdAt() + " cannot be read: " + (s.problem() == null ? "unknown problem"
                : s.problem().getMessage()) + " (written by another tool? DELETE removes it)",
                List.of(new FieldError(field, s.problem() == null ? "cannot be read"
                        : s.problem().getMessage().substring(Math.min(s.problem().getMessage().length(), field.length() + 2)))));
    }

    private static ApiException notFound(String transactionId, Long createdAt) {
        return new ApiException(ErrorCode.NOT_FOUND, "no notification with transaction_id '" + transactionId + "'"
                + (createdAt == null ? "" : " and created_at " + createdAt));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
