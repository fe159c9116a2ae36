/**
 * DynamoDB-stream event source mappings for the embedded stack: what AWS Lambda's pollers do between a
 * table's stream and a function. One job per class:
 * <ul>
 * <li>{@link io.pushcqrs.local.esm.StreamPoller}: one per {@code AWS::Lambda::EventSourceMapping}: its settings,
 *     start and stop, counters.</li>
 * <li>{@link io.pushcqrs.local.esm.ShardCoordinator}: shard discovery and lineage (a child after its parent), a
 *     reader per shard.</li>
 * <li>{@link io.pushcqrs.local.esm.ShardReader}: iterators, GetRecords and batching.</li>
 * <li>{@link io.pushcqrs.local.esm.BatchDelivery}: the I/O of delivering a batch (invoke, checkpoint, discard,
 *     wait), as the rules decide.</li>
 * <li>{@link io.pushcqrs.local.esm.rules}: the rules themselves, pure and tested from tables:
 *     {@link io.pushcqrs.local.esm.rules.DeliveryRules} (retry, bisect, record age, retry attempts, partial batch
 *     response, checkpoint, on-failure), {@link io.pushcqrs.local.esm.rules.BatchOutcome} (what an invocation came
 *     to) and {@link io.pushcqrs.local.esm.rules.Batching} (when buffered records make a batch).</li>
 * <li>{@link io.pushcqrs.local.esm.OnFailureDestination} and {@link io.pushcqrs.local.esm.OnFailureMessage}: the
 *     on-failure SQS queue and the AWS-shaped record sent to it.</li>
 * <li>{@link io.pushcqrs.local.esm.CheckpointStore}: where each mapping has got to in each shard, one JSON file
 *     per mapping, written atomically, so a restart resumes without loss.</li>
 * <li>{@link io.pushcqrs.local.esm.StreamEventFactory}: GetRecords records to the exact event Lambda sends.</li>
 * </ul>
 * Wiring:
 * <pre>{@code
 * CheckpointStore checkpoints = new CheckpointStore(stateDir.resolve("checkpoints"));
 * StreamPoller poller = new StreamPoller(spec, streamsClient, sqsClient, lambdaRuntime, checkpoints);
 * poller.start();   // daemon threads
 * ...
 * poller.close();   // stops; checkpoints stay
 * }</pre>
 */
package io.pushcqrs.local.esm;
