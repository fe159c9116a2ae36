/**
 * Fault injection for the embedded stack only (docs/reliability.md, "Faults"): switched on by {@code --faults <spec>}
 * ({@link io.pushcqrs.local.faults.FaultSpec}), off by default, and named in the start-up summary. Nothing here is
 * reachable in a deployed stack: it lives in local-runtime, which is never deployed. The hooks into the rest of the
 * stack are a {@link io.pushcqrs.local.lambda.LambdaInvoker} around the pollers' invoker
 * ({@link io.pushcqrs.local.faults.FaultyInvoker}), a {@link io.pushcqrs.local.edge.RequestCheck} on the edge's
 * forwarding to moto ({@link io.pushcqrs.local.faults.BackendFaults}) and a timer that restarts the pollers and kills
 * the mapped functions' JVMs ({@link io.pushcqrs.local.faults.Faults#startRestarts}). Every decision comes from a
 * seeded random sequence, so the same seed gives the same sequence of faults.
 */
package io.pushcqrs.local.faults;
