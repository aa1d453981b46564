package io.edgegateway.config;

import io.edgegateway.serial.SerialSettings;

import java.time.Duration;

/**
 * One bus: a TCP endpoint or a serial line that one scheduler owns.
 *
 * @param name           name devices refer to
 * @param type           protocol and transport
 * @param host           TCP host (TCP types)
 * @param port           TCP port (TCP types)
 * @param serial         line settings (serial types)
 * @param timeout        response timeout per request
 * @param connectTimeout TCP connect timeout
 * @param pause          silence kept between two requests on this bus (slow RS-485 converters need some)
 * @param lateReplyGuard after a timeout on RTU framing, how much longer the line is kept quiet so that a late answer
 *                       cannot be taken for the next request's (Modbus RTU and RTU over TCP)
 * @param maxOutstanding transactions kept in flight on the connection (Modbus TCP only; 1 elsewhere): 1, the safe
 *                       choice for devices, or more for TCP gateways and servers that accept several
 */
public record BusConfig(String name, BusType type, String host, int port, SerialSettings serial, Duration timeout,
                        Duration connectTimeout, Duration pause, Duration lateReplyGuard, int maxOutstanding) {

    /** One transaction at a time. */
    public BusConfig(String name, BusType type, String host, int port, SerialSettings serial, Duration timeout,
                     Duration connectTimeout, Duration pause, Duration lateReplyGuard) {
        this(name, type, host, port, serial, timeout, connectTimeout, pause, lateReplyGuard, 1);
    }

    /** "modbus-tcp 10.0.0.5:502" or "modbus-rtu /dev/ttyUSB0 9600 8N1". */
    public String describe() {
        return type.configName() + " " + (type.serial() ? serial.describe() : host + ":" + port);
    }
}
