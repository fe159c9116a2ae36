package io.pushcqrs.local.iam;

import java.util.Locale;

/**
 * IAM's matching of actions, resources and condition values: {@code *} matches any run of characters (also none, and
 * also {@code /} and {@code :}), {@code ?} exactly one character.
 * <ul>
 *   <li>actions ({@code dynamodb:Query}) match without regard to case;</li>
 *   <li>ARNs match component by component, as {@code ArnLike} does: the six colon-separated parts (arn, partition,
 *       service, region, account, resource; the resource part keeps any further colons) are matched each on its
 *       own and with case; a pattern of exactly {@code *} matches every resource, also the {@code *} of an action
 *       that has no resource-level permissions. A pattern short of components ({@code arn:aws:sqs:*}) matches no
 *       ARN (its {@code *} does not stand for the missing components).</li>
 * </ul>
 */
public final class Wildcards {
    private Wildcards() {
    }

    /** Glob matching with {@code *} and {@code ?} over the whole value. */
    public static boolean matches(String pattern, String value, boolean ignoreCase) {
        if (pattern == null || value == null) {
            return false;
        }
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        int pi = 0;
        int vi = 0;
        int star = -1;
        int starV = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                starV = vi;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++starV;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /** An Action / NotAction entry against an action: case-insensitive glob. */
    public static boolean actionMatches(String pattern, String action) {
        return matches(pattern, action, true);
    }

    /** A Resource / NotResource entry (or an ArnLike value) against a resource ARN. */
    public static boolean arnMatches(String pattern, String arn) {
        if (pattern == null || arn == null) {
            return false;
        }
        if (pattern.equals("*")) {
            return true;
        }
        String[] p = pattern.split(":", 6);
        String[] a = arn.split(":", 6);
        if (p.length < 6 || a.length < 6) {
            // an ARN pattern short of components matches no ARN; two non-ARNs match as wholes
            return p.length < 6 && a.length < 6 && matches(pattern, arn, false);
        }
        for (int i = 0; i < 6; i++) {
            if (!matches(p[i], a[i], false)) {
                return false;
            }
        }
        return true;
    }
}
