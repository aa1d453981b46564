/**
 * Serial lines (RS-485 adapters, optical heads, pseudo-terminals in tests): their settings
 * ({@link io.edgegateway.serial.SerialSettings}) and a blocking byte pipe over jSerialComm
 * ({@link io.edgegateway.serial.SerialLine}) used by DLMS HDLC and the simulators. Modbus RTU masters map the
 * same settings onto j2mod's own serial connection.
 */
package io.edgegateway.serial;
