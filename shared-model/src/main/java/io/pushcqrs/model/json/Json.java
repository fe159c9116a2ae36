package io.pushcqrs.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.pushcqrs.model.validation.Checks;
import io.pushcqrs.model.validation.DynamoNumbers;
import io.pushcqrs.model.validation.ValidationException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The one JSON setup: snake_case names, nulls left out, exact decimals, unknown fields and
 * duplicate keys rejected, no coercion between JSON types (a number is not read as an enum or a
 * string, a string not as a number). {@link #read} turns every parse problem into a
 * {@link ValidationException} that names the field, so a handler never answers bad JSON with a stack
 * trace; it checks every number of the body against DynamoDB's range before anything binds it.
 */
public final class Json {
    public static final ObjectMapper MAPPER = mapper();

    private static ObjectMapper mapper() {
        JsonMapper.Builder b = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        // "version": "1" is not a number, "user_id": 12 is not a string, "created_at": "" is not absent
        refuse(b, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.EmptyString,
                CoercionInputShape.Boolean, CoercionInputShape.Float);
        refuse(b, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.EmptyString,
                CoercionInputShape.Boolean);
        refuse(b, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString,
                CoercionInputShape.Integer);
        refuse(b, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(b, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.EmptyString);
        return b.build();
    }

    /** No coercion of these JSON shapes into this type: binding them is a validation error. */
    private static void refuse(JsonMapper.Builder b, LogicalType type, CoercionInputShape... shapes) {
        b.withCoercionConfig(type, c -> {
            for (CoercionInputShape shape : shapes) {
                c.setCoercion(shape, CoercionAction.Fail);
            }
        });
    }

    private Json() {
    }

    /**
     * Parses a request body into a type; any problem is a field-level validation error. The body is
     * parsed into a tree first and every number in it, at any depth, is checked against DynamoDB's range
     * ({@link DynamoNumbers}) before the tree is bound: no number outside it reaches a mapper.
     */
    public static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new ValidationException("body", "is required (a JSON object)");
        }
        JsonNode tree = readTree(json);
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ValidationException("body", "is required (a JSON object)");
        }
        Checks numbers = new Checks();
        DynamoNumbers.check(numbers, "", tree);
        io.pushcqrs.model.validation.UnicodeCheck.check(numbers, "", tree);
        numbers.throwIfAny();
        try {
            T value = MAPPER.treeToValue(tree, type);
            if (value == null) {
                throw new ValidationException("body", "must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ValidationException(path(e), "is not a known field");
        } catch (InvalidFormatException e) {
            String expected = e.getTargetType() != null && e.getTargetType().isEnum()
                    ? "must be one of " + Arrays.stream(e.getTargetType().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "))
                    : "has the wrong type (expected " + simpleName(e.getTargetType()) + ")";
            throw new ValidationException(path(e), expected + ", was " + quote(e.getValue()));
        } catch (MismatchedInputException e) {
            String field = path(e);
            String what = e.getTargetType() == null ? "a different value" : simpleName(e.getTargetType());
            throw new ValidationException(field.isEmpty() ? "body" : field,
                    field.isEmpty() ? "must be a JSON object" : "has the wrong type (expected " + what + ")");
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new ValidationException(field.isEmpty() ? "body" : field, "is invalid: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Parses JSON into a tree; malformed JSON (and a number literal no decimal can hold, such as an
     * exponent of more than 10 digits) is a validation error on "body".
     */
    public static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ValidationException("body", "is not valid JSON: a number cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Writes any value as JSON (never throws a checked exception). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return type.getSimpleName();
    }

    private static String quote(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
