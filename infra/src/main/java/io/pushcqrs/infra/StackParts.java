package io.pushcqrs.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;

/**
 * What every part of {@link NotificationStack} builds with: the stack as the scope of its resources (so their
 * logical ids are the stack's own), the stage's configuration and the removal policy of everything that holds data.
 */
record StackParts(Stack scope, InfraConfig config, RemovalPolicy removalPolicy) {
}
