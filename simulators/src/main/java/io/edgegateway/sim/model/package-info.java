/**
 * The physics behind simulated values, independent of any protocol: an electricity supply and load
 * ({@link io.edgegateway.sim.model.MeterModel}) and a tank-and-pump process
 * ({@link io.edgegateway.sim.model.TankProcessModel}). {@link io.edgegateway.sim.model.SimulatedDevice} binds a
 * model to a profile's points by their {@code quantity} tag, so any profile can be simulated without code;
 * Modbus and DLMS servers render its values.
 */
package io.edgegateway.sim.model;
