package io.pushcqrs.local.moto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.resources.SecretSpec;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Secrets in moto's Secrets Manager, for {@link AwsBackend}. A generated value comes from Secrets Manager's own
 * GetRandomPassword with the GenerateSecretString settings (moto's generator: fine for a local stack, not a
 * cryptographic one). A secret that exists already (a backend that kept it) is kept with its value, like a
 * CloudFormation update that does not replace it.
 */
final class MotoSecrets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient client;

    MotoSecrets(SecretsManagerClient client) {
        this.client = client;
    }

    String ensure(SecretSpec spec) {
        try {
            CreateSecretRequest.Builder b = CreateSecretRequest.builder().name(spec.name())
                    .secretString(spec.literal() != null ? spec.literal() : generate(spec.generate()));
            if (spec.description() != null) {
                b.description(spec.description());
            }
            if (!spec.tags().isEmpty()) {
                List<Tag> tags = new ArrayList<>();
                spec.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
                b.tags(tags);
            }
            return client.createSecret(b.build()).arn();
        } catch (ResourceExistsException exists) {
            return client.describeSecret(d -> d.secretId(spec.name())).arn();
        } catch (SdkException e) {
            throw new TemplateException("cannot create the secret " + spec.name() + " in moto: " + e.getMessage(), e);
        }
    }

    /** Deletes the secret at once (no recovery window: a deleted stack's secret name is free again). */
    void delete(String arnOrName) {
        try {
            client.deleteSecret(d -> d.secretId(arnOrName).forceDeleteWithoutRecovery(true));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
            // gone already
        }
    }

    /** The value of a GenerateSecretString: the generated string, or the template with it under the key. */
    String generate(SecretSpec.Generate g) {
        GetRandomPasswordRequest.Builder b = GetRandomPasswordRequest.builder()
                .passwordLength((long) g.passwordLength())
                .excludeLowercase(g.excludeLowercase())
                .excludeNumbers(g.excludeNumbers())
                .excludePunctuation(g.excludePunctuation())
                .excludeUppercase(g.excludeUppercase())
                .includeSpace(g.includeSpace())
                .requireEachIncludedType(g.requireEachIncludedType());
        if (g.excludeCharacters() != null && !g.excludeCharacters().isEmpty()) {
            b.excludeCharacters(g.excludeCharacters());
        }
        String password = client.getRandomPassword(b.build()).randomPassword();
        if (g.secretStringTemplate() == null) {
            return password;
        }
        try {
            ObjectNode template = (ObjectNode) JSON.readTree(g.secretStringTemplate());
            template.put(g.generateStringKey(), password);
            return JSON.writeValueAsString(template);
        } catch (java.io.IOException | ClassCastException e) {
            throw new TemplateException("SecretStringTemplate is not a JSON object: " + e.getMessage(), e);
        }
    }
}
