package io.pushcqrs.ops.ui;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr. With a known total it is a bar ({@code [#####.....] 512/1000 51% 98/s eta 5s}), else a
 * counter ({@code command-records: 12345 items 4100/s}). On a terminal the line is redrawn in place with
 * {@code \r} (at most every 100 ms); otherwise (a log, CI) a line is printed at every 10 % step, or every
 * 2 s when the total is unknown, so logs stay short. Thread-safe.
 */
public final class Progress {
    static final int BAR_WIDTH = 10;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long LINE_NANOS = 2_000_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw;
    private long lastDecile;
    private int lastWidth;
    private long lastPrinted = -1;
    private boolean finished;

    /**
     * @param total the number of steps, or a negative number when unknown
     */
    public Progress(PrintStream err, boolean terminal, String label, long total, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
        // on a terminal the first update draws at once; in a log the first counter line comes after 2 s
        this.lastDraw = terminal ? start - LINE_NANOS : start;
    }

    public Progress(PrintStream err, boolean terminal, String label, long total) {
        this(err, terminal, label, total, System::nanoTime);
    }

    /** A progress that prints nothing. */
    public static Progress silent() {
        return new Progress(new PrintStream(PrintStream.nullOutputStream()), false, "", -1);
    }

    /** Reports that {@code done} steps are complete; draws when due. */
    public synchronized void update(long done) {
        if (finished) {
            return;
        }
        long now = clock.getAsLong();
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS) {
                draw(done, now);
            }
        } else if (total > 0) {
            long decile = Math.min(10, done * 10 / total);
            if (decile > lastDecile && decile < 10) {
                lastDecile = decile;
                print(done, now);
            }
        } else if (now - lastDraw >= LINE_NANOS) {
            lastDraw = now;
            print(done, now);
        }
    }

    /** Draws the final state and ends the line. */
    public synchronized void finish(long done) {
        if (finished) {
            return;
        }
        finished = true;
        long now = clock.getAsLong();
        if (terminal) {
            draw(done, now);
            err.println();
        } else if (done != lastPrinted) {
            print(done, now);
        }
        err.flush();
    }

    private void print(long done, long now) {
        lastPrinted = done;
        err.println(line(done, now));
    }

    private void draw(long done, long now) {
        lastDraw = now;
        String text = line(done, now);
        int pad = Math.max(0, lastWidth - text.length());
        lastWidth = text.length();
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
    }

    /** The progress line for {@code done} steps at time {@code now} (nanoseconds of the same clock). */
    String line(long done, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / seconds;
        String prefix = label == null || label.isEmpty() ? "" : label + " ";
        if (total > 0) {
            Long eta = rate > 0 ? Math.round(Math.max(0, total - done) / rate) : null;
            return prefix + bar(done, total, rate, eta);
        }
        return prefix + counter(done, rate);
    }

    /** {@code [#####.....] 512/1000 51% 98/s eta 5s}; eta "?" when unknown. */
    public static String bar(long done, long total, double ratePerSecond, Long etaSeconds) {
        long clamped = Math.max(0, Math.min(done, total));
        int filled = total <= 0 ? 0 : (int) (clamped * BAR_WIDTH / total);
        long percent = total <= 0 ? 0 : clamped * 100 / total;
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total + " "
                + percent + "% " + rate(ratePerSecond) + "/s eta " + (etaSeconds == null ? "?" : duration(etaSeconds));
    }

    /** {@code 12345 items 4100/s}. */
    public static String counter(long done, double ratePerSecond) {
        return done + " items " + rate(ratePerSecond) + "/s";
    }

    static String rate(double perSecond) {
        if (perSecond >= 10 || perSecond == 0) {
            return Long.toString(Math.round(perSecond));
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** 5s, 2m05s, 1h02m. */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
