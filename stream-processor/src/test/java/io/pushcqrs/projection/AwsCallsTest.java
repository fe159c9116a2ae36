package io.pushcqrs.projection;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.awstest.AwsCallsManifestCheck;
import org.junit.jupiter.api.Order;

/** Runs last: the AWS calls stream-processor's code issued in this module's tests are exactly aws-calls.json. */
@Order(Integer.MAX_VALUE)
@Tag(Tiers.MOTO)
class AwsCallsTest extends AwsCallsManifestCheck {
    @Override
    protected String module() {
        return "stream-processor";
    }
}
