/**
 * Simulated field devices for testing wiring, the gateway and dashboards without hardware: Modbus meters and
 * PLCs ({@code sim.modbus}), DLMS meters ({@code sim.dlms}), the physics behind their values
 * ({@code sim.model}), fault injection ({@code sim.fault}) and a swarm of simulated SSE dashboards
 * ({@code sim.swarm}). {@link io.edgegateway.sim.SimulatorMain} is the {@code bin/simulator} entry point.
 */
package io.edgegateway.sim;
