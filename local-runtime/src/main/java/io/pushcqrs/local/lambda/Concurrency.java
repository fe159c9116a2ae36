package io.pushcqrs.local.lambda;

import java.util.HashMap;
import java.util.Map;

/**
 * Lambda's concurrency limits, as AWS applies them to synchronous invokes: a function with reserved concurrency runs
 * at most that many invocations at once (0: none, the function is throttled); the others share what the account's
 * limit leaves (the stack's {@code --concurrency-limit}, AWS's default 1,000, minus every reservation). An invoke over
 * its limit is refused at once (429 TooManyRequestsException, Reason ReservedFunctionConcurrentInvocationLimitExceeded
 * or ConcurrentInvocationLimitExceeded); nothing waits. As on AWS, reservations must leave 100 unreserved.
 * Pure bookkeeping, thread-safe.
 */
final class Concurrency {
    /** AWS keeps at least this much of the account's concurrency unreserved. */
    static final int MINIMUM_UNRESERVED = 100;
    static final String RESERVED_EXCEEDED = "ReservedFunctionConcurrentInvocationLimitExceeded";
    static final String ACCOUNT_EXCEEDED = "ConcurrentInvocationLimitExceeded";

    private final int accountLimit;
    private final Map<String, Integer> reserved = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private int unreservedRunning;

    Concurrency(int accountLimit) {
        if (accountLimit < 1) {
            throw new IllegalArgumentException("the concurrency limit must be at least 1, was " + accountLimit);
        }
        this.accountLimit = accountLimit;
    }

    int accountLimit() {
        return accountLimit;
    }

    /** Sets (or, with {@link FunctionSpec#UNRESERVED}, clears) a function's reserved concurrency. */
    synchronized void reserve(String function, int concurrency) {
        Map<String, Integer> next = new HashMap<>(reserved);
        if (concurrency == FunctionSpec.UNRESERVED) {
            next.remove(function);
        } else {
            next.put(function, concurrency);
        }
        int total = next.values().stream().mapToInt(Integer::intValue).sum();
        if (accountLimit - total < Math.min(MINIMUM_UNRESERVED, accountLimit)) {
            throw new IllegalArgumentException("Specified ReservedConcurrentExecutions for function " + function
                    + " decreases account's UnreservedConcurrentExecution below its minimum value of ["
                    + Math.min(MINIMUM_UNRESERVED, accountLimit) + "] (the account's limit here is " + accountLimit
                    + ", --concurrency-limit)");
        }
        reserved.clear();
        reserved.putAll(next);
    }

    /** What the unreserved functions share. */
    synchronized int unreservedLimit() {
        return accountLimit - reserved.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Takes a slot for one invocation; returns null when it may run, else the Reason it is throttled. */
    synchronized String tryAcquire(String function) {
        Integer limit = reserved.get(function);
        int now = running.getOrDefault(function, 0);
        if (limit != null) {
            if (now >= limit) {
                return RESERVED_EXCEEDED;
            }
        } else if (unreservedRunning >= unreservedLimit()) {
            return ACCOUNT_EXCEEDED;
        } else {
            unreservedRunning++;
        }
        running.put(function, now + 1);
        return null;
    }

    /** Gives back the slot of an invocation that {@link #tryAcquire} let run. */
    synchronized void release(String function) {
        int now = running.getOrDefault(function, 0);
        if (now <= 0) {
            throw new IllegalStateException("no invocation of " + function + " is running");
        }
        running.put(function, now - 1);
        if (!reserved.containsKey(function)) {
            unreservedRunning--;
        }
    }

    synchronized int running(String function) {
        return running.getOrDefault(function, 0);
    }
}
