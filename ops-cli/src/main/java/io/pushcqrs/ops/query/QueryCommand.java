package io.pushcqrs.ops.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.OpsException;
import io.pushcqrs.ops.api.ApiClient;
import io.pushcqrs.ops.config.ConnectionOptions;
import io.pushcqrs.ops.config.Settings;
import io.pushcqrs.ops.ui.Args;
import io.pushcqrs.ops.ui.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code query}: the API's queries from the command line. */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        version = OpsCli.VERSION,
        header = "Runs the API's queries from the command line.",
        description = {"Runs one of the API's queries (GET /query/user, /query/marketing, /query/failures, /tx, /sns)"
                + " and prints the items as a table or JSON. BY and ID may be given as the first two arguments or"
                + " with --by/--id.",
                "Exit code: 0 answered, 1 the API answered with an error, 2 usage or connection error."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  scripts/query.sh user user-00042",
                "  scripts/query.sh --by user --id user-00042 --from 2026-01-01T00:00:00Z --to 2026-01-02 --limit 10",
                "  scripts/query.sh marketing campaign-003 --all --format json",
                "  scripts/query.sh failures                      # recent failures, newest first",
                "  scripts/query.sh tx tx-1f0c...                 # one transaction",
                "  scripts/query.sh sns sns-7a3e --format json"})
public final class QueryCommand implements Callable<Integer> {
    /** The queries, their paths and the parameter their id goes in. */
    public enum By {
        user("/query/user", Attr.USER_ID, true),
        marketing("/query/marketing", Attr.MARKETING_ID, true),
        failures("/query/failures", Attr.TRANSACTION_ID, false),
        tx("/tx", Attr.TRANSACTION_ID, true),
        sns("/sns", Attr.SNS_ID, true);

        final String path;
        final String idParameter;
        final boolean idRequired;

        By(String path, String idParameter, boolean idRequired) {
            this.path = path;
            this.idParameter = idParameter;
            this.idRequired = idRequired;
        }
    }

    /** Output formats. */
    public enum Format { table, json }

    /** The table's columns. */
    public static final List<String> COLUMNS = List.of(Attr.TRANSACTION_ID, Attr.USER_ID, Attr.STATUS, Attr.PLATFORM,
            "created_at_iso", Attr.RETRY_CNT, Attr.MARKETING_ID, Attr.SNS_ID);
    static final int MAX_CELL = 28;

    private final Context ctx;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BY", description = "user, marketing, failures, tx or sns.")
    By byArgument;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The id to query by.")
    String idArgument;

    @Option(names = "--by", paramLabel = "user|marketing|failures|tx|sns", description = "The query (or the first argument).")
    By byOption;

    @Option(names = "--id", paramLabel = "ID",
            description = "user_id, marketing_id, transaction_id (tx; optional for failures) or sns_id.")
    String idOption;

    @Option(names = "--from", paramLabel = "TIME", converter = Args.TimeConverter.class,
            description = "--by user: created at or after, epoch ms or ISO-8601.")
    Long from;

    @Option(names = "--to", paramLabel = "TIME", converter = Args.TimeConverter.class,
            description = "--by user: created at or before, epoch ms or ISO-8601.")
    Long to;

    @Option(names = "--limit", paramLabel = "N", description = "Items per page, 1..100 (the API's default: 30).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after a page (its next_cursor).")
    String cursor;

    @Option(names = "--all", description = "Follow next_cursor to the last page.")
    boolean all;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "Output format (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Args.DurationConverter.class,
            description = "Timeout of one request (default ${DEFAULT-VALUE}).")
    Duration timeout;

    public QueryCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        By by = one("--by", byOption, byArgument);
        String id = one("--id", idOption, idArgument);
        if (by == null) {
            throw OpsException.usage("which query? give BY (user, marketing, failures, tx, sns) or --by");
        }
        if (by.idRequired && id == null) {
            throw OpsException.usage("query " + by + " needs an id (" + by.idParameter + "): give ID or --id");
        }
        if ((from != null || to != null) && by != By.user) {
            throw OpsException.usage("--from/--to apply to the user query only");
        }
        Settings settings = connection.resolve(ctx);
        ApiClient api = new ApiClient(settings.requireApiUrl(), settings.apiKey(), timeout);

        ArrayNode items = Json.MAPPER.createArrayNode();
        String next = cursor;
        JsonNode lastBody = null;
        Set<String> seen = new HashSet<>();
        do {
            ApiClient.Answer answer = get(api, by, id, next);
            if (answer.status() != 200) {
                ctx.err().println("error: HTTP " + answer.status() + " " + answer.errorText());
                return ExitCodes.FAILED;
            }
            lastBody = answer.json();
            if (lastBody == null || !lastBody.path("items").isArray()) {
                ctx.err().println("error: HTTP 200 but not the API's answer shape: " + answer.errorText());
                return ExitCodes.FAILED;
            }
            lastBody.get("items").forEach(items::add);
            JsonNode nc = lastBody.get("next_cursor");
            next = nc == null || nc.isNull() || nc.asText().isEmpty() ? null : nc.asText();
            if (next != null && !seen.add(next)) {
                ctx.err().println("error: the API returned the same next_cursor twice; stopping");
                return ExitCodes.FAILED;
            }
        } while (all && next != null);

        if (format == Format.json) {
            if (all) {
                ObjectNode merged = Json.MAPPER.createObjectNode();
                merged.put("success", true);
                merged.put("count", items.size());
                merged.set("items", items);
                ctx.out().println(pretty(merged));
            } else {
                ctx.out().println(pretty(lastBody));
            }
        } else {
            ctx.out().print(table(items));
            ctx.out().println(items.size() + " item" + (items.size() == 1 ? "" : "s")
                    + (next != null ? "; more with --cursor " + next + " (or --all)" : ""));
        }
        return ExitCodes.OK;
    }

    private ApiClient.Answer get(ApiClient api, By by, String id, String pageCursor) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put(by.idParameter, id);
        if (by == By.user) {
            q.put("from", from == null ? null : from.toString());
            q.put("to", to == null ? null : to.toString());
        }
        q.put("limit", limit == null ? null : limit.toString());
        q.put("cursor", pageCursor);
        try {
            return api.get(by.path, q);
        } catch (IOException e) {
            throw new OpsException(ExitCodes.USAGE, "cannot reach the API at " + api.baseUrl() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + " (is the stack running? scripts/local-up.sh --detach)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException(ExitCodes.USAGE, "interrupted", e);
        }
    }

    /** The items as a table of {@link #COLUMNS}, long values cut. */
    public static String table(JsonNode items) {
        TextTable t = new TextTable(COLUMNS, MAX_CELL);
        for (JsonNode item : items) {
            t.add(COLUMNS.stream().map(c -> cell(item, c)).toList());
        }
        return t.render();
    }

    private static String cell(JsonNode item, String column) {
        JsonNode v = item.get(column);
        if ((v == null || v.isNull()) && column.equals("created_at_iso") && item.path(Attr.CREATED_AT).canConvertToLong()) {
            return Instant.ofEpochMilli(item.get(Attr.CREATED_AT).asLong()).toString();
        }
        return v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : Json.write(v);
    }

    private static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return Json.write(node);
        }
    }

    private static <T> T one(String option, T fromOption, T fromArgument) {
        if (fromOption != null && fromArgument != null && !fromOption.equals(fromArgument)) {
            throw OpsException.usage(option + " " + fromOption + " and the argument " + fromArgument + " disagree: give one");
        }
        return fromOption != null ? fromOption : fromArgument;
    }
}
