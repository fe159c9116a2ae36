package io.pushcqrs.ops.scale;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The assumed command mix per notification sent, and the key distribution of background traffic (docs/scaling.md,
 * "The mix"). Every number here is an assumption; the report prints them all.
 *
 * @param failureRate        share of notifications that fail (a status change to FAILED instead of DELIVERED)
 * @param retriesPerFailure  PATCHes of a failed notification that fails again (a new failed_ts)
 * @param deleteRate         DELETEs per notification (erasure requests, cleanup)
 * @param queriesPerNotification API queries per notification sent
 * @param queryShare         share of each query type
 * @param pageLimit          the limit of a query page
 * @param campaignShare      share of background notifications that belong to a campaign
 * @param campaigns          campaigns active at once in the background, Zipf-distributed
 * @param campaignZipf       the Zipf exponent over campaigns
 * @param users              users receiving background notifications
 * @param userZipf           the Zipf exponent over users
 * @param statusDelaySeconds a status change follows its send after 1..this many seconds, uniformly
 */
public record Mix(double failureRate, double retriesPerFailure, double deleteRate, double queriesPerNotification,
                  Map<String, Double> queryShare, int pageLimit, double campaignShare, int campaigns,
                  double campaignZipf, int users, double userZipf, int statusDelaySeconds) {

    /** The mix docs/scaling.md assumes. */
    public static Mix standard() {
        Map<String, Double> share = new LinkedHashMap<>();
        share.put("user", 0.60);
        share.put("tx", 0.15);
        share.put("marketing", 0.10);
        share.put("failures", 0.10);
        share.put("sns", 0.05);
        return new Mix(0.02, 0.5, 0.01, 0.05, share, 30, 0.4, 200, 1.0, 2_000_000, 0.8, 30);
    }

    public Mix withFailureRate(double rate) {
        return new Mix(rate, retriesPerFailure, deleteRate, queriesPerNotification, queryShare, pageLimit, campaignShare,
                campaigns, campaignZipf, users, userZipf, statusDelaySeconds);
    }

    /** Commands per notification: the create, one status change, the retries of failures, the deletes. */
    public double commandsPerNotification() {
        return 1 + 1 + failureRate * retriesPerFailure + deleteRate;
    }
}
