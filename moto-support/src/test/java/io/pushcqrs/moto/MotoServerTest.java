package io.pushcqrs.moto;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("moto") // the test tier (CONTRIBUTING.md): needs python3 with moto[server]
class MotoServerTest {

    @Test
    void startsAnswersCreatesTablesAndStops() {
        MotoServer moto = MotoServer.start();
        try (DynamoDbClient ddb = LocalAws.dynamoDb(moto.endpoint())) {
            assertThat(moto.answers()).isTrue();
            String streamArn = Tables.createCommandTable(ddb, "cmd");
            Tables.createNotificationTable(ddb, "view");
            assertThat(streamArn).contains("table/cmd/stream/");
            assertThat(ddb.describeTable(b -> b.tableName("view")).table().globalSecondaryIndexes())
                    .extracting(g -> g.indexName())
                    .containsExactlyInAnyOrder("marketing-index", "transaction-index", "sns-index", "failures-index");
            moto.reset();
            assertThat(ddb.listTables().tableNames()).isEmpty();
        } finally {
            moto.close();
        }
        assertThat(moto.isAlive()).isFalse();
        assertThat(moto.answers()).isFalse();
    }

    @Test
    void theSharedServerAppliesEachDynamoDbRequestAtomically() throws Exception {
        try (DynamoDbClient ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint())) {
            Tables.createCommandTable(ddb, "atomic-command-records");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 20; round++) {
                    String tx = "tx-" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> writers = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        String user = "u" + i;
                        writers.add(pool.submit(() -> {
                            go.await();
                            try {
                                ddb.putItem(b -> b.tableName("atomic-command-records")
                                        .item(Map.of("transaction_id", AttributeValue.fromS(tx),
                                                "created_at", AttributeValue.fromN("1"), "user_id", AttributeValue.fromS(user)))
                                        .conditionExpression("attribute_not_exists(transaction_id)"));
                                return true;
                            } catch (ConditionalCheckFailedException e) {
                                return false;
                            }
                        }));
                    }
                    go.countDown();
                    int winners = 0;
                    for (Future<Boolean> w : writers) {
                        winners += w.get(30, TimeUnit.SECONDS) ? 1 : 0;
                    }
                    assertThat(winners).as("round %d", round).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
                ddb.deleteTable(b -> b.tableName("atomic-command-records"));
            }
        }
    }

    @Test
    void theServerKeepsAConnectionAliveAcrossRequestsOfEveryBodyKind() throws Exception {
        MotoServer moto = MotoServer.shared();
        try (Socket socket = new Socket("127.0.0.1", moto.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/"
                    + "20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x\r\n";
            // a body of known length, a chunked one, a GET without body: each answered on the same connection
            String[] requests = {
                    head + "Content-Length: 2\r\n\r\n{}",
                    head + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                    "GET /moto-api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    head + "Content-Length: 2\r\nConnection: close\r\n\r\n{}"};
            for (int i = 0; i < requests.length; i++) {
                out.write(requests[i].getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Map<String, String> headers = new java.util.HashMap<>();
                String status = readAnswer(in, headers);
                assertThat(status).as("answer %d", i).startsWith("HTTP/1.1 200");
                if (i < requests.length - 1) {
                    assertThat(headers).as("answer %d", i).doesNotContainKey("connection");
                } else {
                    // the client asked to close: it is told so, and the server closes
                    assertThat(headers).containsEntry("connection", "close");
                    assertThat(in.read()).isEqualTo(-1);
                }
            }
        }
    }

    /** Reads one HTTP answer (a known length or chunked); its header names in lower case go to headers. */
    private static String readAnswer(DataInputStream in, Map<String, String> headers) throws IOException {
        String status = line(in);
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (headers.containsKey("content-length")) {
            in.readFully(new byte[Integer.parseInt(headers.get("content-length"))]);
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                in.readFully(new byte[size]);
                line(in);
            }
            line(in);
        }
        return status;
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("connection closed after: " + b);
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /**
     * The fast path for read answers ({@link MotoServer#FAST_READS}) must write what moto's own serializer writes:
     * every read below is answered both ways, in moto itself, and the two JSON documents compared.
     */
    @Test
    void readAnswersWrittenWithJsonDumpsEqualMotosOwnSerializerForEveryAttributeType() throws Exception {
        String check = String.join("\n",
                MotoServer.FAST_READS,
                "import json, boto3",
                "from moto import mock_aws",
                "from moto.dynamodb import responses as R",
                "slow = install_fast_reads()",
                "compared, mismatches = {}, []",
                "def both(slow_one, fast_one):",
                "    def compare(self, context):",
                "        a = slow_one(self, context)",
                "        b = fast_one(self, context)",
                "        name = context.operation_model.name",
                "        compared[name] = compared.get(name, 0) + 1",
                "        if a[0] != b[0] or json.loads(a[2]) != json.loads(b[2]) or a[1].get('Content-Type') != b[1].get('Content-Type'):",
                "            mismatches.append({'op': name, 'moto': a[2], 'fast': b[2]})",
                "        return b",
                "    return compare",
                "R.DynamoResult.execute_result = both(slow['dynamodb'], R.DynamoResult.execute_result)",
                "slow['StreamRecords'].execute_result = both(slow['streams'], slow['StreamRecords'].execute_result)",
                "with mock_aws():",
                "    c = boto3.client('dynamodb', region_name='us-east-1')",
                "    c.create_table(TableName='t', KeySchema=[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],",
                "        StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'NEW_AND_OLD_IMAGES'},",
                "        AttributeDefinitions=[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'S'},{'AttributeName':'g','AttributeType':'S'}],",
                "        GlobalSecondaryIndexes=[{'IndexName':'by-g','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}],",
                "        BillingMode='PAY_PER_REQUEST')",
                "    full = {'s':{'S':'h\u00e9llo \u2603 \"q\" \\\\ \\n'},'n':{'N':'-1.50E+3'},'big':{'N':'12345678901234567890123456789012345678'},",
                "        'b':{'B':b'\\x00\\xff\\x10'},'ss':{'SS':['a','b']},'ns':{'NS':['1','2.5']},'bs':{'BS':[b'x',b'\\x01']},",
                // (no empty map key: DynamoDB refuses one, the API answers 400 before writing, and moto's serializer drops it)
                "        'm':{'M':{'k':{'S':'x'},'in':{'L':[{'NULL':True},{'BOOL':False},{'M':{}},{'L':[]},{'S':''}]}}},'t':{'BOOL':True},'z':{'NULL':True}}",
                "    for i in range(30):",
                "        item = {'pk':{'S':'p%d' % (i % 3)},'sk':{'S':'%04d' % i},'g':{'S':'g%d' % (i % 2)}}",
                "        item.update(full if i % 2 else {'v':{'N':str(i)}})",
                "        c.put_item(TableName='t', Item=item)",
                "    c.get_item(TableName='t', Key={'pk':{'S':'p1'},'sk':{'S':'0001'}})",
                "    c.get_item(TableName='t', Key={'pk':{'S':'p1'},'sk':{'S':'0001'}}, ReturnConsumedCapacity='TOTAL', ProjectionExpression='b, m, #n', ExpressionAttributeNames={'#n':'n'})",
                "    c.get_item(TableName='t', Key={'pk':{'S':'none'},'sk':{'S':'x'}}, ConsistentRead=True)",
                "    q = dict(TableName='t', KeyConditionExpression='pk = :p', ExpressionAttributeValues={':p':{'S':'p1'}})",
                "    r = c.query(Limit=3, ScanIndexForward=False, ReturnConsumedCapacity='INDEXES', **q)",
                "    c.query(Limit=3, ExclusiveStartKey=r['LastEvaluatedKey'], **q)",
                "    c.query(Select='COUNT', **q)",
                "    c.query(TableName='t', IndexName='by-g', KeyConditionExpression='g = :g', ExpressionAttributeValues={':g':{'S':'g1'}}, Limit=4)",
                "    c.query(TableName='t', KeyConditionExpression='pk = :p', ExpressionAttributeValues={':p':{'S':'nobody'}})",
                "    c.query(FilterExpression='attribute_exists(ss)', **q)",
                "    r = c.scan(TableName='t', Limit=7, ReturnConsumedCapacity='TOTAL')",
                "    c.scan(TableName='t', ExclusiveStartKey=r['LastEvaluatedKey'])",
                "    c.scan(TableName='t', Segment=1, TotalSegments=3)",
                "    c.scan(TableName='t', Select='COUNT', FilterExpression='attribute_exists(b)')",
                "    c.batch_get_item(RequestItems={'t':{'Keys':[{'pk':{'S':'p0'},'sk':{'S':'0003'}},{'pk':{'S':'p1'},'sk':{'S':'0004'}},{'pk':{'S':'x'},'sk':{'S':'y'}}]}},",
                "                     ReturnConsumedCapacity='TOTAL')",
                "    c.put_item(TableName='t', Item={'pk':{'S':'p0'},'sk':{'S':'0000'},'g':{'S':'g9'},'v':{'N':'99'}})",
                "    c.delete_item(TableName='t', Key={'pk':{'S':'p1'},'sk':{'S':'0001'}})",
                "    s = boto3.client('dynamodbstreams', region_name='us-east-1')",
                "    arn = c.describe_table(TableName='t')['Table']['LatestStreamArn']",
                "    shard = s.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']",
                "    it = s.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']",
                "    r = s.get_records(ShardIterator=it, Limit=20)",
                "    r = s.get_records(ShardIterator=r['NextShardIterator'])",
                "    s.get_records(ShardIterator=r['NextShardIterator'])",
                "    kinds = sorted(set(x['eventName'] for x in r['Records']))",
                "    print('stream records ' + str(len(r['Records'])) + ' ' + ','.join(kinds))",
                "ops = ('GetItem', 'Query', 'Scan', 'BatchGetItem', 'GetRecords')",
                "print('compared ' + ' '.join('%s=%d' % (o, compared.get(o, 0)) for o in ops))",
                "print('fast ' + ' '.join('%s=%d' % (o, FAST_READ_HITS.get(o, 0)) for o in ops))",
                "print('mismatches %d %s' % (len(mismatches), json.dumps(mismatches)[:3000]))");
        Process p = new ProcessBuilder(MotoServer.python(), "-c", check).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).as("what moto answered both ways").contains("mismatches 0 []")
                .contains("compared GetItem=3 Query=6 Scan=4 BatchGetItem=1 GetRecords=3")
                // and the fast path was the one taken, each time
                .contains("fast GetItem=3 Query=6 Scan=4 BatchGetItem=1 GetRecords=3")
                // the stream's second page holds the rest of the inserts, the MODIFY and the REMOVE
                .contains("stream records 12 INSERT,MODIFY,REMOVE");
    }

    @Test
    void missingPythonSaysHowToInstall() {
        assertThatThrownBy(() -> MotoServer.checkInstalled("/nonexistent/python3"))
                .isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("pip install \"moto[server]\"");
    }

    @Test
    void pythonWithoutMotoSaysHowToInstall() {
        // /bin/false stands for a python whose "import moto.server" fails.
        assertThatThrownBy(() -> MotoServer.checkInstalled("/bin/false"))
                .isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("not installed")
                .hasMessageContaining("pip install");
    }
}
