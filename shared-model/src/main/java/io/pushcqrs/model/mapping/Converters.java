package io.pushcqrs.model.mapping;

import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The items' scalar converters: strict where the enhanced client's defaults are lenient, one instance per attribute
 * so that a {@link MappingException} names the field and the stored value.
 * <ul>
 *   <li>writing: an empty string is left out of the item (DynamoDB refuses empty key values, and the read side
 *       treats empty as absent), as a null is;</li>
 *   <li>reading: NULL and an empty string read as absent; a string is never read as a number nor a number as a
 *       string (the defaults convert both ways); an integer must be an integer that fits its Java type; an enum
 *       value must be one of the constants.</li>
 * </ul>
 */
final class Converters {
    private Converters() {
    }

    /** The AttributeValue of a value the item leaves out: the schemas write with ignoreNulls, so NULLs are skipped. */
    static final AttributeValue ABSENT = AttributeValue.fromNul(true);

    static AttributeConverter<String> text(String field) {
        return new Strict<>(String.class, AttributeValueType.S, s -> s.isEmpty() ? ABSENT : AttributeValue.fromS(s),
                v -> {
                    if (v.s() == null) {
                        throw new MappingException(field, "expected a string (S) but was " + stored(v));
                    }
                    return v.s().isEmpty() ? null : v.s();
                });
    }

    static AttributeConverter<Long> integer(String field) {
        return new Strict<>(Long.class, AttributeValueType.N, n -> AttributeValue.fromN(n.toString()),
                v -> longValue(field, v));
    }

    static AttributeConverter<Integer> retryCount(String field) {
        return new Strict<>(Integer.class, AttributeValueType.N, n -> AttributeValue.fromN(n.toString()), v -> {
            long n = longValue(field, v);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new MappingException(field, "must be between 0 and " + Integer.MAX_VALUE + ", was " + n);
            }
            return (int) n;
        });
    }

    static AttributeConverter<Boolean> bool(String field) {
        return new Strict<>(Boolean.class, AttributeValueType.BOOL, AttributeValue::fromBool, v -> {
            if (v.bool() == null) {
                throw new MappingException(field, "expected a boolean (BOOL) but was " + stored(v));
            }
            return v.bool();
        });
    }

    static <E extends Enum<E>> AttributeConverter<E> enumOf(String field, Class<E> type) {
        AttributeConverter<String> text = text(field);
        return new Strict<>(type, AttributeValueType.S, e -> AttributeValue.fromS(e.name()), v -> {
            String raw = text.transformTo(v);
            if (raw == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, raw);
            } catch (IllegalArgumentException e) {
                throw new MappingException(field, "unknown value '" + shorten(raw) + "' (expected one of "
                        + Arrays.toString(type.getEnumConstants()) + ")");
            }
        });
    }

    static long longValue(String field, AttributeValue v) {
        if (v.n() == null) {
            throw new MappingException(field, "expected a number (N) but was " + stored(v));
        }
        try {
            return new BigDecimal(v.n()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MappingException(field, "expected an integer that fits in 64 bits but was " + shorten(v.n()));
        }
    }

    /** A stored value for a message: its type and, for a scalar, the value itself (shortened). */
    static String stored(AttributeValue v) {
        if (v.s() != null) {
            return "S '" + shorten(v.s()) + "'";
        }
        if (v.n() != null) {
            return "N " + shorten(v.n());
        }
        if (v.bool() != null) {
            return "BOOL " + v.bool();
        }
        return typeOf(v);
    }

    static String typeOf(AttributeValue v) {
        AttributeValue.Type type = v.type();
        return type == null || type == AttributeValue.Type.UNKNOWN_TO_SDK_VERSION ? "an empty value" : type.name();
    }

    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** A converter from two functions. */
    private record Strict<T>(Class<T> javaType, AttributeValueType storedType, Function<T, AttributeValue> write,
                             Function<AttributeValue, T> read) implements AttributeConverter<T> {
        @Override
        public AttributeValue transformFrom(T input) {
            return input == null ? ABSENT : write.apply(input);
        }

        @Override
        public T transformTo(AttributeValue input) {
            return input == null || Boolean.TRUE.equals(input.nul()) ? null : read.apply(input);
        }

        @Override
        public EnhancedType<T> type() {
            return EnhancedType.of(javaType);
        }

        @Override
        public AttributeValueType attributeValueType() {
            return storedType;
        }
    }
}
