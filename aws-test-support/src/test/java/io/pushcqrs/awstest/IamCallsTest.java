package io.pushcqrs.awstest;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IamCallsTest {
    static final Map<String, AttributeValue> ITEM = Map.of("k", AttributeValue.fromS("v"));

    @Test
    void transactionsAndBatchesNeedTheActionOfEachItem() {
        TransactWriteItemsRequest tx = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName("a-command-records").item(ITEM).build()).build(),
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName("b").key(ITEM)
                        .conditionExpression("x").build()).build()).build();
        assertEquals(List.of(new AwsCall("dynamodb:PutItem", "table/a-command-records"),
                new AwsCall("dynamodb:ConditionCheckItem", "table/b")), IamCalls.of("DynamoDb", "TransactWriteItems", tx));

        BatchWriteItemRequest batch = BatchWriteItemRequest.builder().requestItems(Map.of("t", List.of(
                WriteRequest.builder().putRequest(PutRequest.builder().item(ITEM).build()).build(),
                WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(ITEM).build()).build()))).build();
        assertEquals(List.of(new AwsCall("dynamodb:PutItem", "table/t"), new AwsCall("dynamodb:DeleteItem", "table/t")),
                IamCalls.of("DynamoDb", "BatchWriteItem", batch));
        assertEquals(List.of(), IamCalls.of("DynamoDb", "TransactGetItems", TransactGetItemsRequest.builder().build()));
    }

    @Test
    void aQueryOnAnIndexNeedsTheIndexArn() {
        assertEquals(List.of(new AwsCall("dynamodb:Query", "table/v/index/sns-index")),
                IamCalls.of("DynamoDb", "Query", QueryRequest.builder().tableName("v").indexName("sns-index").build()));
        assertEquals(List.of(new AwsCall("dynamodb:Query", "table/v")),
                IamCalls.of("DynamoDb", "Query", QueryRequest.builder()
                        .tableName("arn:aws:dynamodb:us-east-1:1:table/v").build()));
    }

    @Test
    void functionAndSecretNamesComeOutOfTheirArns() {
        assertEquals("q", IamCalls.functionName("arn:aws:lambda:us-east-1:123456789012:function:q:live"));
        assertEquals("q", IamCalls.functionName("123456789012:function:q"));
        assertEquals("q", IamCalls.functionName("q"));
        assertEquals("dev-cursor", IamCalls.secretName("arn:aws:secretsmanager:us-east-1:1:secret:dev-cursor-AbC123"));
        assertEquals("dev-cursor", IamCalls.secretName("dev-cursor"));
    }
}
