/**
 * Synthetic readings for the benchmarks that feed the hub and the store directly, without polling simulators:
 * {@code WalkingMeter}, a meter whose values move the way a real one's do.
 */
package io.edgegateway.bench.load;
