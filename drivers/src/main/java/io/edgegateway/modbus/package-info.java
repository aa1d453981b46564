/**
 * Modbus: turning register data into point values and back ({@link io.edgegateway.modbus.codec.RegisterDecoder},
 * {@link io.edgegateway.modbus.codec.RegisterEncoder}), grouping points into few requests
 * ({@link io.edgegateway.modbus.plan.ReadPlanner}), and reading devices over TCP, RTU on a serial line and
 * RTU over TCP ({@link io.edgegateway.modbus.ModbusClient}, {@link io.edgegateway.modbus.ModbusMeter}).
 *
 * <p>Codecs here know nothing of transports; transports wrap j2mod with the workarounds in design.md.
 */
package io.edgegateway.modbus;
