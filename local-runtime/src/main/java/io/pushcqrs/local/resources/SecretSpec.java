package io.pushcqrs.local.resources;

import java.util.Map;

/**
 * An AWS::SecretsManager::Secret as the backend creates it: its name, and either a literal SecretString or the
 * GenerateSecretString settings to generate one.
 *
 * @param name        the secret's name (the template's Name, or one derived from the logical id)
 * @param description the Description, or null
 * @param literal     the SecretString, or null when it is generated
 * @param generate    the GenerateSecretString settings, or null for a literal
 * @param tags        the Tags
 */
public record SecretSpec(String name, String description, String literal, Generate generate, Map<String, String> tags) {

    public SecretSpec {
        tags = Map.copyOf(tags);
    }

    /**
     * GenerateSecretString, with CloudFormation's defaults (32 characters, every type required). With
     * secretStringTemplate and generateStringKey the value is the template's JSON object with the generated string
     * under that key.
     */
    public record Generate(int passwordLength, String excludeCharacters, boolean excludeLowercase, boolean excludeNumbers,
                           boolean excludePunctuation, boolean excludeUppercase, boolean includeSpace,
                           boolean requireEachIncludedType, String secretStringTemplate, String generateStringKey) {
    }
}
