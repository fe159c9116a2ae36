package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSchemaCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> check(String schema, String instance) throws Exception {
        return JsonSchemaCheck.validate(JSON.readTree(schema), JSON.readTree(instance));
    }

    private static final String COMMAND = """
            {"type": "object", "required": ["user_id", "platform", "status"],
             "properties": {
               "user_id": {"type": "string", "minLength": 1, "maxLength": 5},
               "platform": {"type": "string", "enum": ["IOS", "ANDROID", "WEBPUSH"]},
               "status": {"type": "string"},
               "retry_cnt": {"type": "integer", "minimum": 0, "maximum": 10},
               "score": {"type": "number", "exclusiveMinimum": true, "minimum": 0},
               "code": {"type": "string", "pattern": "^[A-Z]{2}$"},
               "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}}
             },
             "additionalProperties": false}
            """;

    @Test
    void aValidInstancePasses() throws Exception {
        assertThat(check(COMMAND, "{\"user_id\":\"u1\",\"platform\":\"IOS\",\"status\":\"SENT\",\"retry_cnt\":2,"
                + "\"score\":0.5,\"code\":\"AB\",\"tags\":[\"a\"]}")).isEmpty();
        assertThat(check(COMMAND, "{\"user_id\":\"u1\",\"platform\":\"IOS\",\"status\":\"SENT\",\"retry_cnt\":2.0}")).isEmpty();
    }

    @Test
    void messagesFollowTheValidatorApiGatewayUses() throws Exception {
        assertThat(check(COMMAND, "{\"user_id\":\"u1\"}"))
                .containsExactly("object has missing required properties ([\"platform\",\"status\"])");
        assertThat(check(COMMAND, "{\"user_id\":\"\",\"platform\":\"FAX\",\"status\":1}")).containsExactly(
                "string \"\" is too short (length: 0, required minimum: 1) (at /user_id)",
                "instance value (\"FAX\") not found in enum (possible values: [\"IOS\",\"ANDROID\",\"WEBPUSH\"]) (at /platform)",
                "instance type (integer) does not match any allowed primitive type (allowed: [\"string\"]) (at /status)");
        assertThat(JsonSchemaCheck.errorString(check(COMMAND, "[]")))
                .isEqualTo("[instance type (array) does not match any allowed primitive type (allowed: [\"object\"])]");
    }

    @Test
    void numbersStringsArraysAndExtraProperties() throws Exception {
        String base = "\"user_id\":\"u\",\"platform\":\"IOS\",\"status\":\"S\",";
        assertThat(check(COMMAND, "{" + base + "\"retry_cnt\":1.5}")).singleElement().asString()
                .contains("instance type (number)");
        assertThat(check(COMMAND, "{" + base + "\"retry_cnt\":-1}")).singleElement().asString()
                .contains("lower than the required minimum");
        assertThat(check(COMMAND, "{" + base + "\"retry_cnt\":11}")).singleElement().asString()
                .contains("greater than the required maximum");
        assertThat(check(COMMAND, "{" + base + "\"score\":0}")).singleElement().asString()
                .contains("not strictly greater than");
        assertThat(check(COMMAND, "{" + base + "\"code\":\"abc\"}")).singleElement().asString()
                .contains("does not match input string \"abc\"");
        assertThat(check(COMMAND, "{" + base + "\"user_id\":\"toolong\"}")).singleElement().asString()
                .contains("is too long");
        assertThat(check(COMMAND, "{" + base + "\"tags\":[]}")).singleElement().asString().contains("array is too short");
        assertThat(check(COMMAND, "{" + base + "\"tags\":[1]}")).singleElement().asString().contains("(at /tags/0)");
        assertThat(check(COMMAND, "{" + base + "\"extra\":true}")).singleElement().asString()
                .isEqualTo("object instance has properties which are not allowed by the schema: [\"extra\"]");
    }

    @Test
    void combinatorsAndRefs() throws Exception {
        String anyOf = "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}";
        assertThat(check(anyOf, "1")).isEmpty();
        assertThat(check(anyOf, "true")).hasSize(1);
        String oneOf = "{\"oneOf\":[{\"type\":\"number\"},{\"type\":\"integer\"}]}";
        assertThat(check(oneOf, "1")).singleElement().asString().contains("matched 2 out of 2");
        assertThat(check("{\"not\":{\"type\":\"null\"}}", "null")).hasSize(1);
        assertThat(check("{\"allOf\":[{\"type\":\"string\"},{\"minLength\":3}]}", "\"ab\"")).hasSize(1);
        JsonNode ref = JSON.readTree("{\"$ref\":\"https://apigateway.amazonaws.com/restapis/x/models/Other\"}");
        assertThat(JsonSchemaCheck.validate(ref, JSON.readTree("42"))).isEmpty();
    }
}
