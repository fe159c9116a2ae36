package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.ops.ui.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends commands on {@code threads} threads at {@code rate} per second (0: as fast as they go). Pacing is by
 * schedule: command i is not sent before start + i / rate, so the rate holds over the run whatever the latency.
 */
public final class InsertRunner {
    private final Sender sender;
    private final double rate;
    private final int threads;

    public InsertRunner(Sender sender, double rate, int threads) {
        check(rate, threads);
        this.sender = sender;
        this.rate = rate;
        this.threads = threads;
    }

    /** Validates the pacing arguments; IllegalArgumentException names the bad one. */
    public static void check(double rate, int threads) {
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be 0 (unlimited) or a positive number");
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256");
        }
    }

    public InsertSummary run(List<JsonNode> commands, Progress progress) {
        int n = commands.size();
        Outcome[] outcomes = new Outcome[n];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        Runnable worker = () -> {
            while (!Thread.currentThread().isInterrupted()) {
                int i = next.getAndIncrement();
                if (i >= n) {
                    return;
                }
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                Outcome o;
                try {
                    o = sender.send(commands.get(i));
                } catch (RuntimeException e) {
                    o = new Outcome(Outcome.Kind.ERROR, null, e.getClass().getSimpleName() + ": " + e.getMessage(), 0);
                }
                outcomes[i] = o;
                progress.update(done.incrementAndGet());
            }
        };
        List<Thread> pool = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, Math.max(1, n)); t++) {
            Thread th = new Thread(worker, "insert-" + t);
            th.setDaemon(true);
            pool.add(th);
            th.start();
        }
        try {
            for (Thread th : pool) {
                th.join();
            }
        } catch (InterruptedException e) {
            pool.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        }
        long elapsed = System.nanoTime() - start;
        progress.finish(done.get());
        List<Outcome> finished = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o != null) {
                finished.add(o);
            }
        }
        return InsertSummary.of(sender.target(), finished, elapsed);
    }
}
