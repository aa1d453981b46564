/**
 * Simulated Modbus devices: our own server-side protocol stack (PDU codec {@link io.edgegateway.sim.modbus.Pdu},
 * MBAP framing {@link io.edgegateway.sim.modbus.Mbap}, RTU framing with CRC-16 {@link io.edgegateway.sim.modbus.RtuFrames}),
 * written from the specifications and independent of j2mod, so that the driver (which is j2mod) is always tested
 * against a second implementation. Any profile is served at its real addresses and encodings from a
 * {@link io.edgegateway.sim.model.SimulatedDevice}. Embeddable servers: {@link io.edgegateway.sim.modbus.ModbusTcpSimulator}
 * (Modbus TCP and RTU over TCP) and {@link io.edgegateway.sim.modbus.ModbusRtuSimulator} (serial line), both with
 * live fault injection ({@link io.edgegateway.sim.fault.Faults}) and request counters; and the
 * {@code bin/simulator modbus-tcp|modbus-rtu} commands.
 */
package io.edgegateway.sim.modbus;
