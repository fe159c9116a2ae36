/**
 * The rules of a DynamoDB-stream event source mapping, as AWS documents them, with no threads, clocks or I/O:
 * when buffered records make a batch ({@link io.pushcqrs.local.esm.rules.Batching}), what an invocation came to
 * ({@link io.pushcqrs.local.esm.rules.BatchOutcome}), and what follows from it
 * ({@link io.pushcqrs.local.esm.rules.DeliveryRules}). The poller in {@link io.pushcqrs.local.esm} does the I/O.
 */
package io.pushcqrs.local.esm.rules;
