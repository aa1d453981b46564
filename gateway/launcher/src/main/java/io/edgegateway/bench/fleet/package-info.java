/**
 * {@code bin/bench fleet}: the gateway polling hundreds of simulated meters, side by side with Node-RED polling the
 * same ones: the plan of meters and requests, the peer's install and flow, and the measured runs.
 */
package io.edgegateway.bench.fleet;
