package io.pushcqrs.awstest;

/**
 * The test tiers, as JUnit tags (CONTRIBUTING.md, "Test tiers"): a test is tagged by what it needs beyond the JVM.
 * Untagged tests need nothing (the fast loop: {@code -DexcludedGroups=moto,stack}); {@link #MOTO} tests start or
 * share moto's server ({@code python3 -m moto.server}); {@link #STACK} tests run the embedded stack (or LocalStack, or
 * a deployment). A module's AwsCallsTest is {@link #MOTO}: it compares what the moto tests recorded.
 */
public final class Tiers {
    /** Needs moto's server (python3 with moto[server]). */
    public static final String MOTO = "moto";
    /** Needs the embedded stack, LocalStack or a deployment (integration-tests). */
    public static final String STACK = "stack";

    private Tiers() {
    }
}
