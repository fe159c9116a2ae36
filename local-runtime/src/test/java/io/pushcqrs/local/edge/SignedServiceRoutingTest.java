package io.pushcqrs.local.edge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests signed for a service the stack answers itself (CloudFormation, API Gateway's GetApiKey) go to it. */
class SignedServiceRoutingTest {
    private EdgeServer edge;

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void theServiceIsTheFourthPartOfTheCredentialScope() {
        assertThat(EdgeServer.signingName("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cloudformation/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=abc", null)).isEqualTo("cloudformation");
        assertThat(EdgeServer.signingName(null, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                + "AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x")).isEqualTo("s3");
        assertThat(EdgeServer.signingName(null, null)).isNull();
        assertThat(EdgeServer.signingName("Bearer token", "a=b")).isNull();
        assertThat(EdgeServer.signingName("AWS4-HMAC-SHA256 Credential=broken, Signature=x", null)).isNull();
    }

    @Test
    void signedRequestsReachTheirServiceAndTheRestGoesOn() throws Exception {
        edge = EdgeServer.bind("127.0.0.1", 0);
        edge.start(new EdgeServer.Routes(null, null, null, () -> Map.of("status", "running"), line -> { }));
        edge.serve("cloudformation", (method, path, query, headers, body) -> new LambdaApi.Answer(200,
                Map.of("Content-Type", "text/xml"), ("<ok>" + new String(body, StandardCharsets.UTF_8) + "</ok>")
                .getBytes(StandardCharsets.UTF_8)));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edge.endpoint() + "/"))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cloudformation/aws4_request,"
                        + " SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeStacks")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("<ok>Action=DescribeStacks</ok>");
        // the health path is the edge's own, signed or not
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(edge.endpoint() + EdgeServer.HEALTH_PATH))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cloudformation/aws4_request,"
                        + " SignedHeaders=host, Signature=0").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("running");
    }
}
