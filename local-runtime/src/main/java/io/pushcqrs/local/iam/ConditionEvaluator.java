package io.pushcqrs.local.iam;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Evaluates a statement's Condition block against a request's {@link RequestContext}, as IAM does:
 * <ul>
 *   <li>every operator block must hold, and every key within a block; the values listed for one key are
 *       alternatives (any may match);</li>
 *   <li>String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress, Arn*, Null; the {@code ...IfExists}
 *       suffix; the {@code ForAllValues:} and {@code ForAnyValue:} set prefixes;</li>
 *   <li>a key the request does not have makes a positive operator false and a negated one ({@code StringNotEquals},
 *       {@code ArnNotLike}...) true; {@code IfExists} makes it true; {@code ForAllValues} true, {@code ForAnyValue}
 *       false; {@code Null: true} holds exactly when the key is absent;</li>
 *   <li>policy variables ({@code ${aws:PrincipalTag/team}}) in the values are substituted (Version 2012-10-17).</li>
 * </ul>
 */
public final class ConditionEvaluator {
    private static final Set<String> POSITIVE = Set.of("StringEquals", "StringEqualsIgnoreCase", "StringLike",
            "NumericEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
            "DateEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool",
            "BinaryEquals", "IpAddress", "ArnEquals", "ArnLike");
    private static final Map<String, String> NEGATED = Map.of("StringNotEquals", "StringEquals",
            "StringNotEqualsIgnoreCase", "StringEqualsIgnoreCase", "StringNotLike", "StringLike",
            "NumericNotEquals", "NumericEquals", "DateNotEquals", "DateEquals", "NotIpAddress", "IpAddress",
            "ArnNotEquals", "ArnEquals", "ArnNotLike", "ArnLike");

    private ConditionEvaluator() {
    }

    /** True for an operator IAM accepts (with its IfExists / ForAllValues: / ForAnyValue: forms). */
    public static boolean knows(String operator) {
        Parsed p = parse(operator);
        return p != null;
    }

    /** True when the whole Condition block holds for the request (a null block always holds). */
    public static boolean holds(JsonNode condition, RequestContext ctx, boolean variables) {
        if (condition == null || condition.isNull() || condition.isMissingNode()) {
            return true;
        }
        for (Map.Entry<String, JsonNode> block : condition.properties()) {
            Parsed op = parse(block.getKey());
            if (op == null) {
                return false; // refused at load; never reached
            }
            for (Map.Entry<String, JsonNode> key : block.getValue().properties()) {
                List<String> expected = new ArrayList<>();
                if (key.getValue().isArray()) {
                    key.getValue().forEach(v -> expected.add(v.asText()));
                } else {
                    expected.add(key.getValue().asText());
                }
                if (!keyHolds(op, ctx.values(key.getKey()), expected, ctx, variables)) {
                    return false;
                }
            }
        }
        return true;
    }

    private record Parsed(String base, boolean negated, boolean ifExists, String set) {
    }

    private static Parsed parse(String operator) {
        String op = operator;
        String set = null;
        if (op.startsWith("ForAllValues:")) {
            set = "all";
            op = op.substring("ForAllValues:".length());
        } else if (op.startsWith("ForAnyValue:")) {
            set = "any";
            op = op.substring("ForAnyValue:".length());
        }
        boolean ifExists = false;
        if (op.endsWith("IfExists")) {
            ifExists = true;
            op = op.substring(0, op.length() - "IfExists".length());
        }
        if (op.equals("Null")) {
            return ifExists || set != null ? null : new Parsed("Null", false, false, null);
        }
        if (POSITIVE.contains(op)) {
            return new Parsed(op, false, ifExists, set);
        }
        if (NEGATED.containsKey(op)) {
            return new Parsed(NEGATED.get(op), true, ifExists, set);
        }
        return null;
    }

    private static boolean keyHolds(Parsed op, List<String> actual, List<String> expectedRaw, RequestContext ctx,
                                    boolean variables) {
        if (op.base().equals("Null")) {
            boolean absent = actual == null || actual.isEmpty();
            return expectedRaw.stream().anyMatch(e -> Boolean.parseBoolean(e) == absent);
        }
        if (actual == null || actual.isEmpty()) {
            if (op.ifExists()) {
                return true;
            }
            if ("all".equals(op.set())) {
                return true;
            }
            if ("any".equals(op.set())) {
                return false;
            }
            return op.negated();
        }
        List<String> expected = new ArrayList<>();
        for (String e : expectedRaw) {
            String v = variables ? ctx.substitute(e) : e;
            if (v != null) {
                expected.add(v);
            }
        }
        BiPredicate<String, String> compare = comparison(op.base());
        // one actual value against the list: matches any expected (positive) / none (negated)
        java.util.function.Predicate<String> valueHolds = a -> {
            boolean any = expected.stream().anyMatch(e -> compare.test(a, e));
            return op.negated() != any;
        };
        if ("all".equals(op.set())) {
            return actual.stream().allMatch(valueHolds);
        }
        if ("any".equals(op.set())) {
            return actual.stream().anyMatch(valueHolds);
        }
        // a single-valued use: positive holds when a value matches; negated when no value matches
        boolean anyMatch = actual.stream().anyMatch(a -> expected.stream().anyMatch(e -> compare.test(a, e)));
        return op.negated() != anyMatch;
    }

    private static BiPredicate<String, String> comparison(String base) {
        return switch (base) {
            case "StringEquals" -> String::equals;
            case "StringEqualsIgnoreCase" -> String::equalsIgnoreCase;
            case "StringLike" -> (a, e) -> Wildcards.matches(e, a, false);
            case "NumericEquals" -> (a, e) -> cmp(numeric(a, e), c -> c == 0);
            case "NumericLessThan" -> (a, e) -> cmp(numeric(a, e), c -> c < 0);
            case "NumericLessThanEquals" -> (a, e) -> cmp(numeric(a, e), c -> c <= 0);
            case "NumericGreaterThan" -> (a, e) -> cmp(numeric(a, e), c -> c > 0);
            case "NumericGreaterThanEquals" -> (a, e) -> cmp(numeric(a, e), c -> c >= 0);
            case "DateEquals" -> (a, e) -> cmp(date(a, e), c -> c == 0);
            case "DateLessThan" -> (a, e) -> cmp(date(a, e), c -> c < 0);
            case "DateLessThanEquals" -> (a, e) -> cmp(date(a, e), c -> c <= 0);
            case "DateGreaterThan" -> (a, e) -> cmp(date(a, e), c -> c > 0);
            case "DateGreaterThanEquals" -> (a, e) -> cmp(date(a, e), c -> c >= 0);
            case "Bool" -> (a, e) -> a.equalsIgnoreCase(e);
            case "BinaryEquals" -> String::equals;
            case "IpAddress" -> ConditionEvaluator::inCidr;
            case "ArnEquals", "ArnLike" -> (a, e) -> Wildcards.arnMatches(e, a);
            default -> (a, e) -> false;
        };
    }

    private static boolean cmp(Integer c, java.util.function.IntPredicate test) {
        return c != null && test.test(c);
    }

    /** The sign of a - e, or null when either is not a number (then no comparison holds). */
    private static Integer numeric(String a, String e) {
        try {
            return Integer.signum(new BigDecimal(a.trim()).compareTo(new BigDecimal(e.trim())));
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static Integer date(String a, String e) {
        Instant x = instant(a);
        Instant y = instant(e);
        return x == null || y == null ? null : Integer.signum(x.compareTo(y));
    }

    private static Instant instant(String s) {
        String t = s.trim();
        try {
            if (t.matches("-?\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(t));
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return Instant.parse(t + "T00:00:00Z");
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException | NumberFormatException ex) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException ex2) {
                return null;
            }
        }
    }

    private static boolean inCidr(String address, String cidr) {
        if (!address.trim().matches("[0-9A-Fa-f:.]+") || !cidr.trim().matches("[0-9A-Fa-f:.]+(/\\d{1,3})?")) {
            return false; // literals only: never a name lookup
        }
        try {
            String[] parts = cidr.trim().split("/", 2);
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] ip = InetAddress.getByName(address.trim()).getAddress();
            if (net.length != ip.length) {
                return false;
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8;
            for (int i = 0; i < net.length; i++) {
                int take = Math.max(0, Math.min(8, bits - i * 8));
                int mask = take == 0 ? 0 : (0xff << (8 - take)) & 0xff;
                if ((net[i] & mask) != (ip[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
