package io.edgegateway.modbus;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.SharedLine;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.transport.AnswerPdu;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.transport.MbapTransport;
import io.edgegateway.modbus.transport.ModbusTransport;
import io.edgegateway.modbus.transport.RequestPdu;
import io.edgegateway.modbus.transport.RtuTransport;
import io.edgegateway.point.Table;
import io.edgegateway.serial.SerialSettings;

import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Modbus master on one connection: a TCP socket to a device or gateway, an RTU serial line, or RTU frames through
 * a serial device server. Several unit ids share one client, and it runs one transaction at a time, as an RS-485
 * line has one master; on Modbus TCP with several allowed in flight, reads may also be sent ahead ({@link #readAhead}).
 *
 * <p>Each call is one request, tried once; the gateway's scheduler retries with backoff. Every answer is checked
 * against its request (function code, count, the echo of a write) on top of the transport's checks of the frame.
 * Exception 0B (gateway target device failed to respond) is reported as {@link NoResponseException} and 0A (gateway
 * path unavailable) as {@link LinkDownException}: behind a TCP-to-RTU gateway they mean the meter is away, not that
 * it refused.
 *
 * <p>Thread-safe. A {@link ReentrantLock} rather than {@code synchronized} serialises transactions so that a
 * virtual thread waiting for its turn does not pin its carrier on JDK 21.
 */
public final class ModbusClient implements SharedLine {

    /** How requests are framed on the wire. */
    public enum Framing {
        /** Modbus TCP: MBAP header with transaction id, no CRC. */
        TCP("modbus-tcp"),
        /** RTU frames (unit, PDU, CRC-16) carried by a TCP connection to a serial device server. */
        RTU_OVER_TCP("rtu-over-tcp"),
        /** RTU frames on a serial line. */
        RTU("rtu");

        private final String label;

        Framing(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Framing framing;
    private final LinkOptions options;
    private final ModbusTransport transport;
    private final ReentrantLock lock = new ReentrantLock();

    // Written under the lock, read without it: stats() must not wait for a transaction to time out.
    private volatile long requests;
    private volatile long answers;
    private volatile long rejected;
    private volatile long noResponse;
    private volatile long badResponse;
    private volatile long linkDown;

    private ModbusClient(Framing framing, LinkOptions options, ModbusTransport transport) {
        this.framing = framing;
        this.options = options;
        this.transport = transport;
    }

    /** Modbus TCP to {@code host:port} (usually 502). Nothing connects until the first request. */
    public static ModbusClient tcp(String host, int port, LinkOptions options) {
        return new ModbusClient(Framing.TCP, options, new MbapTransport(host, port, options));
    }

    /**
     * Modbus TCP that may keep {@code maxOutstanding} transactions in flight (see {@link #readAhead}): for TCP
     * gateways and servers that accept several at once. 1 is {@link #tcp(String, int, LinkOptions)}.
     */
    public static ModbusClient tcp(String host, int port, LinkOptions options, int maxOutstanding) {
        return new ModbusClient(Framing.TCP, options, new MbapTransport(host, port, options, maxOutstanding));
    }

    /** Modbus TCP with {@link LinkOptions#TCP}. */
    public static ModbusClient tcp(String host, int port) {
        return tcp(host, port, LinkOptions.TCP);
    }

    /** RTU frames over a TCP connection, to a serial device server in transparent ("raw socket") mode. */
    public static ModbusClient rtuOverTcp(String host, int port, LinkOptions options) {
        return new ModbusClient(Framing.RTU_OVER_TCP, options, RtuTransport.overTcp(host, port, options));
    }

    /** RTU over TCP with {@link LinkOptions#RTU_OVER_TCP}. */
    public static ModbusClient rtuOverTcp(String host, int port) {
        return rtuOverTcp(host, port, LinkOptions.RTU_OVER_TCP);
    }

    /** RTU on a serial line. The port opens with the first request and stays open. */
    public static ModbusClient serial(SerialSettings settings, LinkOptions options) {
        return new ModbusClient(Framing.RTU, options, RtuTransport.serial(settings, options));
    }

    /** RTU on a serial line with {@link LinkOptions#SERIAL}. */
    public static ModbusClient serial(SerialSettings settings) {
        return serial(settings, LinkOptions.SERIAL);
    }

    public Framing framing() {
        return framing;
    }

    public LinkOptions options() {
        return options;
    }

    /** "modbus-tcp 10.0.0.5:502", "rtu /dev/ttyUSB0 9600 8N1", "rtu-over-tcp 10.0.0.9:4001". */
    public String describe() {
        return transport.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Counters so far; does not wait for a transaction in progress. */
    public LinkStats stats() {
        return new LinkStats(requests, answers, rejected, noResponse, badResponse, linkDown, transport.connects(),
                transport.lateRepliesDiscarded());
    }

    @Override
    public long connects() {
        return transport.connects();
    }

    @Override
    public long lateRepliesDiscarded() {
        return transport.lateRepliesDiscarded();
    }

    /**
     * Reads {@code count} registers or bits of {@code table} from {@code start} (function 1, 2, 3 or 4).
     *
     * @return the data; bits are unpacked one byte (0 or 1) per bit
     * @throws NoResponseException  nothing (or not a whole answer) came back within the deadline
     * @throws LinkDownException    no connection could be made, or it broke during the request
     * @throws RejectedException    the device answered with an exception code ({@link RejectedException#code()})
     * @throws BadResponseException the answer was not a valid answer to this request
     */
    public RegisterBlock read(int unitId, Table table, int start, int count) throws DeviceException {
        RequestPdu.Read request = new RequestPdu.Read(table, start, count);
        AnswerPdu answer = exchange(unitId, request);
        byte[] data = switch (answer) {
            case AnswerPdu.Registers r when !table.isBits() && r.function() == request.function() -> {
                if (r.count() != count) {
                    throw failed(bad(unitId, request, "answer carries " + r.count() + " registers for " + count));
                }
                yield r.data();
            }
            case AnswerPdu.Bits b when table.isBits() && b.function() == request.function() -> {
                if (b.bytes() != (count + 7) / 8) {
                    throw failed(bad(unitId, request, "answer carries " + b.bytes() + " bytes of bits for " + count
                            + " bits"));
                }
                yield b.bits();
            }
            default -> throw failed(otherFunction(unitId, request, answer));
        };
        answers++;
        return new RegisterBlock(table, start, count, data);
    }

    /** Transactions this connection may keep in flight at once. */
    @Override
    public int maxOutstanding() {
        return transport.maxOutstanding();
    }

    /**
     * Sends a read ahead of its turn on a connection that may keep several in flight: the {@link #read} of the same
     * unit, table, start and count that comes next takes its answer. A hint, ignored where only one transaction may
     * be in flight, the window is full, or another unit's read was sent ahead last; reads are claimed in the order
     * they were sent ahead.
     */
    public void readAhead(int unitId, Table table, int start, int count) {
        readAhead(unitId, table, start, count, false);
    }

    /**
     * {@link #readAhead(int, Table, int, int)}, also behind other units' reads: for whoever knows the order in which
     * the units will be read (the bus scheduler).
     */
    public void readAhead(int unitId, Table table, int start, int count, boolean behindOtherUnits) {
        if (transport.maxOutstanding() < 2) {
            return;
        }
        checkUnit(unitId);
        lock.lock();
        try {
            transport.sendAhead(unitId, new RequestPdu.Read(table, start, count), behindOtherUnits);
        } finally {
            lock.unlock();
        }
    }

    /** Function 5: sets one coil on or off. */
    public void writeCoil(int unitId, int address, boolean on) throws DeviceException {
        expectEcho(unitId, new RequestPdu.WriteCoil(address, on), address, on ? 0xFF00 : 0);
    }

    /** Function 15: sets {@code values.length} coils (1..1968) from {@code start}. */
    public void writeCoils(int unitId, int start, boolean[] values) throws DeviceException {
        expectEcho(unitId, new RequestPdu.WriteCoils(start, values), start, values.length);
    }

    /** Function 6: sets one holding register to {@code value} (0..65535, or -32768..-1 as two's complement). */
    public void writeRegister(int unitId, int address, int value) throws DeviceException {
        if (value < Short.MIN_VALUE || value > 0xFFFF) {
            throw new IllegalArgumentException("register value " + value + " does not fit 16 bits");
        }
        expectEcho(unitId, new RequestPdu.WriteRegister(address, value & 0xFFFF), address, value & 0xFFFF);
    }

    /** Function 16: writes registers from {@code start}; {@code wire} holds two bytes per register (1..123). */
    public void writeRegisters(int unitId, int start, byte[] wire) throws DeviceException {
        RequestPdu.WriteRegisters request = new RequestPdu.WriteRegisters(start, wire);
        expectEcho(unitId, request, start, request.count());
    }

    private void expectEcho(int unitId, RequestPdu request, int address, int value) throws DeviceException {
        AnswerPdu answer = exchange(unitId, request);
        if (!(answer instanceof AnswerPdu.Echo e) || e.function() != request.function()) {
            throw failed(otherFunction(unitId, request, answer));
        }
        if (e.address() != address || e.value() != value) {
            throw failed(bad(unitId, request, "the device did not echo the write"));
        }
        answers++;
    }

    /** One request and its answer; exception answers become exceptions here. */
    private AnswerPdu exchange(int unitId, RequestPdu request) throws DeviceException {
        checkUnit(unitId);
        lock.lock();
        try {
            requests++;
            AnswerPdu answer;
            try {
                answer = transport.exchange(unitId, request);
            } catch (DeviceException e) {
                throw failed(e);
            }
            if (answer instanceof AnswerPdu.Exception ex) {
                throw failed(refusal(unitId, request, ex));
            }
            return answer;
        } finally {
            lock.unlock();
        }
    }

    private DeviceException refusal(int unitId, RequestPdu request, AnswerPdu.Exception ex) {
        if (ex.function() != request.function()) {
            return bad(unitId, request, String.format(Locale.ROOT, "exception answer for function %02d", ex.function()));
        }
        int code = ex.code();
        // A TCP-to-RTU gateway answers for a meter behind it that is silent or unreachable: that meter is
        // DISCONNECTED, not in ERROR. The connection to the gateway itself is fine and stays.
        if (code == ExceptionCode.GATEWAY_TARGET_FAILED.code()) {
            return new NoResponseException("gateway reports no answer (" + ExceptionCode.describe(code) + ") from "
                    + context(unitId, request), null);
        }
        if (code == ExceptionCode.GATEWAY_PATH_UNAVAILABLE.code()) {
            return new LinkDownException("gateway has no path (" + ExceptionCode.describe(code) + ") to "
                    + context(unitId, request), null);
        }
        return new RejectedException(ExceptionCode.describe(code) + " from " + context(unitId, request), code);
    }

    private DeviceException otherFunction(int unitId, RequestPdu request, AnswerPdu answer) {
        int function = switch (answer) {
            case AnswerPdu.Registers r -> r.function();
            case AnswerPdu.Bits b -> b.function();
            case AnswerPdu.Echo e -> e.function();
            case AnswerPdu.Exception e -> e.function() | 0x80;
        };
        return bad(unitId, request, String.format(Locale.ROOT, "answer is for function %02d", function));
    }

    /** Books a failure by its kind. */
    private DeviceException failed(DeviceException e) {
        switch (e) {
            case NoResponseException n -> noResponse++;
            case BadResponseException b -> badResponse++;
            case LinkDownException l -> linkDown++;
            case RejectedException r -> rejected++;
        }
        return e;
    }

    private BadResponseException bad(int unitId, RequestPdu request, String problem) {
        return new BadResponseException(problem + ": " + context(unitId, request), null);
    }

    private String context(int unitId, RequestPdu request) {
        return "unit " + unitId + " " + request.describe() + " on " + describe();
    }

    private void checkUnit(int unitId) {
        if (framing == Framing.TCP ? unitId < 0 || unitId > 255 : unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("unit id " + unitId + " out of range "
                    + (framing == Framing.TCP ? "0..255" : "1..247 (0 is broadcast, which has no answer)"));
        }
    }

    /** Closes the connection; the next request opens a new one. */
    @Override
    public void close() {
        lock.lock();
        try {
            transport.close();
        } finally {
            lock.unlock();
        }
    }
}
