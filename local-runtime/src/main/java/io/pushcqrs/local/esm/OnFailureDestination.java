package io.pushcqrs.local.esm;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A mapping's on-failure destination (DestinationConfig.OnFailure): an SQS queue, its URL looked up (GetQueueUrl)
 * on first use. What is sent is an {@link OnFailureMessage}.
 */
final class OnFailureDestination {
    final String arn;
    private final String queueName;
    private final String account;
    private final SqsClient sqs;
    private volatile String url;

    /** @throws IllegalArgumentException when the ARN is not an SQS queue's */
    OnFailureDestination(String arn, SqsClient sqs) {
        String[] p = arn.split(":", -1);
        if (p.length != 6 || !"arn".equals(p[0]) || !"sqs".equals(p[2]) || p[5].isEmpty()) {
            throw new IllegalArgumentException("the on-failure destination " + arn + " is not an SQS queue ARN"
                    + " (arn:aws:sqs:REGION:ACCOUNT:NAME); only SQS on-failure destinations are supported locally");
        }
        this.arn = arn;
        this.account = p[4];
        this.queueName = p[5];
        this.sqs = sqs;
    }

    /** Sends one message; SDK exceptions reach the caller, which decides whether to try again. */
    void send(String body) {
        if (url == null) {
            url = sqs.getQueueUrl(b -> {
                b.queueName(queueName);
                if (!account.isEmpty()) {
                    b.queueOwnerAWSAccountId(account);
                }
            }).queueUrl();
        }
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
    }
}
