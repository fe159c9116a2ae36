package io.pushcqrs.projection.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.json.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;

/** An attribute value in DynamoDB's JSON form ({"S":"x"}, {"N":"1"}, ...), as the AWS CLI and stream events write it. */
final class DynamoJson {
    private DynamoJson() {
    }

    static JsonNode of(AttributeValue v) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (v == null) {
            return node;
        }
        if (v.s() != null) {
            node.put("S", v.s());
        } else if (v.n() != null) {
            node.put("N", v.n());
        } else if (v.b() != null) {
            node.put("B", base64(v.b()));
        } else if (v.bool() != null) {
            node.put("BOOL", v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            node.put("NULL", true);
        } else if (v.hasM()) {
            ObjectNode m = node.putObject("M");
            v.m().forEach((k, x) -> m.set(k, of(x)));
        } else if (v.hasL()) {
            ArrayNode l = node.putArray("L");
            v.l().forEach(x -> l.add(of(x)));
        } else if (v.hasSs()) {
            ArrayNode a = node.putArray("SS");
            v.ss().forEach(a::add);
        } else if (v.hasNs()) {
            ArrayNode a = node.putArray("NS");
            v.ns().forEach(a::add);
        } else if (v.hasBs()) {
            ArrayNode a = node.putArray("BS");
            v.bs().forEach(b -> a.add(base64(b)));
        }
        return node;
    }

    private static String base64(SdkBytes b) {
        return Base64.getEncoder().encodeToString(b.asByteArrayUnsafe());
    }
}
