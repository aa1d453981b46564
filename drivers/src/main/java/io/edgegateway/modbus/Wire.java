package io.edgegateway.modbus;

import com.ghgande.j2mod.modbus.io.AbstractModbusTransport;
import io.edgegateway.device.LinkDownException;

import java.io.IOException;

/**
 * The physical connection under a {@link ModbusLink}: a TCP socket or a serial port, with the j2mod transport that
 * frames requests and parses answers on it. Not thread-safe; the link serialises access.
 */
sealed interface Wire permits TcpWire, SerialWire {

    /** Opens the connection if it is not open. */
    void open() throws LinkDownException;

    boolean isOpen();

    /** The j2mod transport of the open connection. */
    AbstractModbusTransport transport();

    /** Drops whatever input is waiting, so nothing left from an earlier exchange is read as the next answer. */
    void discardInput() throws IOException;

    /** Bytes already waiting right after an answer was read; more than zero means the line carried something else. */
    int pendingInput() throws IOException;

    /** Closes the connection; {@link #open} makes a new one. */
    void close();

    /** "127.0.0.1:502", "/dev/ttyUSB0 9600 8N1". */
    String describe();
}
