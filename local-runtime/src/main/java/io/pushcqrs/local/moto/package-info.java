/**
 * The stack's AWS backend, moto's server: the SDK clients the stack uses on it
 * ({@link io.pushcqrs.local.moto.MotoClients}, account 000000000000) and the
 * {@link io.pushcqrs.local.resources.Backend} that creates the template's tables and queues in it
 * ({@link io.pushcqrs.local.moto.AwsBackend}). Starting and stopping the server is moto-support's
 * {@code io.pushcqrs.moto.MotoServer}.
 */
package io.pushcqrs.local.moto;
