/**
 * The Modbus client: {@link io.edgegateway.modbus.ModbusClient} sends one request at a time on a link (on Modbus
 * TCP, optionally several sent ahead) and checks each answer against its request;
 * {@link io.edgegateway.modbus.ModbusMeter} reads a unit's points in few requests and re-plans what the device
 * refuses. Below it: {@code codec} (register data to point values and back), {@code plan} (points into requests)
 * and {@code transport} (frames on the wire, the only place j2mod is used).
 */
package io.edgegateway.modbus;
