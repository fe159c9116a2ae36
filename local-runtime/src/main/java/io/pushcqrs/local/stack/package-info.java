/**
 * One start of the local stack: {@link io.pushcqrs.local.stack.RunningStack} boots the parts in order and stops
 * them; {@link io.pushcqrs.local.stack.StartupSummary} is what it prints, {@link io.pushcqrs.local.stack.StackOutputs}
 * what it writes to outputs.json, {@link io.pushcqrs.local.stack.HealthReport} what {@code /_local/health} answers,
 * {@link io.pushcqrs.local.stack.StateFolder} its pid file. The command line is {@code io.pushcqrs.local.LocalStackMain}.
 */
package io.pushcqrs.local.stack;
