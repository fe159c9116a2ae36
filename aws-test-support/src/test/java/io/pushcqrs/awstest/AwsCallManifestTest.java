package io.pushcqrs.awstest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsCallManifestTest {
    static final AwsCallManifest MANIFEST = new AwsCallManifest("m", new TreeSet<>(Set.of(
            new AwsCall("dynamodb:PutItem", "table/command-records"),
            new AwsCall("dynamodb:Query", "table/notification-records/index/sns-index"))));

    static AwsCalls.Recorded rec(String action, String resource, String error) {
        return new AwsCalls.Recorded(new AwsCall(action, resource), error, "X");
    }

    @Test
    void testNamesResolveToLogicalNamesBySuffix() {
        AwsCallManifest.Comparison c = MANIFEST.compare(List.of(
                rec("dynamodb:PutItem", "table/adapter-test-command-records", null),
                rec("dynamodb:Query", "table/qr-1234-notification-records/index/sns-index", null)));
        assertTrue(c.matches(), () -> c.describe("m", null));
    }

    @Test
    void aNewCallAStaleEntryAndAnUnknownResourceAreReported() {
        AwsCallManifest.Comparison c = MANIFEST.compare(List.of(
                rec("dynamodb:PutItem", "table/command-records", null),
                rec("dynamodb:DeleteItem", "table/command-records", null),
                rec("dynamodb:GetItem", "table/other", "ValidationException")));
        assertFalse(c.matches());
        assertEquals(Set.of(new AwsCall("dynamodb:DeleteItem", "table/command-records"),
                new AwsCall("dynamodb:GetItem", "table/other")), c.notInManifest());
        assertEquals(Set.of(new AwsCall("dynamodb:Query", "table/notification-records/index/sns-index")), c.neverCalled());
        assertEquals(1, c.unresolved().size());
    }

    @Test
    void aCallOnAResourceThatDoesNotExistNeedsNoGrant() {
        AwsCallManifest.Comparison c = MANIFEST.compare(List.of(
                rec("dynamodb:PutItem", "table/command-records", null),
                rec("dynamodb:Query", "table/notification-records/index/sns-index", null),
                rec("dynamodb:GetItem", "table/no-such-table", "ResourceNotFoundException")));
        assertTrue(c.matches(), () -> c.describe("m", null));
    }
}
