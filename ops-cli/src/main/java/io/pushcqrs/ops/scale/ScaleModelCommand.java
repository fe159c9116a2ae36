package io.pushcqrs.ops.scale;

import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.ui.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code scale-model}: the capacity, cost and hot-partition model of docs/scaling.md, as a result file. */
@Command(name = "scale-model", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {
                "Models the stack at scale without running it (docs/scaling.md): the write and read request units each",
                "table and GSI needs at 1k, 10k and 100k notifications a second, stream shards, Lambda concurrency and",
                "the cost per million commands; then simulates, second by second, a 1M-user campaign in 10 minutes, a",
                "5 % failure wave and steady background traffic over Zipf-distributed users, in the key layout before",
                "write sharding and in today's, and reports the hottest partition key of the table and each GSI against",
                "DynamoDB's 1,000 write units a second per partition. Item sizes come from the real items (the mapper",
                "every function uses). Writes <out-dir>/<date>-<name>.json and .md; progress on stderr. Runs in seconds."},
        footerHeading = "%nExamples:%n",
        footer = {"  scripts/scale-model.sh",
                "  scripts/scale-model.sh --out-dir /tmp/scale --date 2026-12-05 --seed 7",
                "Exit codes: 0 written, 2 usage or cannot write."})
public final class ScaleModelCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "where to write the result files (default: bench/results of the repository)")
    Path outDir;

    @Option(names = "--name", paramLabel = "NAME", description = "file name after the date (default: ${DEFAULT-VALUE})",
            defaultValue = "scale-model")
    String name;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "the date in the file name (default: today, UTC)")
    String date;

    @Option(names = "--seed", paramLabel = "N", description = "the random seed of the simulation (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    long seed;

    public ScaleModelCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String day = date != null ? date : LocalDate.now(ZoneOffset.UTC).toString();
        if (!day.matches("\\d{4}-\\d{2}-\\d{2}") || !name.matches("[A-Za-z0-9._-]+")) {
            ctx.err().println("error: --date must be YYYY-MM-DD and --name letters, digits, . _ -");
            return ExitCodes.USAGE;
        }
        if (outDir == null) {
            String root = ctx.env("OPS_REPO_ROOT");
            outDir = (root == null ? Path.of(".") : Path.of(root)).resolve("bench").resolve("results");
        }
        String commandLine = "scripts/scale-model.sh --seed " + seed;
        Mix mix = Mix.standard();
        List<Scenario> scenarios = Scenario.standard(mix);
        ScaleModel model = new ScaleModel(mix, Prices.usEast1(), Capacity.Functions.template(), seed)
                .run(scenarios, line -> ctx.err().println("scale-model: " + line));
        ResultFiles files = ResultFiles.in(outDir, day, name);
        try {
            files.write(model.toJson(day, commandLine),
                    model.toMarkdown(day, commandLine, files.json().getFileName().toString()));
        } catch (IOException | UncheckedIOException e) {
            ctx.err().println("error: cannot write " + outDir + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ctx.out().println("wrote " + files.json() + " and " + files.markdown());
        return ExitCodes.OK;
    }
}
