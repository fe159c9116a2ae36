package io.pushcqrs.queryresult;

import io.pushcqrs.awstest.AwsCallsManifestCheck;
import org.junit.jupiter.api.Order;

/** Runs last: the AWS calls query-result-lambda's code issued in this module's tests are exactly aws-calls.json. */
@Order(Integer.MAX_VALUE)
class AwsCallsTest extends AwsCallsManifestCheck {
    @Override
    protected String module() {
        return "query-result-lambda";
    }
}
