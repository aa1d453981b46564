/**
 * Fault injection for simulated devices: what can go wrong ({@link io.edgegateway.sim.fault.FaultPlan}: silence,
 * late answers, exception codes, corrupt CRCs, dropped connections, flapping) and the live, per-unit switchboard
 * protocol servers consult for every request ({@link io.edgegateway.sim.fault.Faults}).
 */
package io.edgegateway.sim.fault;
