package io.pushcqrs.ops.scale;

/**
 * A load over time: background notifications at a rate with a failure rate, and optionally one campaign sent to
 * distinct users at an even pace from second 0, with its own failure rate.
 *
 * @param name            short id (JSON key)
 * @param description     one line for the report
 * @param seconds         how long it is simulated
 * @param backgroundRate  background notifications per second
 * @param backgroundFail  failure rate of the background
 * @param campaignUsers   users of the campaign (0: none)
 * @param campaignSeconds how long its sends take
 * @param campaignFail    failure rate of the campaign's sends
 */
public record Scenario(String name, String description, int seconds, double backgroundRate, double backgroundFail,
                       int campaignUsers, int campaignSeconds, double campaignFail) {

    public double campaignRate() {
        return campaignUsers == 0 ? 0 : (double) campaignUsers / campaignSeconds;
    }

    /** The scenarios of docs/scaling.md. */
    public static java.util.List<Scenario> standard(Mix mix) {
        return java.util.List.of(
                new Scenario("campaign-1M-10min", "a campaign to 1,000,000 users sent in 10 minutes (1,667 sends/s),"
                        + " 5 % of its sends failing, over 1,000 background notifications/s", 630, 1_000,
                        mix.failureRate(), 1_000_000, 600, 0.05),
                new Scenario("failure-wave-10k", "10,000 background notifications/s (a 5 % failure wave): the failures"
                        + " of the whole system", 60, 10_000, 0.05, 0, 0, 0),
                new Scenario("steady-1k", "1,000 background notifications/s, the standard mix", 30, 1_000,
                        mix.failureRate(), 0, 0, 0),
                new Scenario("steady-10k", "10,000 background notifications/s, the standard mix", 30, 10_000,
                        mix.failureRate(), 0, 0, 0),
                new Scenario("steady-100k", "100,000 background notifications/s, the standard mix", 10, 100_000,
                        mix.failureRate(), 0, 0, 0));
    }
}
