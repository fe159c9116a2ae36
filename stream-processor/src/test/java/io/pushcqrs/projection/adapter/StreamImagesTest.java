package io.pushcqrs.projection.adapter;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamImagesTest {

    static AttributeValue s(String v) {
        return new AttributeValue().withS(v);
    }

    @Test
    void convertsEveryScalarType() {
        ByteBuffer bytes = ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8));
        Map<String, AttributeValue> image = new LinkedHashMap<>();
        image.put("s", s("text"));
        image.put("n", new AttributeValue().withN("12345678901234567890.000000001"));
        image.put("t", new AttributeValue().withBOOL(true));
        image.put("f", new AttributeValue().withBOOL(false));
        image.put("null", new AttributeValue().withNULL(true));
        image.put("b", new AttributeValue().withB(bytes));
        image.put("empty", s(""));

        var out = StreamImages.toSdk(image);

        assertThat(out.get("s").s()).isEqualTo("text");
        assertThat(out.get("n").n()).isEqualTo("12345678901234567890.000000001");
        assertThat(out.get("t").bool()).isTrue();
        assertThat(out.get("f").bool()).isFalse();
        assertThat(out.get("null").nul()).isTrue();
        assertThat(out.get("b").b().asUtf8String()).isEqualTo("hi");
        assertThat(bytes.remaining()).as("the event's buffer is not consumed").isEqualTo(2);
        assertThat(out.get("empty").s()).isEmpty();
        assertThat(out.keySet()).containsExactly("s", "n", "t", "f", "null", "b", "empty");
    }

    @Test
    void convertsSets() {
        Map<String, AttributeValue> image = Map.of(
                "ss", new AttributeValue().withSS("a", "b"),
                "ns", new AttributeValue().withNS("1", "2.5"),
                "bs", new AttributeValue().withBS(ByteBuffer.wrap(new byte[]{1, 2}), ByteBuffer.wrap(new byte[]{3})));

        var out = StreamImages.toSdk(image);

        assertThat(out.get("ss").ss()).containsExactly("a", "b");
        assertThat(out.get("ns").ns()).containsExactly("1", "2.5");
        assertThat(out.get("bs").bs()).containsExactly(SdkBytes.fromByteArray(new byte[]{1, 2}),
                SdkBytes.fromByteArray(new byte[]{3}));
    }

    @Test
    void convertsNestedMapsAndListsIncludingEmptyOnes() {
        Map<String, AttributeValue> inner = new LinkedHashMap<>();
        inner.put("tags", new AttributeValue().withL(List.of()));
        inner.put("meta", new AttributeValue().withM(Map.of()));
        inner.put("list", new AttributeValue().withL(s("x"), new AttributeValue().withN("1"),
                new AttributeValue().withM(Map.of("k", new AttributeValue().withNULL(true)))));
        Map<String, AttributeValue> image = Map.of("payload", new AttributeValue().withM(inner));

        var payload = StreamImages.toSdk(image).get("payload");

        assertThat(payload.type()).isEqualTo(software.amazon.awssdk.services.dynamodb.model.AttributeValue.Type.M);
        var m = payload.m();
        assertThat(m.keySet()).containsExactly("tags", "meta", "list");
        assertThat(m.get("tags").hasL()).isTrue();
        assertThat(m.get("tags").l()).isEmpty();
        assertThat(m.get("meta").hasM()).isTrue();
        assertThat(m.get("meta").m()).isEmpty();
        var list = m.get("list").l();
        assertThat(list.get(0).s()).isEqualTo("x");
        assertThat(list.get(1).n()).isEqualTo("1");
        assertThat(list.get(2).m().get("k").nul()).isTrue();
    }

    @Test
    void aValueWithoutTypeStaysUntypedForTheMapperToReport() {
        var out = StreamImages.toSdk(Map.of("odd", new AttributeValue()));

        assertThat(out.get("odd").type())
                .isEqualTo(software.amazon.awssdk.services.dynamodb.model.AttributeValue.Type.UNKNOWN_TO_SDK_VERSION);
    }

    @Test
    void aMissingImageIsEmpty() {
        assertThat(StreamImages.toSdk((Map<String, AttributeValue>) null)).isEmpty();
        assertThat(StreamImages.toSdk((AttributeValue) null).type())
                .isEqualTo(software.amazon.awssdk.services.dynamodb.model.AttributeValue.Type.UNKNOWN_TO_SDK_VERSION);
    }
}
