package io.pushcqrs.ops.scale;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On-demand prices in us-east-1 (USD), with where each comes from and when it was read. docs/scaling.md repeats them;
 * a price marked as an assumption was not read from AWS's own page.
 */
public record Prices(double writeRequestUnitPerMillion, double readRequestUnitPerMillion, double lambdaRequestPerMillion,
                     double lambdaGbSecond, double apiRestRequestPerMillion, double sqsRequestPerMillion,
                     double secretsManagerPer10kCalls, double secretsManagerPerSecretMonth, double logsIngestPerGb) {

    /** Read on 2026-12 (see {@link #sources()}). */
    public static Prices usEast1() {
        return new Prices(0.625, 0.125, 0.20, 0.0000166667, 3.50, 0.40, 0.05, 0.40, 0.50);
    }

    /** Where each price comes from. */
    public Map<String, String> sources() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dynamodb_on_demand", "$0.625 per million write request units, $0.125 per million read request units"
                + " (us-east-1, after the November 2024 on-demand price cut): https://aws.amazon.com/dynamodb/pricing/on-demand/"
                + " (its figures load by script; the values as quoted by airbyte.com/data-engineering-resources/dynamodb-pricing,"
                + " July 2025). Streams: GetRecords calls made by a Lambda trigger are free (same page).");
        s.put("lambda", "$0.20 per million requests, $0.0000166667 per GB-second (x86, first 6 billion GB-s a month):"
                + " https://aws.amazon.com/lambda/pricing/ (values as quoted by cloudchipr.com/blog/aws-lambda-pricing);"
                + " since August 2025 the init phase of on-demand functions is billed too.");
        s.put("api_gateway_rest", "$3.50 per million REST API calls (first 333 million a month): https://aws.amazon.com/api-gateway/pricing/"
                + " (values as listed in AWS's whitepaper 'Best Practices for Designing Amazon API Gateway Private APIs',"
                + " Table 4).");
        s.put("sqs", "$0.40 per million standard-queue requests (ASSUMPTION: not re-read; only dead-lettered batches use it).");
        s.put("secrets_manager", "$0.40 per secret-month and $0.05 per 10,000 API calls: https://aws.amazon.com/secrets-manager/pricing/"
                + " (values as quoted by third-party summaries; one GetSecretValue per query-result cold start).");
        s.put("cloudwatch_logs", "$0.50 per GB ingested for Lambda logs, first tier (tiered since May 2025):"
                + " https://aws.amazon.com/cloudwatch/pricing/ (values as quoted by duckbillgroup.com).");
        s.put("read_on", "2026-12, through the project's search tool (pages and docs corpora); prices change: check them"
                + " before you rely on a figure.");
        return s;
    }
}
