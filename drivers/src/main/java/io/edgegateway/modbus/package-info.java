/**
 * Modbus: turning register data into point values and back ({@link io.edgegateway.modbus.RegisterDecoder},
 * {@link io.edgegateway.modbus.RegisterEncoder}), grouping points into few requests
 * ({@link io.edgegateway.modbus.ReadPlanner}), and reading devices over TCP, RTU on a serial line and
 * RTU over TCP ({@link io.edgegateway.modbus.ModbusLink}, {@link io.edgegateway.modbus.ModbusMeter}).
 *
 * <p>Codecs here know nothing of transports; transports wrap j2mod with the workarounds in design.md.
 */
package io.edgegateway.modbus;
