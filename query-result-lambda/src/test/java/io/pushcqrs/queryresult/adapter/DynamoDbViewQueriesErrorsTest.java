package io.pushcqrs.queryresult.adapter;


import io.pushcqrs.queryresult.app.ViewIndex;
import io.pushcqrs.queryresult.app.ViewQuery;
import io.pushcqrs.awstest.FakeAwsEndpoint;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.model.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How the adapter builds its request and sorts DynamoDB's errors: with a stub client, and with the function's
 * own client against an endpoint that answers DynamoDB-shaped errors (real SDK exceptions, real retries).
 */
class DynamoDbViewQueriesErrorsTest {
    private static final ViewTable NAMES = new ViewTable("views", "mk-ix", "tx-ix", "sns-ix", "fail-ix");

    private static DynamoDbClient throwing(RuntimeException e) {
        return new DynamoDbClient() {
            @Override public String serviceName() { return "dynamodb"; }
            @Override public void close() { }
            @Override public QueryResponse query(QueryRequest request) { throw e; }
        };
    }

    private static final ViewQuery ANY = new ViewQuery(ViewIndex.TABLE, "u1", null, null, false, 1, null);

    static Stream<Arguments> transientErrors() {
        return Stream.of(
                Arguments.of(ProvisionedThroughputExceededException.builder().message("slow down").statusCode(400).build()),
                Arguments.of(RequestLimitExceededException.builder().message("account limit").statusCode(400).build()),
                Arguments.of(ThrottlingException.builder().message("throttled").statusCode(400).build()),
                Arguments.of(InternalServerErrorException.builder().message("oops").statusCode(500).build()),
                Arguments.of(DynamoDbException.builder().message("unavailable").statusCode(503).build()),
                Arguments.of(DynamoDbException.builder().statusCode(400).awsErrorDetails(
                        AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("rate").build()).build()));
    }

    @ParameterizedTest
    @MethodSource("transientErrors")
    void throttlingAndServiceErrorsMeanUnavailable(AwsServiceException error) {
        DynamoDbViewQueries adapter = new DynamoDbViewQueries(throwing(error), NAMES);

        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> adapter.query(ANY));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e).hasCause(error);
    }

    @Test
    void aRejectedRequestIsAValidationErrorNotAnOutage() {
        DynamoDbException rejected = (DynamoDbException) DynamoDbException.builder().message("ValidationException").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException")
                        .errorMessage("ExclusiveStartKey does not match the key schema").build()).build();
        DynamoDbViewQueries adapter = new DynamoDbViewQueries(throwing(rejected), NAMES);

        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> adapter.query(ANY));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e).hasCause(rejected);
    }

    @Test
    void realServiceErrorsThroughTheFunctionsClient() {
        try (FakeAwsEndpoint endpoint = new FakeAwsEndpoint()) {
            System.setProperty("aws.endpointUrl", endpoint.endpoint().toString());
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            try (DynamoDbClient client = AwsClients.build(DynamoDbClient.builder(), Env.of(Map.of()), AwsClients.Settings.DEFAULT)) {
                DynamoDbViewQueries adapter = new DynamoDbViewQueries(client, ViewTable.withDefaultIndexes("fake-notification-records"));
                ViewQuery marketing = new ViewQuery(ViewIndex.MARKETING, "m1", null, null, false, 1, null);

                endpoint.jsonError(400, "AccessDeniedException", "User is not authorized to perform: dynamodb:Query");
                AwsCallException denied = catchThrowableOfType(AwsCallException.class, () -> adapter.query(marketing));
                assertThat(denied.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                assertThat(denied.getMessage())
                        .startsWith("dynamodb:Query on table/fake-notification-records/index/marketing-index failed: AccessDeniedException");

                endpoint.jsonError(400, "ThrottlingException", "Rate exceeded");
                int before = endpoint.requests();
                AwsCallException throttled = catchThrowableOfType(AwsCallException.class, () -> adapter.query(marketing));
                assertThat(throttled.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(endpoint.requests() - before).isEqualTo(3); // after the SDK's retries

                endpoint.jsonError(400, "ValidationException", "One or more parameter values were invalid: Key: marketing_id");
                AwsCallException rejected = catchThrowableOfType(AwsCallException.class, () -> adapter.query(marketing));
                assertThat(rejected.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                assertThat(rejected.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("marketing_id"));
            } finally {
                System.clearProperty("aws.endpointUrl");
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }

    @Test
    void buildsOneNewestFirstQueryOnTheConfiguredIndexWithTheFilter() {
        AtomicReference<QueryRequest> sent = new AtomicReference<>();
        DynamoDbClient recording = new DynamoDbClient() {
            @Override public String serviceName() { return "dynamodb"; }
            @Override public void close() { }
            @Override public QueryResponse query(QueryRequest request) {
                sent.set(request);
                return QueryResponse.builder().build();
            }
        };
        ViewQuery q = new ViewQuery(ViewIndex.TRANSACTION, "t1", null, null, true, 7,
                Map.of("transaction_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("t1")));

        var page = new DynamoDbViewQueries(recording, NAMES).query(q);

        QueryRequest r = sent.get();
        assertThat(r.tableName()).isEqualTo("views");
        assertThat(r.indexName()).isEqualTo("tx-ix");
        assertThat(r.scanIndexForward()).isFalse();
        assertThat(r.limit()).isEqualTo(7);
        assertThat(r.keyConditionExpression()).isEqualTo("#pk = :pk");
        assertThat(r.filterExpression()).isEqualTo("#status = :failed");
        assertThat(r.expressionAttributeNames()).containsEntry("#pk", "transaction_id").containsEntry("#status", "status");
        assertThat(r.expressionAttributeValues().get(":failed").s()).isEqualTo("FAILED");
        assertThat(r.exclusiveStartKey()).containsOnlyKeys("transaction_id");
        assertThat(page.items()).isEmpty();
        assertThat(page.lastEvaluatedKey()).isNull();
    }

    @Test
    void theTableQueryNamesNoIndexAndBoundsTheSortKey() {
        DynamoDbViewQueries adapter = new DynamoDbViewQueries(throwing(new IllegalStateException()), NAMES);

        QueryRequest both = adapter.request(new ViewQuery(ViewIndex.TABLE, "u1", "a", "b", false, 3, null));
        QueryRequest from = adapter.request(new ViewQuery(ViewIndex.TABLE, "u1", "a", null, false, 3, null));
        QueryRequest to = adapter.request(new ViewQuery(ViewIndex.TABLE, "u1", null, "b", false, 3, null));

        assertThat(both.indexName()).isNull();
        assertThat(both.keyConditionExpression()).isEqualTo("#pk = :pk AND #sk BETWEEN :lo AND :hi");
        assertThat(from.keyConditionExpression()).isEqualTo("#pk = :pk AND #sk >= :lo");
        assertThat(to.keyConditionExpression()).isEqualTo("#pk = :pk AND #sk <= :hi");
        // only live views: the table holds the tombstones of deleted ones
        assertThat(both.filterExpression()).isEqualTo("attribute_not_exists(#deleted)");
        assertThat(both.expressionAttributeNames()).containsEntry("#deleted", "deleted");
        assertThat(both.hasExclusiveStartKey()).isFalse();
        assertThatThrownBy(() -> adapter.request(new ViewQuery(ViewIndex.SNS, "s1", "a", null, false, 3, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesComeFromTheEnvironmentWithSchemaIndexNamesAndARequiredTable() {
        assertThatThrownBy(() -> ViewTable.fromEnvironment(Env.of(Map.of())))
                .isInstanceOf(Env.MissingVariableException.class).hasMessageContaining("NOTIFICATION_TABLE");
        assertThat(ViewTable.fromEnvironment(Env.of(Map.of("NOTIFICATION_TABLE", "dev-notification-records"))))
                .isEqualTo(new ViewTable("dev-notification-records",
                "marketing-index", "transaction-index", "sns-index", "failures-index"));
        Map<String, String> env = Map.of("NOTIFICATION_TABLE", "prod-views", "MARKETING_INDEX", "mk",
                "TRANSACTION_INDEX", "tx", "SNS_INDEX", " ", "FAILURES_INDEX", "fl");
        ViewTable t = ViewTable.fromEnvironment(Env.of(env));
        assertThat(t).isEqualTo(new ViewTable("prod-views", "mk", "tx", "sns-index", "fl"));
        assertThat(t.indexName(ViewIndex.TABLE)).isNull();
        assertThat(t.indexName(ViewIndex.MARKETING)).isEqualTo("mk");
        assertThat(t.indexName(ViewIndex.TRANSACTION)).isEqualTo("tx");
        assertThat(t.indexName(ViewIndex.SNS)).isEqualTo("sns-index");
        assertThat(t.indexName(ViewIndex.FAILURES)).isEqualTo("fl");
    }
}
