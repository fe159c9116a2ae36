package io.pushcqrs.ops.scale;

import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.ops.scale.Samples.Kind;
import io.pushcqrs.ops.scale.TransitionCosts.Transition;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Second by second, the write request units a scenario needs per store and per partition key: every notification is
 * drawn with its keys (a user from a Zipf distribution, a campaign, a view_sk whose hash gives the real shard) and
 * charged what its commands cost ({@link TransitionCosts}). The per-key limit of a partition is 1,000 write units a
 * second; a GSI partition that passes it throttles the table write that caused it (GSI back pressure).
 * <ul>
 *   <li>Background: creates at the scenario's rate, as many status changes (a steady state: a change's keys are drawn
 *       like a create's), FAILED with the failure rate, retries of failures and deletes by the mix.</li>
 *   <li>A campaign: its sends at an even pace to distinct users; each send's status change 1..D seconds later.</li>
 *   <li>Per key, the model tracks the keys that repeat: user_id (the table), the campaign key (marketing-index) and the
 *       failure key (failures-index). Keys that are unique per notification (transaction_id, sns_id, and the users of
 *       a campaign, each sent one notification) carry at most one notification's writes in a second
 *       ({@link #perNotificationBound}).</li>
 * </ul>
 */
public final class Simulation {
    /** A partition's write limit: 1,000 write units a second. */
    public static final double WRITE_LIMIT = 1_000;
    /** A partition's read limit: 3,000 read units a second. */
    public static final double READ_LIMIT = 3_000;

    private static final Store[] TRACKED = {Store.VIEWS, Store.MARKETING_INDEX, Store.FAILURES_INDEX};

    /** What one store needed over a scenario. */
    public record StoreLoad(Store store, double peakUnitsPerSecond, double meanUnitsPerSecond, String hottestKey,
                            double hottestKeyPeak, int secondsOverLimit, boolean tracked) {
        public double utilisation() {
            return hottestKeyPeak / WRITE_LIMIT;
        }
    }

    /** A scenario's result in one layout. */
    public record Result(Scenario scenario, Layout layout, Map<Store, StoreLoad> stores, long notifications) {
    }

    private final Mix mix;
    private final long seed;
    private final double[] userCdf;
    private final double[] campaignCdf;

    public Simulation(Mix mix, long seed) {
        this.mix = mix;
        this.seed = seed;
        this.userCdf = zipfCdf(mix.users(), mix.userZipf());
        this.campaignCdf = zipfCdf(mix.campaigns(), mix.campaignZipf());
    }

    /** The most write units one notification (create, status change, retry) puts on one key of a store in a second. */
    public static double perNotificationBound(Map<Kind, TransitionCosts> costs, Store store) {
        double max = 0;
        for (TransitionCosts c : costs.values()) {
            max = Math.max(max, c.units(Transition.CREATE, store)
                    + Math.max(c.units(Transition.DELIVER, store), c.units(Transition.FAIL, store))
                    + c.units(Transition.RETRY, store));
        }
        return max;
    }

    public Result run(Scenario s, Layout layout, Map<Kind, TransitionCosts> costs) {
        Run run = new Run(s, layout, costs);
        for (int t = 0; t < s.seconds(); t++) {
            run.second(t);
        }
        return run.result();
    }

    /** One run: the per-second state. */
    private final class Run {
        final Scenario s;
        final Layout layout;
        final Map<Kind, TransitionCosts> costs;
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<Store, Map<String, Double>> perKey = new EnumMap<>(Store.class);
        final Map<Store, double[]> peak = new EnumMap<>(Store.class);   // [peak total, sum of totals]
        final Map<Store, Double> total = new EnumMap<>(Store.class);
        final Map<Store, String> hottestKey = new EnumMap<>(Store.class);
        final Map<Store, Double> hottestPeak = new EnumMap<>(Store.class);
        final Map<Store, Integer> overLimit = new EnumMap<>(Store.class);
        final double[] campaignSends;
        double backgroundCarry;
        double campaignCarry;
        double changeCarry;
        double retryCarry;
        double deleteCarry;
        long counter;
        long notifications;

        Run(Scenario s, Layout layout, Map<Kind, TransitionCosts> costs) {
            this.s = s;
            this.layout = layout;
            this.costs = costs;
            this.campaignSends = new double[s.seconds()];
            for (Store store : Store.values()) {
                perKey.put(store, new HashMap<>());
                peak.put(store, new double[2]);
                hottestPeak.put(store, 0.0);
                overLimit.put(store, 0);
            }
        }

        void second(int t) {
            perKey.values().forEach(Map::clear);
            for (Store store : Store.values()) {
                total.put(store, 0.0);
            }
            int background = (int) Math.floor(backgroundCarry += s.backgroundRate());
            backgroundCarry -= background;
            for (int i = 0; i < background; i++) {
                backgroundEvent(t, Transition.CREATE);
                backgroundEvent(t, random.nextDouble() < s.backgroundFail() ? Transition.FAIL : Transition.DELIVER);
            }
            int retries = (int) Math.floor(retryCarry += background * s.backgroundFail() * mix.retriesPerFailure());
            retryCarry -= retries;
            for (int i = 0; i < retries; i++) {
                backgroundEvent(t, Transition.RETRY);
            }
            int deletes = (int) Math.floor(deleteCarry += background * mix.deleteRate());
            deleteCarry -= deletes;
            for (int i = 0; i < deletes; i++) {
                backgroundEvent(t, Transition.DELETE);
            }
            notifications += background;
            if (s.campaignUsers() > 0) {
                if (t < s.campaignSeconds()) {
                    int sends = (int) Math.floor(campaignCarry += s.campaignRate());
                    campaignCarry -= sends;
                    campaignSends[t] = sends;
                    for (int i = 0; i < sends; i++) {
                        campaignEvent(t, Transition.CREATE);
                    }
                    notifications += sends;
                }
                double due = 0;
                int delay = mix.statusDelaySeconds();
                for (int d = 1; d <= delay && d <= t; d++) {
                    due += campaignSends[t - d] / delay;
                }
                int changes = (int) Math.floor(changeCarry += due);
                changeCarry -= changes;
                for (int i = 0; i < changes; i++) {
                    campaignEvent(t, random.nextDouble() < s.campaignFail() ? Transition.FAIL : Transition.DELIVER);
                }
            }
            for (Store store : Store.values()) {
                double[] p = peak.get(store);
                p[0] = Math.max(p[0], total.get(store));
                p[1] += total.get(store);
            }
            for (Store store : TRACKED) {
                boolean over = false;
                for (Map.Entry<String, Double> e : perKey.get(store).entrySet()) {
                    if (e.getValue() > hottestPeak.get(store)) {
                        hottestPeak.put(store, e.getValue());
                        hottestKey.put(store, e.getKey());
                    }
                    over |= e.getValue() > WRITE_LIMIT;
                }
                if (over) {
                    overLimit.merge(store, 1, Integer::sum);
                }
            }
        }

        void backgroundEvent(int t, Transition transition) {
            boolean campaign = random.nextDouble() < mix.campaignShare();
            String marketing = campaign ? "bg-campaign-" + draw(campaignCdf) : null;
            String user = "user-" + draw(userCdf);
            charge(t, transition, campaign ? Kind.CAMPAIGN : Kind.TRANSACTIONAL, user, marketing);
        }

        void campaignEvent(int t, Transition transition) {
            charge(t, transition, Kind.CAMPAIGN, null, "campaign-1M");
        }

        /** Adds a command's units to the totals and to the keys it writes (user null: a key that does not repeat). */
        void charge(int t, Transition transition, Kind kind, String user, String marketing) {
            TransitionCosts c = costs.get(kind);
            String viewSk = ViewKeys.viewSk(Samples.CREATED + t * 1_000L + random.nextInt(1_000), "tx-" + (counter++));
            for (Store store : Store.values()) {
                long units = c.units(transition, store);
                if (units == 0) {
                    continue;
                }
                total.merge(store, (double) units, Double::sum);
                String key = switch (store) {
                    case VIEWS -> user;
                    case MARKETING_INDEX -> marketing == null ? null : layout.marketingKey(marketing, viewSk);
                    case FAILURES_INDEX -> layout.failureKey(viewSk);
                    default -> null;
                };
                if (key != null) {
                    perKey.get(store).merge(key, (double) units, Double::sum);
                }
            }
        }

        int draw(double[] cdf) {
            int i = Arrays.binarySearch(cdf, random.nextDouble());
            return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
        }

        Result result() {
            Map<Store, StoreLoad> loads = new EnumMap<>(Store.class);
            for (Store store : Store.values()) {
                boolean tracked = Arrays.asList(TRACKED).contains(store);
                double[] p = peak.get(store);
                double hottest = tracked ? hottestPeak.get(store) : perNotificationBound(costs, store);
                String key = tracked ? hottestKey.get(store) : "(one notification's key)";
                loads.put(store, new StoreLoad(store, p[0], p[1] / s.seconds(), key, hottest, overLimit.get(store), tracked));
            }
            return new Result(s, layout, loads, notifications);
        }
    }

    /** The cumulative distribution of Zipf(s) over n ranks. */
    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }
}
