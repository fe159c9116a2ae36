package io.pushcqrs.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.moto.AwsBackend;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AWS::SecretsManager::Secret resources created in moto's Secrets Manager, their Ref and Fn::GetAtt Id the ARN. */
class SecretProvisioningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DynamoDbClient ddb;
    private static SqsClient sqs;
    private static SecretsManagerClient secrets;

    @BeforeAll
    static void clients() {
        MotoServer moto = MotoServer.shared();
        ddb = MotoClients.dynamoDb(moto.endpoint());
        sqs = MotoClients.sqs(moto.endpoint());
        secrets = MotoClients.secretsManager(moto.endpoint());
    }

    @AfterAll
    static void close() {
        ddb.close();
        sqs.close();
        secrets.close();
    }

    private static Template template(String stack, String resources) throws Exception {
        JsonNode root = JSON.readTree("""
                {"Resources": %s,
                 "Outputs": {"CursorSecretArn": {"Value": {"Ref": "CursorSecret"}},
                             "CursorSecretId": {"Value": {"Fn::GetAtt": ["CursorSecret", "Id"]}}}}
                """.formatted(resources));
        return Template.parse(root, stack, null, null);
    }

    private static StackModel load(Template t) {
        return new StackLoader(t, StackLoaderTest.EDGE, null).load(new AwsBackend(ddb, sqs));
    }

    private static String value(String arn) {
        return secrets.getSecretValue(b -> b.secretId(arn)).secretString();
    }

    @Test
    void generatedSecretsHonourGenerateSecretStringAndRefIsTheArn() throws Exception {
        String stack = "sx-" + UUID.randomUUID().toString().substring(0, 8);
        Template t = template(stack, """
                {"CursorSecret": {"Type": "AWS::SecretsManager::Secret", "Properties": {
                     "Description": "HMAC key", "GenerateSecretString": {"PasswordLength": 64, "ExcludePunctuation": true,
                     "IncludeSpace": false}}},
                 "Pin": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "%s-pin",
                     "GenerateSecretString": {"PasswordLength": 40, "ExcludeCharacters": "abcdef",
                     "ExcludeUppercase": true, "ExcludePunctuation": true}}},
                 "Db": {"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString": {
                     "SecretStringTemplate": "{\\"username\\":\\"app\\"}", "GenerateStringKey": "password",
                     "PasswordLength": 20, "ExcludeNumbers": true}}},
                 "Plain": {"Type": "AWS::SecretsManager::Secret", "Properties": {"SecretString": "given-value",
                     "Tags": [{"Key": "stage", "Value": "dev"}]}},
                 "Default": {"Type": "AWS::SecretsManager::Secret", "Properties": {}}}
                """.formatted(stack));

        StackModel model = load(t);

        String arn = model.outputs().get("CursorSecretArn");
        assertThat(arn).startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:CursorSecret-");
        assertThat(model.outputs().get("CursorSecretId")).isEqualTo(arn);
        assertThat(value(arn)).hasSize(64).matches("[A-Za-z0-9]+").matches(".*[a-z].*").matches(".*[A-Z].*")
                .matches(".*[0-9].*");
        assertThat(secrets.describeSecret(b -> b.secretId(arn)).description()).isEqualTo("HMAC key");

        assertThat(value(stack + "-pin")).hasSize(40).matches("[g-z0-9]+").doesNotContainPattern("[a-fA-F]");

        String db = secrets.listSecrets(b -> b.filters(f -> f.key("name").values("Db-"))).secretList().stream()
                .filter(s -> s.name().startsWith("Db-")).findFirst().orElseThrow().arn();
        JsonNode credentials = JSON.readTree(value(db));
        assertThat(credentials.get("username").asText()).isEqualTo("app");
        assertThat(credentials.get("password").asText()).hasSize(20).doesNotContainPattern("[0-9]");

        Intrinsics names = new Intrinsics(t, StackLoaderTest.EDGE);
        assertThat(value("Plain-" + names.id("Plain", 12))).isEqualTo("given-value");
        assertThat(value("Default-" + names.id("Default", 12))).hasSize(32);

        // a restart on a backend that kept them keeps them, and their values
        String before = value(arn);
        StackModel again = load(t);
        assertThat(again.outputs().get("CursorSecretArn")).isEqualTo(arn);
        assertThat(value(arn)).isEqualTo(before);
    }

    @Test
    void aFunctionsEnvironmentGetsTheArnOfTheSecretItNames() throws Exception {
        String stack = "sy-" + UUID.randomUUID().toString().substring(0, 8);
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(java.nio.file.Files.readString(StackLoaderTest.fixtureCdkOut()
                        .resolve("fx-notification-cqrs.template.json")));
        String text = root.toString().replace("fx-", stack + "-");
        root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(text);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("Resources")).set("CursorSecret", JSON.readTree("""
                {"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString":
                  {"PasswordLength": 64, "ExcludePunctuation": true}}}"""));
        String function = null;
        for (var e : root.get("Resources").properties()) {
            if (e.getValue().path("Type").asText().equals("AWS::Lambda::Function")
                    && e.getValue().at("/Properties/Environment/Variables").has("NOTIFICATION_TABLE")
                    && e.getValue().at("/Properties/Environment/Variables").has("MARKETING_INDEX")) {
                function = e.getKey();
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue().at("/Properties/Environment/Variables"))
                        .set("CURSOR_SECRET_ARN", JSON.readTree("{\"Ref\": \"CursorSecret\"}"));
            }
        }
        assertThat(function).as("the query-result function of the fixture").isNotNull();

        StackModel model = new StackLoader(Template.parse(root, stack, null, StackLoaderTest.fixtureCdkOut()),
                StackLoaderTest.EDGE, null).load(new AwsBackend(ddb, sqs));

        String arn = model.functions().stream().filter(f -> f.environment().containsKey("CURSOR_SECRET_ARN")).findFirst()
                .orElseThrow().environment().get("CURSOR_SECRET_ARN");
        assertThat(arn).startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:CursorSecret-");
        assertThat(value(arn)).hasSize(64).matches("[A-Za-z0-9]+");
    }

    @Test
    void whatAwsRefusesFailsTheLoadNamingTheResource() throws Exception {
        for (String bad : new String[] {
                "{\"SecretString\": \"x\", \"GenerateSecretString\": {}}",
                "{\"GenerateSecretString\": {\"SecretStringTemplate\": \"{}\"}}",
                "{\"GenerateSecretString\": {\"GenerateStringKey\": \"k\"}}",
                "{\"GenerateSecretString\": {\"SecretStringTemplate\": \"[1]\", \"GenerateStringKey\": \"k\"}}",
                "{\"GenerateSecretString\": {\"PasswordLength\": 0}}",
                "{\"GenerateSecretString\": {\"PasswordLength\": 5000}}"}) {
            Template t = template("sz-" + UUID.randomUUID().toString().substring(0, 8),
                    "{\"CursorSecret\": {\"Type\": \"AWS::SecretsManager::Secret\", \"Properties\": " + bad + "}}");
            assertThatThrownBy(() -> load(t)).as(bad).isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resources.CursorSecret");
        }
    }

    @Test
    void aBackendWithoutSecretsSaysSo() throws Exception {
        Template t = template("sw-1", "{\"CursorSecret\": {\"Type\": \"AWS::SecretsManager::Secret\"}}");
        Backend tablesOnly = new Backend() {
            @Override
            public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
                return null;
            }

            @Override
            public String ensureQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
                return null;
            }
        };
        assertThatThrownBy(() -> new StackLoader(t, StackLoaderTest.EDGE, null).load(tablesOnly))
                .isInstanceOf(TemplateException.class).hasMessageContaining("AWS::SecretsManager::Secret");
    }
}
