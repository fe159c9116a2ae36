/**
 * DynamoDB-stream event source mappings for the embedded stack: what AWS Lambda's pollers do between a
 * table's stream and a function.
 * <ul>
 * <li>{@link io.pushcqrs.local.esm.StreamPoller}: one per {@code AWS::Lambda::EventSourceMapping}; reads every
 *     shard, batches, invokes through a {@link io.pushcqrs.local.lambda.LambdaInvoker} and applies the mapping's
 *     error handling (partial batch response, bisect, retries, record age, on-failure queue).</li>
 * <li>{@link io.pushcqrs.local.esm.CheckpointStore}: where each mapping has got to in each shard, one JSON file
 *     per mapping, written atomically, so a restart resumes without loss.</li>
 * <li>{@link io.pushcqrs.local.esm.StreamEventFactory}: GetRecords records to the exact event Lambda sends.</li>
 * <li>{@link io.pushcqrs.local.esm.BatchOutcome}: what an invocation came to by AWS's rules.</li>
 * <li>{@link io.pushcqrs.local.esm.OnFailureMessage}: the AWS-shaped record sent to the on-failure queue.</li>
 * </ul>
 * Wiring:
 * <pre>{@code
 * CheckpointStore checkpoints = new CheckpointStore(stateDir.resolve("esm-checkpoints"));
 * StreamPoller poller = new StreamPoller(spec, streamsClient, sqsClient, lambdaRuntime, checkpoints);
 * poller.start();   // daemon threads
 * ...
 * poller.close();   // stops; checkpoints stay
 * }</pre>
 */
package io.pushcqrs.local.esm;
