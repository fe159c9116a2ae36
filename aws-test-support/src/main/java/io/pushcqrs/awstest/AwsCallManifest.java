package io.pushcqrs.awstest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A module's {@code aws-calls.json}: every AWS permission its code needs, with logical resource names (the
 * deployed name without the stage prefix: {@code table/command-records}, {@code function/query-result-lambda}).
 * The module's tests record what the code really calls ({@link AwsCallRecorder}) and {@link #compare} says
 * where the two differ; infra's IamTest reads the same files and checks the roles grant exactly these.
 *
 * <p>A recorded resource name resolves to a logical one when it equals it or ends with "-" + it (tests name
 * their tables {@code <anything>-command-records}, as a stage does). A call on a name that resolves to
 * nothing is reported, unless it failed with ResourceNotFoundException: then the code was pointed at a
 * resource that does not exist (a misconfiguration test), which needs no grant.
 */
public record AwsCallManifest(String module, SortedSet<AwsCall> calls) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static AwsCallManifest read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            SortedSet<AwsCall> calls = new TreeSet<>();
            for (JsonNode c : root.path("calls")) {
                calls.add(new AwsCall(c.path("action").asText(), c.path("resource").asText()));
            }
            return new AwsCallManifest(root.path("module").asText(), calls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("module", module);
        root.put("about", "Every AWS call this module's code issues (IAM action and logical resource), recorded by its"
                + " tests (aws-test-support). infra's IamTest checks that the function's role allows each and nothing"
                + " else. Regenerate: mvn -pl <module> -am test -Dawscalls.write=true");
        ArrayNode list = root.putArray("calls");
        for (AwsCall c : calls) {
            list.addObject().put("action", c.action()).put("resource", c.resource());
        }
        try {
            Files.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The logical names of a resource type that this manifest knows ("table" -> command-records, ...). */
    Set<String> names(String type) {
        Set<String> names = new TreeSet<>();
        for (AwsCall c : calls) {
            if (c.resourceType().equals(type)) {
                names.add(c.resourceName());
            }
        }
        return names;
    }

    /** A recorded call with its resource renamed to the logical name it resolves to, or as it was. */
    AwsCall resolve(AwsCall recorded) {
        String name = recorded.resourceName();
        String best = null;
        for (String logical : names(recorded.resourceType())) {
            if ((name.equals(logical) || name.endsWith("-" + logical)) && (best == null || logical.length() > best.length())) {
                best = logical;
            }
        }
        return best == null ? recorded : recorded.withName(best);
    }

    boolean resolves(AwsCall recorded) {
        return recorded.resource().equals("*") || !resolve(recorded).equals(recorded)
                || names(recorded.resourceType()).contains(recorded.resourceName());
    }

    /** The difference between this manifest and what the tests recorded. */
    public Comparison compare(Collection<AwsCalls.Recorded> recorded) {
        SortedSet<AwsCall> observed = new TreeSet<>();
        SortedSet<String> unresolved = new TreeSet<>();
        for (AwsCalls.Recorded r : recorded) {
            if (!resolves(r.call())) {
                if ("ResourceNotFoundException".equals(r.errorCode())) {
                    continue; // a resource that does not exist: the misconfiguration tests
                }
                unresolved.add(r.call() + " (from " + r.caller() + ")");
            }
            observed.add(resolve(r.call()));
        }
        SortedSet<AwsCall> notInManifest = new TreeSet<>(observed);
        notInManifest.removeAll(calls);
        SortedSet<AwsCall> neverCalled = new TreeSet<>(calls);
        neverCalled.removeAll(observed);
        return new Comparison(observed, notInManifest, neverCalled, unresolved);
    }

    /**
     * @param observed      every call the tests saw, resolved
     * @param notInManifest calls the code issues that the manifest (and so the role) lacks
     * @param neverCalled   manifest entries no test issued: a grant nothing needs, or a call no test covers
     * @param unresolved    calls on resources whose names resolve to no logical name
     */
    public record Comparison(SortedSet<AwsCall> observed, SortedSet<AwsCall> notInManifest,
                             SortedSet<AwsCall> neverCalled, SortedSet<String> unresolved) {
        public boolean matches() {
            return notInManifest.isEmpty() && neverCalled.isEmpty() && unresolved.isEmpty();
        }

        public String describe(String module, Path manifest) {
            List<String> lines = new ArrayList<>();
            lines.add(module + ": the AWS calls its code issues differ from " + manifest + ":");
            notInManifest.forEach(c -> lines.add("  called but not in the manifest (the role would answer AccessDenied): " + c));
            neverCalled.forEach(c -> lines.add("  in the manifest but never called by a test: " + c));
            unresolved.forEach(c -> lines.add("  on a resource no logical name matches (name test resources <prefix>-<logical name>): " + c));
            lines.add("Update the manifest (mvn -pl " + module + " -am test -Dawscalls.write=true rewrites it from the"
                    + " recording), then the role's grants in infra's NotificationStack (IamTest checks them).");
            return String.join("\n", lines);
        }
    }
}
