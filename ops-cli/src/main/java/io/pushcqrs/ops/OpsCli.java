package io.pushcqrs.ops;

import io.pushcqrs.ops.bench.BenchCommand;
import io.pushcqrs.ops.chaos.ChaosCommand;
import io.pushcqrs.ops.insert.InsertCommand;
import io.pushcqrs.ops.query.QueryCommand;
import io.pushcqrs.ops.rebuild.RebuildCommand;
import io.pushcqrs.ops.replay.ReplayDlqCommand;
import io.pushcqrs.ops.scale.ScaleModelCommand;
import io.pushcqrs.ops.sync.CheckSyncCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The operators' command line: {@code insert}, {@code check-sync}, {@code query}, {@code rebuild},
 * {@code replay-dlq}, {@code scale-model}, {@code chaos} and {@code bench}. The scripts
 * in scripts/ run it as {@code java -jar ops-cli/target/ops-cli.jar <subcommand> ...}.
 */
@Command(name = "ops-cli", mixinStandardHelpOptions = true, usageHelpWidth = 110, version = OpsCli.VERSION,
        description = "Operator tools of the notification CQRS stack (see docs/operator-scripts.md).",
        subcommandsRepeatable = false,
        footerHeading = "%nScripts:%n",
        footer = {"  scripts/insert.sh, scripts/check-sync.sh, scripts/query.sh, scripts/rebuild.sh, scripts/replay-dlq.sh,"
                + " scripts/scale-model.sh, scripts/chaos.sh, scripts/bench.sh"
                + " (each with --help)"})
public final class OpsCli implements Callable<Integer> {
    /** Shown by --version. */
    public static final String VERSION = "ops-cli 1.0.0-SNAPSHOT";

    private final Context ctx;

    OpsCli(Context ctx) {
        this.ctx = ctx;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage, and exit code 2. */
    @Override
    public Integer call() {
        ctx.err().println("which tool? insert, check-sync, query, rebuild, replay-dlq, scale-model, chaos or bench");
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, new Context(System.getenv(), out, err, System.console() != null));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Environment variable run.sh sets to the script's name (scripts/query.sh): usage then shows that name. */
    public static final String ENV_SCRIPT = "OPS_SCRIPT";

    /** Runs one command line; returns its exit code (0 ok, 1 failed / out of sync, 2 usage or connection error). */
    public static int run(String[] args, Context ctx) {
        String script = ctx.env(ENV_SCRIPT);
        if (script != null && args.length > 0 && subcommand(args[0], ctx) != null) {
            CommandLine alone = configure(new CommandLine(subcommand(args[0], ctx)), ctx);
            alone.setCommandName(script);
            return alone.execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return commandLine(ctx).execute(args);
    }

    /** The command line with its subcommands, printing to the context's streams. */
    public static CommandLine commandLine(Context ctx) {
        CommandLine cl = new CommandLine(new OpsCli(ctx));
        for (String name : SUBCOMMANDS) {
            cl.addSubcommand(new CommandLine(subcommand(name, ctx)));
        }
        return configure(cl, ctx);
    }

    static final List<String> SUBCOMMANDS = List.of("insert", "check-sync", "query", "rebuild", "replay-dlq",
            "scale-model", "chaos", "bench");

    private static Object subcommand(String name, Context ctx) {
        return switch (name) {
            case "insert" -> new InsertCommand(ctx);
            case "check-sync" -> new CheckSyncCommand(ctx);
            case "query" -> new QueryCommand(ctx);
            case "rebuild" -> new RebuildCommand(ctx);
            case "replay-dlq" -> new ReplayDlqCommand(ctx);
            case "scale-model" -> new ScaleModelCommand(ctx);
            case "chaos" -> new ChaosCommand(ctx);
            case "bench" -> new BenchCommand(ctx);
            default -> null;
        };
    }

    private static CommandLine configure(CommandLine cl, Context ctx) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            ctx.err().println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, ctx.err());
            ctx.err().println("see: " + failed.getCommandSpec().qualifiedName() + " --help");
            return ExitCodes.USAGE;
        });
        cl.setExitCodeExceptionMapper(e -> e instanceof OpsException o ? o.exitCode() : ExitCodes.USAGE);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof OpsException o) {
                ctx.err().println("error: " + o.getMessage());
                return o.exitCode();
            }
            ctx.err().println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            if (ctx.env("OPS_DEBUG") != null) {
                e.printStackTrace(ctx.err());
            }
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /** For tests: a context over the given environment and streams, never interactive. */
    public static Context context(Map<String, String> env, PrintStream out, PrintStream err) {
        return new Context(env, out, err, false);
    }
}
