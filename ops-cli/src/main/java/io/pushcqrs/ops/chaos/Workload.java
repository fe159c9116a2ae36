package io.pushcqrs.ops.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.api.ApiClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's share of the soak: its own transactions (so that no two workers race on one), a seeded sequence of
 * creates, status changes, duplicates, deletes and re-creates through the API, each answer checked against what the
 * API promises. 5xx and I/O failures are sent again (every command here is safe to send again: creates carry
 * transaction_id and created_at, deletes are idempotent, a status change that got through is seen in its 409).
 */
final class Workload {
    enum Op { CREATE, PATCH, DUPLICATE, DELETE, RECREATE }

    static final String[] PLATFORMS = {"IOS", "ANDROID", "WEBPUSH"};
    static final int MAX_RESENDS = 30;
    static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("is stale: .* is (\\d+)$");

    /** One transaction this worker owns. */
    static final class Tx {
        final String id;
        final String user;
        final long createdAt;
        final String body;
        long version;
        boolean patched;

        Tx(String id, String user, long createdAt, String body) {
            this.id = id;
            this.user = user;
            this.createdAt = createdAt;
            this.body = body;
        }
    }

    /** Counters shared by the workers. */
    static final class Counts {
        final Map<String, AtomicLong> ops = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        final AtomicLong resent = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

        void op(Op op) {
            ops.computeIfAbsent(op.name().toLowerCase(java.util.Locale.ROOT), k -> new AtomicLong()).incrementAndGet();
        }

        void answer(Op op, int status) {
            answers.computeIfAbsent(op.name().toLowerCase(java.util.Locale.ROOT) + " " + status, k -> new AtomicLong())
                    .incrementAndGet();
        }

        long total() {
            return ops.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    private final ApiClient api;
    private final String prefix;
    private final Random random;
    private final Counts counts;
    private final int users;
    private final long baseTime;
    private final List<Tx> live = new ArrayList<>();
    private final List<Tx> deleted = new ArrayList<>();
    private int next;

    Workload(ApiClient api, String prefix, long seed, Counts counts, int users, long baseTime) {
        this.api = api;
        this.prefix = prefix;
        this.random = new Random(seed);
        this.counts = counts;
        this.users = users;
        this.baseTime = baseTime;
    }

    void run(int commands) throws IOException, InterruptedException {
        for (int i = 0; i < commands; i++) {
            step(choose());
        }
    }

    Op choose() {
        double r = random.nextDouble();
        if (live.isEmpty() || r < 0.40) {
            return Op.CREATE;
        }
        if (r < 0.65) {
            return Op.PATCH;
        }
        if (r < 0.75) {
            return Op.DUPLICATE;
        }
        if (r < 0.88) {
            return Op.DELETE;
        }
        return deleted.isEmpty() ? Op.CREATE : Op.RECREATE;
    }

    private void step(Op op) throws IOException, InterruptedException {
        counts.op(op);
        switch (op) {
            case CREATE -> {
                int n = next++;
                String user = "chaos-user-" + random.nextInt(users);
                long createdAt = baseTime + n * 7L + random.nextInt(5);
                Tx tx = new Tx(prefix + "-" + n, user, createdAt, body(prefix + "-" + n, user, createdAt));
                create(op, tx);
            }
            case RECREATE -> {
                // the same key again (transaction_id and created_at): a REMOVE then an INSERT of one item in the stream
                Tx old = deleted.remove(random.nextInt(deleted.size()));
                create(op, new Tx(old.id, old.user, old.createdAt, old.body));
            }
            case DUPLICATE -> {
                Tx tx = pick();
                ApiClient.Answer a = send(op, () -> api.post("/commands", tx.body));
                // the same body again: the stored item back (201), or 409 once a status change made it another record
                expect(op, tx, a, tx.patched ? 409 : 201);
            }
            case PATCH -> {
                Tx tx = pick();
                String status = random.nextBoolean() ? "DELIVERED" : "FAILED";
                ObjectNode b = Json.MAPPER.createObjectNode().put("status", status).put("version", tx.version)
                        .put("created_at", tx.createdAt).put("retry_cnt", (int) tx.version);
                if (status.equals("FAILED")) {
                    b.put("error_msg", "chaos " + tx.version);
                }
                ApiClient.Answer a = send(op, () -> api.patch("/commands/" + tx.id, b.toString()));
                java.util.regex.Matcher stale = STALE.matcher(a.status() == 409 ? a.errorText() : "");
                if (stale.find() && Long.parseLong(stale.group(1)) == tx.version + 1) {
                    // a resend of a change that got through before its answer was lost: the store is one ahead
                    tx.version = tx.version + 1;
                    tx.patched = true;
                    counts.answer(op, 409);
                    return;
                }
                if (expect(op, tx, a, 200)) {
                    JsonNode v = a.json() == null ? null : a.json().at("/item/version");
                    tx.version = v != null && v.canConvertToLong() ? v.asLong() : tx.version + 1;
                    tx.patched = true;
                }
            }
            case DELETE -> {
                Tx tx = live.remove(random.nextInt(live.size()));
                ApiClient.Answer a = send(op, () -> api.delete("/commands/" + tx.id, Map.of("created_at",
                        Long.toString(tx.createdAt))));
                if (expect(op, tx, a, 200)) {
                    deleted.add(tx);
                }
            }
        }
    }

    private void create(Op op, Tx tx) throws IOException, InterruptedException {
        ApiClient.Answer a = send(op, () -> api.post("/commands", tx.body));
        if (expect(op, tx, a, 201)) {
            tx.version = 1;
            live.add(tx);
        }
    }

    private Tx pick() {
        return live.get(random.nextInt(live.size()));
    }

    private boolean expect(Op op, Tx tx, ApiClient.Answer a, int status) {
        counts.answer(op, a.status());
        if (a.status() == status) {
            return true;
        }
        counts.unexpected.add(op + " " + tx.id + ": expected " + status + ", got " + a.status() + " " + a.errorText());
        return false;
    }

    interface Call {
        ApiClient.Answer send() throws IOException, InterruptedException;
    }

    /** Sends until the answer is not a 5xx and no I/O failure (429s are resent by the client itself). */
    private ApiClient.Answer send(Op op, Call call) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt <= MAX_RESENDS; attempt++) {
            if (attempt > 0) {
                counts.resent.incrementAndGet();
                Thread.sleep(Math.min(2000, 50L << Math.min(attempt, 6)));
            }
            try {
                ApiClient.Answer a = call.send();
                counts.throttled.addAndGet(a.throttled());
                if (a.status() < 500 && a.status() != 429) {
                    return a;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException(op + ": still 5xx/429 after " + MAX_RESENDS + " resends");
    }

    private String body(String id, String user, long createdAt) {
        ObjectNode b = Json.MAPPER.createObjectNode()
                .put("transaction_id", id)
                .put("created_at", createdAt)
                .put("user_id", user)
                .put("platform", PLATFORMS[random.nextInt(PLATFORMS.length)])
                .put("device_token", "tok-" + Long.toHexString(random.nextLong()))
                .put("status", "SENT")
                .put("notification_title", "chaos \u00e9\u4e2d\ud83d\ude80 " + id);
        if (random.nextInt(4) == 0) {
            b.put("marketing_id", "chaos-campaign-" + random.nextInt(5));
        }
        return b.toString();
    }
}
