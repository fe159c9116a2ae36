package io.pushcqrs.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** DynamoDB's input rules, from tables of requests: what DynamoDB accepts passes, what it refuses names the reason. */
class DynamoDbInputRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** command-records: transaction_id (S) + created_at (N); an index on user_id (S) + created_at. */
    static final TableSchema COMMANDS = new TableSchema("cmd", "transaction_id", "created_at",
            Map.of("transaction_id", "S", "created_at", "N", "user_id", "S", "sns_id", "S"),
            List.of(new TableSchema.Index("by-user", "user_id", "created_at"), new TableSchema.Index("sns-index", "sns_id", null)));

    static String check(String operation, String body) {
        try {
            return DynamoDbInputRules.check(operation, JSON.readTree(body.replace('\'', '"')),
                    t -> t.equals("cmd") ? COMMANDS : null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String put(String attributes) {
        return check("PutItem", "{'TableName':'cmd','Item':{'transaction_id':{'S':'t1'},'created_at':{'N':'1'}"
                + (attributes.isEmpty() ? "" : "," + attributes) + "}}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a plain item                       | 'payload':{'M':{'a':{'S':'x'},'b':{'L':[{'N':'1'},{'NULL':true}]}}}
            an empty string (not a key)        | 'note':{'S':''}
            an empty map and list              | 'm':{'M':{}},'l':{'L':[]}
            38 significant digits              | 'n':{'N':'12345678901234567890123456789012345678'}
            trailing zeros do not count        | 'n':{'N':'1000000000000000000000000000000000000000000'}
            the largest magnitude              | 'n':{'N':'9.9999999999999999999999999999999999999E+125'}
            the smallest magnitude             | 'n':{'N':'-1E-130'}
            zero in any form                   | 'n':{'N':'0.000E-999'}
            distinct set members               | 'ss':{'SS':['a','b']},'ns':{'NS':['1','2']}
            an index key of the right type     | 'user_id':{'S':'u'},'sns_id':{'S':'s'}
            """)
    void dynamoDbAccepts(String what, String attributes) {
        assertThat(put(attributes)).as(what).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an empty map key (the issue's case)  | 'payload':{'M':{'':{'S':'x'}}}                          | One or more parameter values were invalid: An attribute name may not be empty
            an empty key deep in a list          | 'l':{'L':[{'M':{'ok':{'M':{'':{'N':'1'}}}}}]}           | One or more parameter values were invalid: An attribute name may not be empty
            an empty top-level name              | '':{'S':'x'}                                            | One or more parameter values were invalid: An attribute name may not be empty
            an empty string set                  | 'ss':{'SS':[]}                                          | One or more parameter values were invalid: An string set  may not be empty
            an empty number set in a map         | 'm':{'M':{'ns':{'NS':[]}}}                              | One or more parameter values were invalid: An number set  may not be empty
            an empty binary set                  | 'bs':{'BS':[]}                                          | One or more parameter values were invalid: An binary set  may not be empty
            duplicate strings in a set           | 'ss':{'SS':['a','b','a']}                               | One or more parameter values were invalid: Input collection [a, b, a] contains duplicates.
            duplicate numbers (1 and 1.0)        | 'ns':{'NS':['1','1.0']}                                 | Input collection contains duplicates
            39 significant digits                | 'n':{'N':'123456789012345678901234567890123456789'}     | Attempting to store more than 38 significant digits in a Number
            a number too large                   | 'n':{'N':'1E+126'}                                      | Number overflow. Attempting to store a number with magnitude larger than supported range
            a number too small                   | 'n':{'N':'-1E-131'}                                     | Number underflow. Attempting to store a number with magnitude smaller than supported range
            not a number                         | 'n':{'N':'12abc'}                                       | The parameter cannot be converted to a numeric value: 12abc
            an empty number                      | 'n':{'N':''}                                            | The parameter cannot be converted to a numeric value
            a value with no type                 | 'x':{}                                                  | Supplied AttributeValue is empty, must contain exactly one of the supported datatypes
            a value with two types               | 'x':{'S':'a','N':'1'}                                   | Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes
            NULL false                           | 'x':{'NULL':false}                                      | One or more parameter values were invalid: Null attribute value types must have the value of true
            an index key of the wrong type       | 'user_id':{'N':'1'}                                     | One or more parameter values were invalid: Type mismatch for Index Key user_id Expected: S Actual: N IndexName: by-user
            an empty index key                   | 'sns_id':{'S':''}                                       | One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: sns-index, IndexKey: sns_id
            """)
    void dynamoDbRefuses(String what, String attributes, String message) {
        assertThat(put(attributes)).as(what).isEqualTo(message);
    }

    @Test
    void documentsNestAtMost32LevelsDeep() {
        assertThat(put("'d':" + nested(31))).as("32 levels: 31 maps and a string").isNull();
        assertThat(put("'d':" + nested(32))).isEqualTo("Nesting Levels have exceeded supported limits");
    }

    static String nested(int maps) {
        return "{'M':{'a':".repeat(maps) + "{'S':'deep'}" + "}}".repeat(maps);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the sort key missing        | {'transaction_id':{'S':'t'}}                                  | One or more parameter values were invalid: Missing the key created_at in the item
            the partition key as N      | {'transaction_id':{'N':'1'},'created_at':{'N':'1'}}           | One or more parameter values were invalid: Type mismatch for key transaction_id expected: S actual: N
            an empty partition key      | {'transaction_id':{'S':''},'created_at':{'N':'1'}}            | One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: transaction_id
            """)
    void anItemNeedsTheTableKeyOfItsType(String what, String item, String message) {
        assertThat(check("PutItem", "{'TableName':'cmd','Item':" + item + "}")).as(what).isEqualTo(message);
    }

    @Test
    void itemsAreAtMost400KilobytesNamesIncluded() {
        // name "p" (1) + value; the key attributes take 12 + 11 + 2 = ... measured by the rules themselves
        String base = "'transaction_id':{'S':'t1'},'created_at':{'N':'1'}";
        long keys = AttributeRules.itemSize(node("{" + base + "}"));
        int fits = (int) (AttributeRules.MAX_ITEM_BYTES - keys - 1);
        assertThat(check("PutItem", "{'TableName':'cmd','Item':{" + base + ",'p':{'S':'" + "x".repeat(fits) + "'}}}")).isNull();
        assertThat(check("PutItem", "{'TableName':'cmd','Item':{" + base + ",'p':{'S':'" + "x".repeat(fits + 1) + "'}}}"))
                .isEqualTo("Item size has exceeded the maximum allowed size");
        // multi-byte characters count by their UTF-8 bytes
        assertThat(check("PutItem", "{'TableName':'cmd','Item':{" + base + ",'p':{'S':'" + "é".repeat(fits / 2 + 1) + "'}}}"))
                .isEqualTo("Item size has exceeded the maximum allowed size");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            S                        | {'S':'abc'}                                   | 3
            S in UTF-8               | {'S':'é'}                                     | 2
            N 1 digit                | {'N':'7'}                                     | 2
            N 38 digits              | {'N':'12345678901234567890123456789012345678'} | 20
            N trailing zeros trimmed | {'N':'1000'}                                  | 2
            B                        | {'B':'AAECAw=='}                              | 4
            BOOL                     | {'BOOL':true}                                 | 1
            NULL                     | {'NULL':true}                                 | 1
            SS                       | {'SS':['ab','c']}                             | 3
            empty L                  | {'L':[]}                                      | 3
            L of two                 | {'L':[{'S':'ab'},{'BOOL':false}]}             | 8
            M                        | {'M':{'ab':{'S':'c'}}}                        | 7
            """)
    void sizesFollowDynamoDbsItemSizeRules(String what, String value, long size) {
        assertThat(AttributeRules.valueSize(node(value))).as(what).isEqualTo(size);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            GetItem with a wrong key type        | GetItem    | {'TableName':'cmd','Key':{'transaction_id':{'N':'1'},'created_at':{'N':'1'}}} | The provided key element does not match the schema
            GetItem without the sort key         | GetItem    | {'TableName':'cmd','Key':{'transaction_id':{'S':'t'}}}                       | The provided key element does not match the schema
            DeleteItem with an extra attribute   | DeleteItem | {'TableName':'cmd','Key':{'transaction_id':{'S':'t'},'created_at':{'N':'1'},'x':{'S':'y'}}} | The provided key element does not match the schema
            UpdateItem with an empty key string  | UpdateItem | {'TableName':'cmd','Key':{'transaction_id':{'S':''},'created_at':{'N':'1'}}} | One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: transaction_id
            UpdateItem SET #n with #n empty      | UpdateItem | {'TableName':'cmd','Key':{'transaction_id':{'S':'t'},'created_at':{'N':'1'}},'UpdateExpression':'SET #n = :v','ExpressionAttributeNames':{'#n':''},'ExpressionAttributeValues':{':v':{'S':'x'}}} | ExpressionAttributeNames contains invalid value: Empty attribute name for key #n
            UpdateItem with a bad value          | UpdateItem | {'TableName':'cmd','Key':{'transaction_id':{'S':'t'},'created_at':{'N':'1'}},'UpdateExpression':'SET p = :v','ExpressionAttributeValues':{':v':{'M':{'':{'S':'x'}}}}} | ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An attribute name may not be empty for key :v
            UpdateItem with empty value map      | UpdateItem | {'TableName':'cmd','Key':{'transaction_id':{'S':'t'},'created_at':{'N':'1'}},'UpdateExpression':'REMOVE p','ExpressionAttributeValues':{}} | ExpressionAttributeValues must not be empty
            Query with Limit 0                   | Query      | {'TableName':'cmd','KeyConditionExpression':'transaction_id = :t','ExpressionAttributeValues':{':t':{'S':'t'}},'Limit':0} | 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1
            Query with a bad number              | Query      | {'TableName':'cmd','KeyConditionExpression':'transaction_id = :t','ExpressionAttributeValues':{':t':{'N':'1E+200'}}} | ExpressionAttributeValues contains invalid value: Number overflow. Attempting to store a number with magnitude larger than supported range for key :t
            Scan with a bad start key            | Scan       | {'TableName':'cmd','ExclusiveStartKey':{'transaction_id':{'SS':[]}}}         | One or more parameter values were invalid: An string set  may not be empty
            """)
    void keysAndExpressionParametersFollowTheRules(String what, String operation, String body, String message) {
        assertThat(check(operation, body)).as(what).isEqualTo(message);
    }

    @Test
    void batchesAndTransactionsCheckEveryItemTheirSizeAndDuplicates() {
        StringBuilder writes = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            writes.append(i == 0 ? "" : ",").append("{'PutRequest':{'Item':{'transaction_id':{'S':'t").append(i)
                    .append("'},'created_at':{'N':'1'}}}}");
        }
        assertThat(check("BatchWriteItem", "{'RequestItems':{'cmd':[" + writes + "]}}"))
                .isEqualTo("Too many items requested for the BatchWriteItem call");
        String twice = "{'PutRequest':{'Item':{'transaction_id':{'S':'t'},'created_at':{'N':'1'},'a':{'S':'1'}}}},"
                + "{'DeleteRequest':{'Key':{'transaction_id':{'S':'t'},'created_at':{'N':'1'}}}}";
        assertThat(check("BatchWriteItem", "{'RequestItems':{'cmd':[" + twice + "]}}"))
                .isEqualTo("Provided list of item keys contains duplicates");
        assertThat(check("BatchWriteItem", "{'RequestItems':{'cmd':[{'PutRequest':{'Item':{'transaction_id':{'S':'t'},"
                + "'created_at':{'N':'1'},'payload':{'M':{'':{'S':'x'}}}}}}]}}"))
                .isEqualTo("One or more parameter values were invalid: An attribute name may not be empty");
        assertThat(check("TransactWriteItems", "{'TransactItems':[{'Put':{'TableName':'cmd','Item':{'transaction_id':{'S':'t'},"
                + "'created_at':{'N':'1'}}}},{'ConditionCheck':{'TableName':'cmd','Key':{'transaction_id':{'S':'t'},"
                + "'created_at':{'N':'1'}},'ConditionExpression':'attribute_exists(x)'}}]}"))
                .isEqualTo("Transaction request cannot include multiple operations on one item");
        assertThat(check("TransactWriteItems", "{'TransactItems':[{'Update':{'TableName':'cmd','Key':{'transaction_id':{'S':'t'},"
                + "'created_at':{'N':'1'}},'UpdateExpression':'SET a = :v','ExpressionAttributeValues':{':v':{'NS':['1','1']}}}}]}"))
                .isEqualTo("ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :v");
        // a table the rules do not know: the table-free rules still apply
        assertThat(check("PutItem", "{'TableName':'other','Item':{'k':{'S':'x'},'m':{'M':{'':{'S':'x'}}}}}"))
                .isEqualTo("One or more parameter values were invalid: An attribute name may not be empty");
        assertThat(check("PutItem", "{'TableName':'other','Item':{'k':{'S':''}}}")).isNull();
    }

    @Test
    void aTableArnNamesTheTable() {
        assertThat(DynamoDbInputRules.tableName("arn:aws:dynamodb:us-east-1:000000000000:table/cmd")).isEqualTo("cmd");
        assertThat(DynamoDbInputRules.tableName("arn:aws:dynamodb:us-east-1:000000000000:table/cmd/index/x")).isEqualTo("cmd");
        assertThat(check("GetItem", "{'TableName':'arn:aws:dynamodb:us-east-1:000000000000:table/cmd','Key':{'transaction_id':{'S':'t'}}}"))
                .isEqualTo("The provided key element does not match the schema");
    }

    static JsonNode node(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
