package io.pushcqrs.local.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code --persist DIR} (docs/reliability.md, "Persistence"): moto 5.2.1 keeps everything in memory and has no
 * snapshot, but it has a request recorder ({@code MOTO_ENABLE_RECORDING}, {@code /moto-api/recorder/...}) that appends
 * every request it serves to a file, one JSON line each. A start with the file present replays its state-changing
 * requests, in their order, into the new moto before the template is deployed: tables, items, queues and messages,
 * secrets come back, and because moto numbers a shard's stream records by their count from a fixed start, the
 * replayed stream has the same sequence numbers as before, so the poller's checkpoint still points at the same record.
 */
public final class MotoRecording {
    public static final String FILE = "moto-recording.jsonl";
    /** Reads: they change nothing, so they are not replayed (X-Amz-Target operations and query-protocol Actions). */
    private static final String[] READ_PREFIXES = {"Get", "Describe", "List", "Query", "Scan", "BatchGet", "TransactGet",
            "Receive"};
    private static final Set<String> DROPPED_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "keep-alive", "upgrade", "te", "trailer", "proxy-authorization", "proxy-authenticate");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a replay did. */
    public record Replay(long replayed, long skippedReads, long unreadable, long refused, Duration took) {
        public String describe() {
            return replayed + " request(s) replayed (" + skippedReads + " reads skipped, " + refused + " answered an error as"
                    + " before or not, " + unreadable + " unreadable line(s) skipped) in " + took.toMillis() / 1000.0 + " s";
        }
    }

    private MotoRecording() {
    }

    /** The recording file of a persistence folder. */
    public static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    /** The environment that makes moto record into the folder. */
    public static Map<String, String> motoEnvironment(Path dir) {
        return Map.of("MOTO_ENABLE_RECORDING", "True", "MOTO_RECORDER_FILEPATH", file(dir).toString());
    }

    /**
     * Replays the folder's recording into moto (recording stopped meanwhile, so the replay is not recorded twice);
     * nothing to do when there is none.
     */
    public static Replay replay(Path dir, URI moto, Consumer<String> progress) throws IOException, InterruptedException {
        Path file = file(dir);
        long start = System.nanoTime();
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return new Replay(0, 0, 0, 0, Duration.ZERO);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        post(http, moto, "/moto-api/recorder/stop-recording");
        long replayed = 0, reads = 0, unreadable = 0, refused = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry;
                try {
                    entry = JSON.readTree(line);
                } catch (IOException e) {
                    unreadable++; // a line cut by a hard kill
                    continue;
                }
                URI url;
                try {
                    url = URI.create(entry.path("url").asText());
                } catch (IllegalArgumentException e) {
                    unreadable++;
                    continue;
                }
                String method = entry.path("method").asText("POST");
                byte[] body = body(entry);
                if (url.getRawPath() != null && url.getRawPath().startsWith("/moto-api/")) {
                    continue;
                }
                if (isRead(method, entry.path("headers"), body)) {
                    reads++;
                    continue;
                }
                String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
                HttpRequest.Builder b = HttpRequest.newBuilder(moto.resolve(target)).timeout(Duration.ofSeconds(60))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                Iterator<Map.Entry<String, JsonNode>> headers = entry.path("headers").properties().iterator();
                while (headers.hasNext()) {
                    Map.Entry<String, JsonNode> h = headers.next();
                    if (!DROPPED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                        try {
                            b.header(h.getKey(), h.getValue().asText());
                        } catch (IllegalArgumentException restricted) {
                            // a header the JDK client sets itself
                        }
                    }
                }
                HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
                replayed++;
                if (r.statusCode() >= 400) {
                    refused++;
                }
                if (replayed % 5000 == 0) {
                    progress.accept("  ... " + replayed + " requests replayed");
                }
            }
        } finally {
            post(http, moto, "/moto-api/recorder/start-recording");
        }
        return new Replay(replayed, reads, unreadable, refused, Duration.ofNanos(System.nanoTime() - start));
    }

    static boolean isRead(String method, JsonNode headers, byte[] body) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        String op = null;
        Iterator<Map.Entry<String, JsonNode>> it = headers.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase("X-Amz-Target")) {
                String t = h.getValue().asText();
                op = t.substring(t.indexOf('.') + 1);
            }
        }
        if (op == null && body.length > 0 && body.length < 100_000) {
            String form = new String(body, StandardCharsets.UTF_8);
            for (String pair : form.split("&")) {
                if (pair.startsWith("Action=")) {
                    op = URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
                }
            }
        }
        if (op == null) {
            return false;
        }
        for (String p : READ_PREFIXES) {
            if (op.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] body(JsonNode entry) {
        JsonNode b = entry.get("body");
        if (b == null || b.isNull()) {
            return new byte[0];
        }
        return entry.path("body_encoded").asBoolean(false) ? Base64.getDecoder().decode(b.asText())
                : b.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static void post(HttpClient http, URI moto, String path) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(moto.resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }
}
