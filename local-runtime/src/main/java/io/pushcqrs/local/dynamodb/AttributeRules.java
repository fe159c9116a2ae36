package io.pushcqrs.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB's rules for one attribute value in its JSON form ({@code {"S":..}}, {@code {"N":".."}}, {@code {"M":{..}}}...)
 * and for item sizes, as the DynamoDB developer guide states them ("Supported data types and naming rules",
 * "Item sizes and formats", "Constraints"). Pure: no I/O. Each check answers null when the value is valid, else the
 * message DynamoDB's ValidationException carries (see docs/local-runtime.md for where each text comes from).
 */
public final class AttributeRules {
    /** The largest item, names and values included: 400 KB. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;
    /** Attribute names are 1 byte to 64 KB (65,535 bytes) of UTF-8. */
    public static final int MAX_NAME_BYTES = 65_535;
    /** Documents nest at most 32 levels deep. */
    public static final int MAX_DEPTH = 32;
    /** Numbers keep at most 38 significant digits. */
    public static final int MAX_DIGITS = 38;
    /** Positive and negative numbers range from 1E-130 to 9.99..E+125 in magnitude. */
    static final int MAX_EXPONENT = 125;
    static final int MIN_EXPONENT = -130;

    static final String EMPTY_VALUE = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    static final String SEVERAL_TYPES =
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
    static final String EMPTY_NAME = "One or more parameter values were invalid: An attribute name may not be empty";
    static final String NESTING = "Nesting Levels have exceeded supported limits";
    static final String NULL_FALSE = "One or more parameter values were invalid: Null attribute value types must have the value of true";
    static final String OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range";
    static final String UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range";
    static final String TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";
    static final String NOT_A_NUMBER = "The parameter cannot be converted to a numeric value";

    private static final Set<String> TYPES = Set.of("S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "M", "L");

    private AttributeRules() {
    }

    /** The one type key of an attribute value ("S", "M"...), or null when it has none or several. */
    public static String type(JsonNode value) {
        String found = null;
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (TYPES.contains(k) && !value.get(k).isNull()) {
                if (found != null) {
                    return null;
                }
                found = k;
            }
        }
        return found;
    }

    /** Checks an attribute value and everything in it. */
    public static String checkValue(JsonNode value) {
        return checkValue(value, 1);
    }

    private static String checkValue(JsonNode value, int depth) {
        if (depth > MAX_DEPTH) {
            return NESTING;
        }
        if (value == null || !value.isObject()) {
            return EMPTY_VALUE;
        }
        int types = 0;
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (TYPES.contains(k) && !value.get(k).isNull()) {
                types++;
            }
        }
        if (types == 0) {
            return EMPTY_VALUE;
        }
        if (types > 1) {
            return SEVERAL_TYPES;
        }
        String type = type(value);
        JsonNode v = value.get(type);
        switch (type) {
            case "N":
                return checkNumber(v.asText());
            case "NULL":
                return v.asBoolean(false) ? null : NULL_FALSE;
            case "SS":
                return checkSet(v, "string", "SS");
            case "NS":
                return checkSet(v, "number", "NS");
            case "BS":
                return checkSet(v, "binary", "BS");
            case "M": {
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String problem = checkName(e.getKey());
                    if (problem == null) {
                        problem = checkValue(e.getValue(), depth + 1);
                    }
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            case "L": {
                for (JsonNode element : v) {
                    String problem = checkValue(element, depth + 1);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            default:
                return null;
        }
    }

    /** An attribute name, at the top of an item or a key of a map at any depth: 1 to 65,535 bytes. */
    public static String checkName(String name) {
        if (name.isEmpty()) {
            return EMPTY_NAME;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "One or more parameter values were invalid: Size of attribute name has exceeded the maximum size limit of "
                    + MAX_NAME_BYTES + " bytes";
        }
        return null;
    }

    /** A number: parseable, at most 38 significant digits, magnitude within 1E-130 .. 9.99E+125 (or zero). */
    public static String checkNumber(String text) {
        if (text == null || text.isEmpty()) {
            return NOT_A_NUMBER;
        }
        BigDecimal n;
        try {
            n = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return NOT_A_NUMBER + ": " + text;
        }
        if (n.signum() == 0) {
            return null;
        }
        BigDecimal stripped = n.stripTrailingZeros();
        long exponent = (long) stripped.precision() - stripped.scale() - 1;
        if (exponent > MAX_EXPONENT) {
            return OVERFLOW;
        }
        if (exponent < MIN_EXPONENT) {
            return UNDERFLOW;
        }
        if (stripped.precision() > MAX_DIGITS) {
            return TOO_MANY_DIGITS;
        }
        return null;
    }

    private static String checkSet(JsonNode members, String word, String type) {
        if (!members.isArray() || members.isEmpty()) {
            return "One or more parameter values were invalid: An " + word + " set  may not be empty";
        }
        List<String> shown = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        boolean duplicate = false;
        for (JsonNode m : members) {
            String text = m.asText();
            Object key = text;
            if (type.equals("NS")) {
                String problem = checkNumber(text);
                if (problem != null) {
                    return problem;
                }
                key = new BigDecimal(text.strip()).stripTrailingZeros();
            }
            shown.add(text);
            duplicate |= !seen.add(key);
        }
        if (!duplicate) {
            return null;
        }
        return switch (type) {
            case "SS" -> "One or more parameter values were invalid: Input collection " + shown + " contains duplicates.";
            case "NS" -> "Input collection contains duplicates";
            default -> "One or more parameter values were invalid: Input collection " + shown + "of type BS contains duplicates.";
        };
    }

    /** The size DynamoDB counts for an item: every name plus every value ("Item sizes and formats"). */
    public static long itemSize(JsonNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    /**
     * The size of one value: strings their UTF-8 bytes, binaries their bytes, numbers one byte per two significant
     * digits plus one, booleans and nulls one byte, sets the sum of their members, lists and maps 3 bytes plus one
     * byte and the size of each element (and each key's name).
     */
    public static long valueSize(JsonNode value) {
        String type = type(value);
        if (type == null) {
            return 0;
        }
        JsonNode v = value.get(type);
        return switch (type) {
            case "S" -> utf8(v.asText());
            case "N" -> numberSize(v.asText());
            case "B" -> binarySize(v.asText());
            case "BOOL", "NULL" -> 1;
            case "SS" -> sum(v, m -> utf8(m.asText()));
            case "NS" -> sum(v, m -> numberSize(m.asText()));
            case "BS" -> sum(v, m -> binarySize(m.asText()));
            case "L" -> 3 + sum(v, m -> 1 + valueSize(m));
            case "M" -> {
                long s = 3;
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    s += 1 + utf8(e.getKey()) + valueSize(e.getValue());
                }
                yield s;
            }
            default -> 0;
        };
    }

    static long numberSize(String text) {
        try {
            BigDecimal n = new BigDecimal(text.strip()).stripTrailingZeros();
            int digits = n.signum() == 0 ? 1 : n.precision();
            return (digits + 1) / 2 + 1;
        } catch (NumberFormatException e) {
            return utf8(text);
        }
    }

    static long binarySize(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return utf8(base64);
        }
    }

    static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long sum(JsonNode array, java.util.function.ToLongFunction<JsonNode> f) {
        long s = 0;
        for (JsonNode m : array) {
            s += f.applyAsLong(m);
        }
        return s;
    }
}
