/**
 * Programs a benchmark starts and watches from outside: the gateway as its own process ({@code bin/gateway run}),
 * and what /proc says of any process (CPU time, RSS).
 */
package io.edgegateway.bench.process;
