package io.pushcqrs.model.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The free-form {@code payload}: a JSON object stored as a DynamoDB map (M), numbers exact both ways.
 * <ul>
 *   <li>writing: objects become M, arrays L, numbers N in plain notation (any zero as {@code 0}), null NULL; an empty
 *       payload ({}, "", null) is left out of the item. Numbers arrive checked against DynamoDB's range
 *       ({@code validation.DynamoNumbers}), so the plain form is short;</li>
 *   <li>reading: every type (S, N, BOOL, NULL, M, L, SS, NS, BS, B) becomes JSON; an integer literal becomes an
 *       int, long or big-integer node and anything with a fraction or exponent an exact decimal, as {@code Json}
 *       parses the same literal, so a payload read back equals the one the client sent. A value without a type is a
 *       {@link MappingException} naming its path ({@code payload.deep[2]}).</li>
 * </ul>
 */
public final class PayloadConverter implements AttributeConverter<JsonNode> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String field;

    public PayloadConverter(String field) {
        this.field = field;
    }

    @Override
    public AttributeValue transformFrom(JsonNode input) {
        return input == null || isEmpty(input) ? Converters.ABSENT : toAttributeValue(input);
    }

    @Override
    public JsonNode transformTo(AttributeValue input) {
        return input == null || Boolean.TRUE.equals(input.nul()) ? null : toJson(field, input);
    }

    @Override
    public EnhancedType<JsonNode> type() {
        return EnhancedType.of(JsonNode.class);
    }

    @Override
    public AttributeValueType attributeValueType() {
        return AttributeValueType.M;
    }

    /** True for what the item leaves out: null, missing, an empty string or an empty object or array. */
    static boolean isEmpty(JsonNode node) {
        return node.isNull() || node.isMissingNode()
                || (node.isTextual() && node.textValue().isEmpty())
                || (node.isContainerNode() && node.isEmpty());
    }

    /** Any AttributeValue as JSON; {@code path} names it in a {@link MappingException}. */
    public static JsonNode toJson(String path, AttributeValue v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v.s() != null) {
            return NODES.textNode(v.s());
        }
        if (v.n() != null) {
            return number(path, v.n());
        }
        if (v.bool() != null) {
            return NODES.booleanNode(v.bool());
        }
        if (Boolean.TRUE.equals(v.nul())) {
            return NODES.nullNode();
        }
        if (v.hasM()) {
            ObjectNode obj = NODES.objectNode();
            v.m().forEach((k, child) -> obj.set(k, toJson(path + "." + k, child)));
            return obj;
        }
        if (v.hasL()) {
            ArrayNode arr = NODES.arrayNode();
            List<AttributeValue> list = v.l();
            for (int i = 0; i < list.size(); i++) {
                arr.add(toJson(path + "[" + i + "]", list.get(i)));
            }
            return arr;
        }
        if (v.hasSs()) {
            ArrayNode arr = NODES.arrayNode();
            v.ss().forEach(arr::add);
            return arr;
        }
        if (v.hasNs()) {
            ArrayNode arr = NODES.arrayNode();
            v.ns().forEach(x -> arr.add(number(path, x)));
            return arr;
        }
        if (v.hasBs()) {
            ArrayNode arr = NODES.arrayNode();
            v.bs().forEach(b -> arr.add(NODES.binaryNode(b.asByteArray())));
            return arr;
        }
        if (v.b() != null) {
            return NODES.binaryNode(v.b().asByteArray());
        }
        throw new MappingException(path, "unsupported attribute type " + Converters.typeOf(v));
    }

    /** JSON as an AttributeValue: objects to M, arrays to L, numbers to exact N. */
    public static AttributeValue toAttributeValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return AttributeValue.fromNul(true);
        }
        if (node.isTextual()) {
            return AttributeValue.fromS(node.textValue());
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            return AttributeValue.fromN(value.signum() == 0 ? "0" : value.toPlainString());
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.booleanValue());
        }
        if (node.isBinary()) {
            try {
                return AttributeValue.fromB(SdkBytes.fromByteArray(node.binaryValue()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        if (node.isObject()) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            node.properties().forEach(e -> m.put(e.getKey(), toAttributeValue(e.getValue())));
            return AttributeValue.fromM(m);
        }
        List<AttributeValue> l = new ArrayList<>();
        node.forEach(child -> l.add(toAttributeValue(child)));
        return AttributeValue.fromL(l);
    }

    /** A number node as Json.MAPPER would parse the same literal. */
    private static JsonNode number(String path, String literal) {
        try {
            if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
                BigInteger big = new BigInteger(literal);
                if (big.bitLength() < 32) {
                    return NODES.numberNode(big.intValue());
                }
                return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
            }
            return NODES.numberNode(new BigDecimal(literal));
        } catch (NumberFormatException e) {
            throw new MappingException(path, "not a number: " + literal);
        }
    }
}
