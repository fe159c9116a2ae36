package io.pushcqrs.local.cloudformation;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a deployment reads besides the request: a template given by TemplateURL (an object of moto's S3, where
 * {@code cdk deploy} uploads templates above 51,200 bytes), and the value of an SSM parameter (a template parameter of
 * type {@code AWS::SSM::Parameter::Value<String>}, such as the CDK's BootstrapVersion).
 *
 * @param object    (bucket, key) -> the object's bytes; fails with a message when it does not exist
 * @param parameter SSM parameter name -> its value, or null when it does not exist
 */
public record DeploymentSources(BiFunction<String, String, byte[]> object, Function<String, String> parameter) {
}
