package io.pushcqrs.awstest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What {@link AwsCallRecorder} recorded in this JVM: every call of production code, with how it ended. */
public final class AwsCalls {
    /**
     * One recorded call.
     *
     * @param call      the permission it needed
     * @param errorCode the service's error code when it failed with one, else null
     * @param caller    the production class that issued it (for messages)
     */
    public record Recorded(AwsCall call, String errorCode, String caller) {
    }

    private static final ConcurrentLinkedQueue<Recorded> RECORDED = new ConcurrentLinkedQueue<>();

    private AwsCalls() {
    }

    static void record(Recorded r) {
        RECORDED.add(r);
    }

    public static List<Recorded> recorded() {
        return new ArrayList<>(RECORDED);
    }

    /** Forgets everything recorded (this module's own tests). */
    public static void clear() {
        RECORDED.clear();
    }
}
