package io.pushcqrs.model.validation;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Property-style checks (many generated inputs per rule, fixed seeds so a failure repeats) of what a request
 * body may hold: numbers DynamoDB can store, times in epoch milliseconds, no coercion between JSON types.
 */
class InputBoundsTest {
    static final int RUNS = 500;

    static ValidationException rejected(String json) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> Json.read(json, Notification.class));
        assertThat(e).as("refused: %s", json).isNotNull();
        return e;
    }

    static List<String> fields(ValidationException e) {
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void theSixtyByteZeroThatExpandedToAGigabyteIsRefusedAtOnce() {
        String body = "{\"payload\":{\"x\":0e-999999999}}";
        long started = System.nanoTime();
        ValidationException e = rejected(body);
        assertThat(fields(e)).containsExactly("payload.x");
        assertThat(e.getMessage()).contains("38 significant digits").contains("1E-130");
        // no expansion happened: a 1 GB toPlainString would take seconds and an OutOfMemoryError
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void numbersWithExponentsOutsideDynamoDbsRangeAreRefusedAnywhereInTheBody() {
        Random random = new Random(11);
        for (int i = 0; i < RUNS; i++) {
            boolean tiny = random.nextBoolean();
            int exponent = tiny ? -(131 + random.nextInt(999_999_000)) : 126 + random.nextInt(999_999_000);
            String digit = random.nextInt(4) == 0 ? "0" : Integer.toString(1 + random.nextInt(9));
            String literal = (random.nextBoolean() ? "-" : "") + digit + "e" + exponent;
            if (digit.equals("0") && exponent >= -130 && exponent <= 125) {
                continue;
            }
            String where = switch (random.nextInt(4)) {
                case 0 -> "{\"payload\":{\"a\":" + literal + "}}";
                case 1 -> "{\"payload\":{\"list\":[1,{\"deep\":[" + literal + "]}]}}";
                case 2 -> "{\"retry_cnt\":" + literal + "}";
                default -> "{\"created_at\":" + literal + "}";
            };
            rejected(where);
        }
    }

    @Test
    void tooManySignificantDigitsAreRefusedAndThirtyEightAreKept() {
        Random random = new Random(12);
        for (int i = 0; i < RUNS; i++) {
            int digits = 39 + random.nextInt(60);
            BigInteger unscaled = new BigInteger(digits * 4, random).add(BigInteger.TEN.pow(digits - 1));
            String value = unscaled.toString();
            if (!value.endsWith("0")) {
                rejected("{\"payload\":{\"n\":" + value.charAt(0) + "." + value.substring(1) + "}}");
            }
            String kept = value.substring(0, 38);
            Notification n = Json.read("{\"payload\":{\"n\":" + kept.charAt(0) + "." + kept.substring(1) + "}}",
                    Notification.class);
            assertThat(n.payload().get("n").decimalValue().precision()).isLessThanOrEqualTo(38);
        }
    }

    @Test
    void numbersInsideTheRangeRoundTripThroughTheMapperExactly() {
        Random random = new Random(13);
        for (int i = 0; i < RUNS; i++) {
            BigDecimal value = new BigDecimal(new BigInteger(1 + random.nextInt(120), random),
                    random.nextInt(160) - 20);
            if (value.signum() == 0 || !DynamoNumbers.storable(value)) {
                continue;
            }
            Notification n = Json.read("{\"payload\":{\"n\":" + value + "}}", Notification.class);
            String stored = NotificationMapper.toAttributeValue(n.payload()).m().get("n").n();
            assertThat(new BigDecimal(stored)).isEqualByComparingTo(value);
            assertThat(stored.length()).isLessThan(200);
        }
        assertThat(DynamoNumbers.storable(new BigDecimal("9.9999999999999999999999999999999999999E+125"))).isTrue();
        assertThat(DynamoNumbers.storable(new BigDecimal("1E+126"))).isFalse();
        assertThat(DynamoNumbers.storable(new BigDecimal("1E-130"))).isTrue();
        assertThat(DynamoNumbers.storable(new BigDecimal("9.9E-131"))).isFalse();
        assertThat(DynamoNumbers.storable(new BigDecimal("0E-130"))).isTrue();
        assertThat(DynamoNumbers.storable(new BigDecimal("0E+126"))).isFalse();
    }

    @Test
    void aZeroWithAScaleInRangeIsStoredAsZero() {
        Notification n = Json.read("{\"payload\":{\"z\":0.000,\"e\":0e-5}}", Notification.class);
        assertThat(NotificationMapper.toAttributeValue(n.payload()).m().get("z").n()).isEqualTo("0");
        assertThat(NotificationMapper.toAttributeValue(n.payload()).m().get("e").n()).isEqualTo("0");
    }

    @Test
    void exponentsNoDecimalCanHoldAreInvalidJsonNotACrash() {
        ValidationException e = rejected("{\"payload\":{\"x\":1e99999999999}}");
        assertThat(fields(e)).containsExactly("body");
    }

    @Test
    void numbersAreNeverEnumsAndStringsNeverNumbers() {
        Random random = new Random(14);
        for (int i = 0; i < RUNS; i++) {
            int n = random.nextInt(1000) - 10;
            assertThat(fields(rejected("{\"status\":" + n + "}"))).containsExactly("status");
            assertThat(fields(rejected("{\"platform\":" + n + "}"))).containsExactly("platform");
            String numberField = List.of("version", "retry_cnt", "created_at", "send_ts", "delivered_ts", "failed_ts")
                    .get(random.nextInt(6));
            assertThat(fields(rejected("{\"" + numberField + "\":\"" + Math.abs(n) + "\"}"))).containsExactly(numberField);
            String stringField = List.of("user_id", "device_token", "transaction_id", "error_msg").get(random.nextInt(4));
            assertThat(fields(rejected("{\"" + stringField + "\":" + Math.abs(n) + "}"))).containsExactly(stringField);
        }
        assertThat(rejected("{\"status\":2}").getMessage()).isEqualTo("status: must be one of SENT, DELIVERED, FAILED, was 2");
        assertThat(rejected("{\"version\":\"1\"}").getMessage()).startsWith("version: has the wrong type (expected an integer)");
        assertThat(fields(rejected("{\"created_at\":\"\"}"))).containsExactly("created_at");
        assertThat(fields(rejected("{\"retry_cnt\":true}"))).containsExactly("retry_cnt");
    }

    @Test
    void timesAreEpochMillisecondsOfAtMostFifteenDigits() {
        Random random = new Random(15);
        for (int i = 0; i < RUNS; i++) {
            long millis = (long) (random.nextDouble() * Limits.MAX_EPOCH_MILLIS);
            assertThatCode(() -> new Checks().epochMillis("created_at", millis).throwIfAny()).doesNotThrowAnyException();
            long micros = 1_000_000_000_000_000L + (long) (random.nextDouble() * 8_000_000_000_000_000L);
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> new Checks().epochMillis("send_ts", micros).throwIfAny());
            assertThat(e.getMessage()).startsWith("send_ts: must be epoch milliseconds").contains("at most 15 digits");
        }
        ValidationException micro = catchThrowableOfType(ValidationException.class,
                () -> new Checks().epochMillis("created_at", 1_710_238_500_000_000L).throwIfAny());
        assertThat(micro.getMessage()).contains("epoch milliseconds").contains("microseconds");
        ValidationException nano = catchThrowableOfType(ValidationException.class,
                () -> new Checks().epochMillis("failed_ts", 1_710_238_500_000_000_000L).throwIfAny());
        assertThat(nano.getMessage()).contains("epoch milliseconds").contains("nanoseconds");
        assertThatCode(() -> new Checks().epochMillis("t", Limits.MAX_EPOCH_MILLIS).throwIfAny()).doesNotThrowAnyException();
    }

    @Test
    void everyTimeFieldOfANewNotificationIsBounded() {
        for (String field : List.of("created_at", "send_ts", "delivered_ts", "failed_ts")) {
            Notification n = Json.read("{\"user_id\":\"u\",\"platform\":\"IOS\",\"device_token\":\"d\",\"status\":\"SENT\",\""
                    + field + "\":1710238500000000}", Notification.class);
            ValidationException e = catchThrowableOfType(ValidationException.class, () -> NotificationValidator.validateNew(n));
            assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
            assertThat(e.getMessage()).contains("epoch milliseconds");
        }
    }

    @Test
    void versionsAreBounded() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> new Checks().version("version", Long.MAX_VALUE).throwIfAny());
        assertThat(e.getMessage()).startsWith("version: must be at most 999999999999999");
        assertThat(catchThrowableOfType(ValidationException.class, () -> new Checks().version("version", -1L).throwIfAny())
                .getMessage()).isEqualTo("version: must not be negative (was -1)");
    }

    @Test
    void nullAndNonObjectBodiesAreRefused() {
        assertThat(rejected("null").getMessage()).isEqualTo("body: is required (a JSON object)");
        assertThat(rejected("7").getMessage()).isEqualTo("body: must be a JSON object");
    }

    @Test
    void halfASurrogatePairAnywhereIsRefusedNamingTheFieldAndWholePairsAreText() {
        String base = "{\"user_id\":\"u\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"";
        assertThat(fields(rejected(base + ",\"notification_title\":\"a\\ud800b\"}"))).containsExactly("notification_title");
        assertThat(fields(rejected(base + ",\"notification_body\":\"\\udc00\"}"))).containsExactly("notification_body");
        assertThat(fields(rejected(base + ",\"payload\":{\"deep\":[\"ok\",\"\\ud83d\"]}}"))).containsExactly("payload.deep[1]");
        // in a key: refused too (Jackson's tree names the body)
        assertThat(fields(rejected(base + ",\"payload\":{\"k\\ud800\":1}}"))).containsAnyOf("payload", "body");
        assertThat(rejected(base + ",\"notification_title\":\"\\ud800\"}").getMessage()).contains("surrogate");
        // a whole pair is one character (an emoji): fine
        assertThatCode(() -> Json.read(base + ",\"notification_title\":\"\\ud83d\\ude80 \u00e9\u4e2d\"}", Notification.class))
                .doesNotThrowAnyException();
        assertThat(UnicodeCheck.unpaired("ab\ud83d\ude80")).isEqualTo(-1);
        assertThat(UnicodeCheck.unpaired("ab\ude80")).isEqualTo(2);
        assertThat(UnicodeCheck.unpaired("\ud83d")).isZero();
    }
}
