package io.pushcqrs.model.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Map;

/**
 * DynamoDB's rule for numbers, applied to every number of a request before it is bound or mapped:
 * at most 38 significant digits, a magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125,
 * or zero. A zero must be written with an exponent inside the same range (-130..125): {@code 0e-999999999}
 * is zero, but expanding it (toPlainString) would allocate a gigabyte, so it is refused like any number
 * DynamoDB cannot hold. Every check here is cheap whatever the exponent (no expansion of the digits).
 */
public final class DynamoNumbers {
    public static final int MAX_DIGITS = 38;
    public static final int MIN_EXPONENT = -130;
    public static final int MAX_EXPONENT = 125;
    public static final BigDecimal MIN_MAGNITUDE = new BigDecimal("1E-130");
    public static final BigDecimal MAX_MAGNITUDE = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    static final String RULE = "must have at most " + MAX_DIGITS + " significant digits and a magnitude between 1E-130 and "
            + "9.9999999999999999999999999999999999999E+125, or be 0 (DynamoDB's number range)";

    private DynamoNumbers() {
    }

    /** True when DynamoDB can store the number as it is written. */
    public static boolean storable(BigDecimal value) {
        if (value.signum() == 0) {
            // the exponent of a zero as written: 0E-5 is 0.00000
            long exponent = -(long) value.scale();
            return exponent >= MIN_EXPONENT && exponent <= MAX_EXPONENT;
        }
        // precision() and compareTo() work on the unscaled digits and the scale: no expansion
        BigDecimal abs = value.abs();
        return abs.compareTo(MIN_MAGNITUDE) >= 0 && abs.compareTo(MAX_MAGNITUDE) <= 0
                && abs.stripTrailingZeros().precision() <= MAX_DIGITS;
    }

    /** The problem of a number, for a field error: null when it is storable. */
    public static String problem(BigDecimal value) {
        return storable(value) ? null : RULE;
    }

    /**
     * Checks every number node of a JSON tree (at any depth), adding a field error for each one DynamoDB
     * could not store; {@code path} names the tree (empty for a whole body).
     */
    public static void check(Checks checks, String path, JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isNumber()) {
            if (!storable(node.decimalValue())) {
                checks.add(path.isEmpty() ? "body" : path, RULE);
            }
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                check(checks, path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(checks, path + "[" + i + "]", node.get(i));
            }
        }
    }
}
