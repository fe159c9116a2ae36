package io.pushcqrs.local.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code --faults} asks for: comma-separated {@code key=value} pairs, e.g.
 * {@code seed=42,invoke.throw=0.05,invoke.timeout=0.02,invoke.kill=0.01,backend.throttle=0.05,backend.5xx=0.02,
 * backend.outage=20s@30s,runtime.restart=60s}.
 *
 * @param seed            the seed of the random sequences (default 1)
 * @param invokeThrow     fraction of the mapped functions' invocations answered as an unhandled exception
 * @param invokeTimeout   fraction answered as a timeout (Sandbox.Timedout)
 * @param invokeKill      fraction whose function JVM is killed while the batch runs (Runtime.ExitError)
 * @param backendThrottle fraction of the read side's DynamoDB calls answered 400 ProvisionedThroughputExceeded or
 *                        ThrottlingException
 * @param backend5xx      fraction answered 500 InternalServerError or 503 ServiceUnavailable
 * @param outageLength    how long the read side's backend is unreachable (ZERO: never)
 * @param outageStart     when the outage starts, after the stack started
 * @param restartEvery    how often the pollers are stopped and started again and the mapped functions' JVMs killed
 *                        (ZERO: never)
 * @param backendTable    the tables whose DynamoDB calls the backend faults hit: a name containing this text
 */
public record FaultSpec(long seed, double invokeThrow, double invokeTimeout, double invokeKill, double backendThrottle,
                        double backend5xx, Duration outageLength, Duration outageStart, Duration restartEvery,
                        String backendTable) {
    public static final String DEFAULT_TABLE = "notification-records";
    public static final FaultSpec NONE = new FaultSpec(1, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            DEFAULT_TABLE);
    static final Set<String> KEYS = new LinkedHashSet<>(List.of("seed", "invoke.throw", "invoke.timeout", "invoke.kill",
            "backend.throttle", "backend.5xx", "backend.outage", "backend.table", "runtime.restart"));

    public FaultSpec {
        fraction("invoke.throw", invokeThrow);
        fraction("invoke.timeout", invokeTimeout);
        fraction("invoke.kill", invokeKill);
        fraction("backend.throttle", backendThrottle);
        fraction("backend.5xx", backend5xx);
        if (invokeThrow + invokeTimeout + invokeKill > 1) {
            throw new IllegalArgumentException("--faults: invoke.throw + invoke.timeout + invoke.kill is more than 1");
        }
        if (backendThrottle + backend5xx > 1) {
            throw new IllegalArgumentException("--faults: backend.throttle + backend.5xx is more than 1");
        }
        backendTable = backendTable == null || backendTable.isBlank() ? DEFAULT_TABLE : backendTable;
    }

    /** True when something is switched on. */
    public boolean active() {
        return invokeThrow + invokeTimeout + invokeKill + backendThrottle + backend5xx > 0 || !outageLength.isZero()
                || !restartEvery.isZero();
    }

    /** Parses the option's value; an unknown key, a bad number or a fraction outside 0..1 is an error naming it. */
    public static FaultSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--faults needs key=value pairs, e.g. invoke.throw=0.05,backend.throttle=0.05");
        }
        long seed = 1;
        double iThrow = 0, iTimeout = 0, iKill = 0, bThrottle = 0, b5xx = 0;
        Duration outLen = Duration.ZERO, outStart = Duration.ZERO, restart = Duration.ZERO;
        String table = DEFAULT_TABLE;
        for (String pair : text.split(",")) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--faults: '" + p + "' is not key=value (keys: " + String.join(", ", KEYS) + ")");
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            switch (key) {
                case "seed" -> seed = number(key, value);
                case "invoke.throw" -> iThrow = fractionOf(key, value);
                case "invoke.timeout" -> iTimeout = fractionOf(key, value);
                case "invoke.kill" -> iKill = fractionOf(key, value);
                case "backend.throttle" -> bThrottle = fractionOf(key, value);
                case "backend.5xx" -> b5xx = fractionOf(key, value);
                case "backend.outage" -> {
                    int at = value.indexOf('@');
                    outLen = duration(key, at < 0 ? value : value.substring(0, at));
                    outStart = at < 0 ? Duration.ZERO : duration(key, value.substring(at + 1));
                }
                case "backend.table" -> table = value;
                case "runtime.restart" -> restart = duration(key, value);
                default -> throw new IllegalArgumentException("--faults: unknown key '" + key + "' (keys: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        return new FaultSpec(seed, iThrow, iTimeout, iKill, bThrottle, b5xx, outLen, outStart, restart, table);
    }

    /** One line for the start-up summary. */
    public String describe() {
        if (!active()) {
            return "off";
        }
        List<String> parts = new ArrayList<>();
        if (invokeThrow + invokeTimeout + invokeKill > 0) {
            parts.add("mapped invocations: throw " + pct(invokeThrow) + ", timeout " + pct(invokeTimeout) + ", JVM kill "
                    + pct(invokeKill));
        }
        if (backendThrottle + backend5xx > 0) {
            parts.add("DynamoDB calls on *" + backendTable + "*: throttled " + pct(backendThrottle) + ", 5xx " + pct(backend5xx));
        }
        if (!outageLength.isZero()) {
            parts.add("*" + backendTable + "* unreachable for " + outageLength.toSeconds() + " s from " + outageStart.toSeconds()
                    + " s after start");
        }
        if (!restartEvery.isZero()) {
            parts.add("pollers restarted and mapped function JVMs killed every " + restartEvery.toSeconds() + " s");
        }
        return String.join("; ", parts) + " (seed " + seed + ")";
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f %%", f * 100);
    }

    private static void fraction(String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("--faults: " + key + " must be a fraction from 0 to 1, not " + v);
        }
    }

    private static double fractionOf(String key, String value) {
        try {
            double v = Double.parseDouble(value);
            fraction(key, v);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--faults: " + key + " must be a fraction from 0 to 1, not '" + value + "'");
        }
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--faults: " + key + " must be a whole number, not '" + value + "'");
        }
    }

    /** {@code 20s}, {@code 500ms}, {@code 2m}. */
    static Duration duration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return positive(key, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
            }
            if (v.endsWith("s")) {
                return positive(key, Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000)));
            }
            if (v.endsWith("m")) {
                return positive(key, Duration.ofSeconds(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60)));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--faults: " + key + " needs a duration such as 20s, 500ms or 2m, not '" + value + "'");
    }

    private static Duration positive(String key, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("--faults: " + key + " cannot be negative");
        }
        return d;
    }
}
