#!/usr/bin/env python3
"""Latency of DynamoDB calls through the local stack's edge (or straight to moto), with boto3.

Creates a small table, puts one item, then times N sequential GetItem (or PutItem) calls after a warm-up,
and prints p50/p90/p99/max; --out also writes them as JSON. The table is deleted at the end.
--client raw times the same calls sent with http.client on one kept-alive connection (no SDK work: what is
left is the edge and moto).

    python3 local-runtime/bench/edge_dynamodb.py --endpoint http://127.0.0.1:4599 --count 500 --op get
"""
import argparse
import json
import statistics
import time
import uuid

import http.client
import urllib.parse

import boto3


def percentile(sorted_ms, p):
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100.0 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", default="http://127.0.0.1:4599")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--op", choices=["get", "put"], default="get")
    ap.add_argument("--client", choices=["boto3", "raw"], default="boto3")
    ap.add_argument("--label", default="")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    ddb = boto3.client("dynamodb", endpoint_url=args.endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    table = "edge-bench-" + uuid.uuid4().hex[:8]
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    try:
        item = {"pk": {"S": "k1"}, "v": {"N": "42"}, "s": {"S": "x" * 200}}
        ddb.put_item(TableName=table, Item=item)

        url = urllib.parse.urlparse(args.endpoint)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Content-Type": "application/x-amz-json-1.0",
                   "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, "
                                    "SignedHeaders=host, Signature=0"}

        def raw(target, payload):
            conn.request("POST", "/", body=json.dumps(payload),
                         headers=dict(headers, **{"X-Amz-Target": "DynamoDB_20120810." + target}))
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise RuntimeError("%s answered %d: %s" % (target, r.status, body[:200]))

        def call(i):
            if args.client == "raw":
                if args.op == "get":
                    raw("GetItem", {"TableName": table, "Key": {"pk": {"S": "k1"}}})
                else:
                    raw("PutItem", {"TableName": table, "Item": dict(item, pk={"S": "k%d" % i})})
            elif args.op == "get":
                ddb.get_item(TableName=table, Key={"pk": {"S": "k1"}})
            else:
                ddb.put_item(TableName=table, Item=dict(item, pk={"S": "k%d" % i}))

        for i in range(args.warmup):
            call(i)
        ms = []
        for i in range(args.count):
            t0 = time.perf_counter()
            call(i)
            ms.append((time.perf_counter() - t0) * 1000.0)
    finally:
        ddb.delete_table(TableName=table)

    ms.sort()
    result = {"label": args.label, "endpoint": args.endpoint, "client": args.client, "op": args.op, "count": args.count,
              "p50_ms": round(percentile(ms, 50), 3), "p90_ms": round(percentile(ms, 90), 3),
              "p99_ms": round(percentile(ms, 99), 3), "max_ms": round(ms[-1], 3),
              "mean_ms": round(statistics.fmean(ms), 3)}
    print(json.dumps(result))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
