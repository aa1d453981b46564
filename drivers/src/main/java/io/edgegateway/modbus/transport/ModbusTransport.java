package io.edgegateway.modbus.transport;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;

/**
 * Carries one request to a unit and its answer back, on one connection: Modbus TCP ({@link MbapTransport}), or RTU
 * frames on a serial line or through a serial device server ({@link RtuTransport}). Connects on first use and
 * reconnects by itself. Not thread-safe: the client serialises exchanges, as an RS-485 line has one master.
 *
 * <p>Every exchange has a deadline for the whole answer ({@link LinkOptions#responseTimeout()}, plus the frames'
 * time on the wire on a serial line). Failures are told apart by what happened on the wire, never by a library's
 * message:
 * <ul>
 *   <li>{@link NoResponseException}: nothing, or not a whole answer, before the deadline;</li>
 *   <li>{@link LinkDownException}: no connection, or it closed or broke during the exchange;</li>
 *   <li>{@link BadResponseException}: bytes that are no valid answer (CRC, length, transaction id, unit, PDU form,
 *       bytes after the answer).</li>
 * </ul>
 */
public interface ModbusTransport extends AutoCloseable {

    /** Sends {@code request} to {@code unitId} and returns its answer, which may be an exception answer. */
    AnswerPdu exchange(int unitId, RequestPdu request) throws DeviceException;

    /** Transactions that may be in flight at once; 1 unless the framing has ids and the bus allows more. */
    default int maxOutstanding() {
        return 1;
    }

    /**
     * Sends {@code request} ahead of its turn, when the window allows: a later {@link #exchange} of the same request
     * takes its answer instead of asking again. Requests are claimed in the order they were sent ahead. A hint: the
     * transport may ignore it, and does where only one transaction may be in flight.
     *
     * @param behindOtherUnits whether it may queue behind another unit's requests: yes for a scheduler that sends
     *                         ahead in the order it will poll, no for a unit's own next requests during its read
     */
    default void sendAhead(int unitId, RequestPdu request, boolean behindOtherUnits) {
    }

    /** "modbus-tcp 10.0.0.5:502", "rtu /dev/ttyUSB0 9600 8N1", "rtu-over-tcp 10.0.0.9:4001". */
    String describe();

    /** Connections made so far. */
    long connects();

    /**
     * Answers that arrived after their request had timed out, recognised and dropped. Only Modbus TCP can tell a
     * late answer by its transaction id; RTU framings discard the line's input instead, so they count none.
     */
    default long lateRepliesDiscarded() {
        return 0;
    }

    /** Closes the connection; the next exchange opens a new one. */
    @Override
    void close();
}
