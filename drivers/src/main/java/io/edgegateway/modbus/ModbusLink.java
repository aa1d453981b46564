package io.edgegateway.modbus;

import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.msg.ExceptionResponse;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteCoilResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterResponse;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.point.Table;
import io.edgegateway.serial.SerialSettings;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One physical Modbus connection: a TCP socket to a device or gateway, an RTU serial line, or RTU frames through a
 * serial device server (RTU over TCP). Several unit ids share one link; a link runs one transaction at a time, as
 * an RS-485 line has one master.
 *
 * <p>Built on j2mod's transports (framing, CRC, PDU parsing) with the workarounds design.md lists:
 * <ul>
 *   <li>one try per call: j2mod's retry loops are not used (its TCP transaction turns 0 retries into 5); the
 *       gateway scheduler retries with backoff;</li>
 *   <li>after a timeout or a broken answer a TCP connection is closed and the next request makes a new one, so a
 *       late answer can never be read as the next one's (j2mod issue #165);</li>
 *   <li>every answer is checked against its request: transaction id (TCP), unit id, function code, byte count, and
 *       for writes the echoed address and value;</li>
 *   <li>RTU framings (serial, RTU over TCP) have no transaction id, so before each request waiting input is
 *       discarded, after a timeout the link waits out {@link LinkOptions#lateReplyGuard()} before the next request, and an
 *       answer followed by more bytes is refused;</li>
 *   <li>transaction ids are this link's own (j2mod keeps one static counter for all masters);</li>
 *   <li>the quiet time between requests is the link's own, at least RTU's 3.5 characters (j2mod's inter-frame
 *       sleep truncates to milliseconds).</li>
 * </ul>
 *
 * <p>Exception 0B (gateway target device failed to respond) is reported as {@link NoResponseException} and 0A
 * (gateway path unavailable) as {@link LinkDownException}: behind a TCP-to-RTU gateway they mean the meter is
 * away, not that it refused.
 *
 * <p>Thread-safe. A {@link ReentrantLock} rather than {@code synchronized} serialises transactions so that a
 * virtual thread waiting for its turn does not pin its carrier on JDK 21.
 */
public final class ModbusLink implements AutoCloseable {

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

        boolean rtu() {
            return this != TCP;
        }
    }

    private static final System.Logger LOG = System.getLogger(ModbusLink.class.getName());

    private final Framing framing;
    private final LinkOptions options;
    private final Wire wire;
    private final long minGapNanos;
    private final ReentrantLock lock = new ReentrantLock();

    private int transactionId;
    private long lastExchangeEnd;
    private boolean exchanged;
    /** Exchanges completed on the current connection: a connection that served before may have gone stale. */
    private long exchangesOnConnection;

    // Written under the lock, read without it: stats() must not wait for a transaction to time out.
    private volatile long requests;
    private volatile long answers;
    private volatile long rejected;
    private volatile long noResponse;
    private volatile long badResponse;
    private volatile long linkDown;
    private volatile long connects;

    private ModbusLink(Framing framing, LinkOptions options, Wire wire, long minGapNanos) {
        this.framing = framing;
        this.options = options;
        this.wire = wire;
        this.minGapNanos = minGapNanos;
    }

    /** Modbus TCP to {@code host:port} (usually 502). Nothing connects until the first request. */
    public static ModbusLink tcp(String host, int port, LinkOptions options) {
        checkEndpoint(host, port);
        return new ModbusLink(Framing.TCP, options, new TcpWire(host, port, false, options), options.pause().toNanos());
    }

    /** Modbus TCP with {@link LinkOptions#TCP}. */
    public static ModbusLink tcp(String host, int port) {
        return tcp(host, port, LinkOptions.TCP);
    }

    /** RTU frames over a TCP connection, to a serial device server in transparent ("raw socket") mode. */
    public static ModbusLink rtuOverTcp(String host, int port, LinkOptions options) {
        checkEndpoint(host, port);
        return new ModbusLink(Framing.RTU_OVER_TCP, options, new TcpWire(host, port, true, options),
                options.pause().toNanos());
    }

    /** RTU over TCP with {@link LinkOptions#RTU_OVER_TCP}. */
    public static ModbusLink rtuOverTcp(String host, int port) {
        return rtuOverTcp(host, port, LinkOptions.RTU_OVER_TCP);
    }

    /** RTU on a serial line. The port opens with the first request and stays open. */
    public static ModbusLink serial(SerialSettings settings, LinkOptions options) {
        long gap = Math.max(options.pause().toNanos(), settings.t35Micros() * 1000);
        return new ModbusLink(Framing.RTU, options, new SerialWire(settings, options), gap);
    }

    /** RTU on a serial line with {@link LinkOptions#SERIAL}. */
    public static ModbusLink serial(SerialSettings settings) {
        return serial(settings, LinkOptions.SERIAL);
    }

    private static void checkEndpoint(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    public Framing framing() {
        return framing;
    }

    public LinkOptions options() {
        return options;
    }

    /** "modbus-tcp 10.0.0.5:502", "rtu /dev/ttyUSB0 9600 8N1", "rtu-over-tcp 10.0.0.9:4001". */
    public String describe() {
        return framing.label() + " " + wire.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Counters so far; does not wait for a transaction in progress. */
    public LinkStats stats() {
        return new LinkStats(requests, answers, rejected, noResponse, badResponse, linkDown, connects);
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    /**
     * Reads {@code count} registers or bits of {@code table} from {@code start} (function 1, 2, 3 or 4).
     *
     * @return the data; bits are unpacked one byte (0 or 1) per bit
     * @throws NoResponseException  nothing came back within the response timeout
     * @throws LinkDownException    no connection could be made, or it broke during the request
     * @throws RejectedException    the device answered with an exception code ({@link RejectedException#code()})
     * @throws BadResponseException the answer was not a valid answer to this request
     */
    public RegisterBlock read(int unitId, Table table, int start, int count) throws DeviceException {
        checkRange(table, start, count, table.maxPerRead());
        ModbusRequest request = switch (table) {
            case COIL -> new ReadCoilsRequest(start, count);
            case DISCRETE_INPUT -> new ReadInputDiscretesRequest(start, count);
            case HOLDING -> new ReadMultipleRegistersRequest(start, count);
            case INPUT -> new ReadInputRegistersRequest(start, count);
        };
        Op what = new Op(table.readFunction(), table, start, count, 0);
        lock.lock();
        try {
            ModbusResponse response = exchange(unitId, request, what);
            byte[] data = switch (response) {
                case ReadCoilsResponse r -> bits(r.getCoils(), count, unitId, what);
                case ReadInputDiscretesResponse r -> bits(r.getDiscretes(), count, unitId, what);
                case ReadMultipleRegistersResponse r -> registers(r.getRegisters(), count, unitId, what);
                case ReadInputRegistersResponse r -> registers(r.getRegisters(), count, unitId, what);
                default -> throw failed(bad(unitId, what, "answer of an unexpected kind " + response.getClass().getSimpleName()));
            };
            answers++;
            return new RegisterBlock(table, start, count, data);
        } finally {
            lock.unlock();
        }
    }

    private byte[] bits(BitVector v, int count, int unitId, Op what) throws DeviceException {
        int bytes = (count + 7) / 8;
        if (v == null || v.byteSize() != bytes) {
            throw failed(bad(unitId, what, "answer carries " + (v == null ? 0 : v.byteSize()) + " data bytes, "
                    + count + " bits need " + bytes));
        }
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) (v.getBit(i) ? 1 : 0);
        }
        return out;
    }

    private byte[] registers(InputRegister[] regs, int count, int unitId, Op what) throws DeviceException {
        if (regs == null || regs.length != count) {
            throw failed(bad(unitId, what, "answer carries " + (regs == null ? 0 : regs.length) + " registers, "
                    + count + " were asked for"));
        }
        byte[] out = new byte[2 * count];
        for (int i = 0; i < count; i++) {
            int v = regs[i].toUnsignedShort();
            out[2 * i] = (byte) (v >> 8);
            out[2 * i + 1] = (byte) v;
        }
        return out;
    }

    // ---- writes --------------------------------------------------------------------------------------------

    /** Function 5: sets one coil. */
    public void writeCoil(int unitId, int address, boolean on) throws DeviceException {
        checkRange(Table.COIL, address, 1, 1);
        Op what = new Op(5, Table.COIL, address, 1, on ? 1 : 0);
        lock.lock();
        try {
            ModbusResponse response = exchange(unitId, new WriteCoilRequest(address, on), what);
            if (!(response instanceof WriteCoilResponse r) || r.getReference() != address || r.getCoil() != on) {
                throw failed(bad(unitId, what, "the device did not echo the write"));
            }
            answers++;
        } finally {
            lock.unlock();
        }
    }

    /** Function 15: sets {@code values.length} coils (1..1968) from {@code start}. */
    public void writeCoils(int unitId, int start, boolean[] values) throws DeviceException {
        checkRange(Table.COIL, start, values.length, 1968);
        Op what = new Op(15, Table.COIL, start, values.length, 0);
        BitVector v = new BitVector(values.length);
        for (int i = 0; i < values.length; i++) {
            v.setBit(i, values[i]);
        }
        lock.lock();
        try {
            ModbusResponse response = exchange(unitId, new WriteMultipleCoilsRequest(start, v), what);
            if (!(response instanceof WriteMultipleCoilsResponse r) || r.getReference() != start
                    || r.getBitCount() != values.length) {
                throw failed(bad(unitId, what, "the device did not echo the write"));
            }
            answers++;
        } finally {
            lock.unlock();
        }
    }

    /** Function 6: sets one holding register to {@code value} (0..65535, or -32768..-1 as two's complement). */
    public void writeRegister(int unitId, int address, int value) throws DeviceException {
        checkRange(Table.HOLDING, address, 1, 1);
        if (value < Short.MIN_VALUE || value > 0xFFFF) {
            throw new IllegalArgumentException("register value " + value + " does not fit 16 bits");
        }
        int word = value & 0xFFFF;
        Op what = new Op(6, Table.HOLDING, address, 1, word);
        lock.lock();
        try {
            ModbusResponse response = exchange(unitId, new WriteSingleRegisterRequest(address, new SimpleRegister(word)), what);
            if (!(response instanceof WriteSingleRegisterResponse r) || r.getReference() != address
                    || (r.getRegisterValue() & 0xFFFF) != word) {
                throw failed(bad(unitId, what, "the device did not echo the write"));
            }
            answers++;
        } finally {
            lock.unlock();
        }
    }

    /** Function 16: writes registers from {@code start}; {@code wire} holds two bytes per register (1..123). */
    public void writeRegisters(int unitId, int start, byte[] wire) throws DeviceException {
        if (wire.length == 0 || wire.length % 2 != 0) {
            throw new IllegalArgumentException("register data must be a non-empty even number of bytes");
        }
        int count = wire.length / 2;
        checkRange(Table.HOLDING, start, count, 123);
        Register[] regs = new Register[count];
        for (int i = 0; i < count; i++) {
            regs[i] = new SimpleRegister(wire[2 * i], wire[2 * i + 1]);
        }
        Op what = new Op(16, Table.HOLDING, start, count, 0);
        lock.lock();
        try {
            ModbusResponse response = exchange(unitId, new WriteMultipleRegistersRequest(start, regs), what);
            if (!(response instanceof WriteMultipleRegistersResponse r) || r.getReference() != start
                    || r.getWordCount() != count) {
                throw failed(bad(unitId, what, "the device did not echo the write"));
            }
            answers++;
        } finally {
            lock.unlock();
        }
    }

    // ---- the exchange --------------------------------------------------------------------------------------

    /** Sends one request and returns its validated answer. Call with the lock held. */
    private ModbusResponse exchange(int unitId, ModbusRequest request, Op what) throws DeviceException {
        checkUnit(unitId);
        awaitTurn();
        boolean reused = wire.isOpen() && exchangesOnConnection > 0;
        try {
            return exchangeOnce(unitId, request, what);
        } catch (LinkDownException e) {
            // A connection that served before and now turns out closed (device server idle timeout, device
            // reboot) is reopened once. Such a failure shows at once (the peer had closed already), so the one
            // retry costs little; a retry policy proper is the scheduler's.
            if (reused && e.getCause() instanceof StaleConnection) {
                LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": connection was closed, reconnecting");
                return exchangeOnce(unitId, request, what);
            }
            throw e;
        }
    }

    private ModbusResponse exchangeOnce(int unitId, ModbusRequest request, Op what) throws DeviceException {
        if (!wire.isOpen()) {
            try {
                wire.open();
                connects++;
                exchangesOnConnection = 0;
            } catch (LinkDownException e) {
                linkDown++;
                throw e;
            }
        }
        int tid = nextTransactionId();
        request.setUnitID(unitId);
        request.setTransactionID(tid);
        requests++;
        ModbusResponse response;
        try {
            wire.discardInput();
            wire.transport().writeRequest(request);
            response = wire.transport().readResponse();
        } catch (ModbusIOException e) {
            throw failed(classify(e, unitId, what));
        } catch (IOException | RuntimeException e) {
            throw failed(new BadResponseException(context(unitId, what) + ": " + e, e));
        } finally {
            lastExchangeEnd = System.nanoTime();
            exchanged = true;
        }
        if (response == null) {
            throw failed(new NoResponseException("no answer from " + context(unitId, what), null));
        }
        if (framing == Framing.TCP && !response.isHeadless() && response.getTransactionID() != tid) {
            throw failed(bad(unitId, what, "answer carries transaction id " + response.getTransactionID()
                    + ", the request had " + tid + " (a late answer to an earlier request?)"));
        }
        if (response.getUnitID() != unitId) {
            throw failed(bad(unitId, what, "answer comes from unit " + response.getUnitID()));
        }
        int function = request.getFunctionCode();
        if (framing.rtu()) {
            int trailing;
            try {
                trailing = wire.pendingInput();
            } catch (IOException e) {
                trailing = 0;
            }
            if (trailing > 0) {
                throw failed(bad(unitId, what, trailing + " more bytes followed the answer (a late answer to an "
                        + "earlier request, or two devices with the same unit id?)"));
            }
        }
        exchangesOnConnection++;
        if (response instanceof ExceptionResponse ex) {
            int echoed = ex.getFunctionCode() & 0x7F;
            if (echoed != function && ex.getFunctionCode() != 0) {
                throw failed(bad(unitId, what, String.format(Locale.ROOT,
                        "exception answer for function %02d", echoed)));
            }
            int code = ex.getExceptionCode();
            // A TCP-to-RTU gateway answers for a meter behind it that is silent or unreachable: that meter is
            // DISCONNECTED, not in ERROR. The connection to the gateway itself is fine and stays.
            if (code == ExceptionCode.GATEWAY_TARGET_FAILED.code()) {
                noResponse++;
                throw new NoResponseException("gateway reports no answer (" + ExceptionCode.describe(code) + ") from "
                        + context(unitId, what), null);
            }
            if (code == ExceptionCode.GATEWAY_PATH_UNAVAILABLE.code()) {
                linkDown++;
                throw new LinkDownException("gateway has no path (" + ExceptionCode.describe(code) + ") to "
                        + context(unitId, what), null);
            }
            rejected++;
            throw new RejectedException(ExceptionCode.describe(code) + " from " + context(unitId, what), code);
        }
        if (response.getFunctionCode() != function) {
            throw failed(bad(unitId, what, String.format(Locale.ROOT, "answer is for function %02d",
                    response.getFunctionCode())));
        }
        return response;
    }

    /**
     * Books a failed exchange and leaves the wire safe for the next request: RTU framings wait out the late-reply
     * guard, and TCP connections are dropped (so no late answer can arrive on them). The guard is waited here,
     * not before the next request: the line is busy either way, but this way the time is charged to the request
     * that failed, where the scheduler's retry budget sees it, and not to whichever meter is polled next.
     */
    private DeviceException failed(DeviceException e) {
        switch (e) {
            case NoResponseException n -> noResponse++;
            case BadResponseException b -> badResponse++;
            case LinkDownException l -> linkDown++;
            case RejectedException r -> rejected++;
        }
        boolean lineMayCarryLateData = e instanceof NoResponseException || e instanceof BadResponseException;
        if (framing.rtu() && lineMayCarryLateData && !options.lateReplyGuard().isZero()) {
            try {
                Thread.sleep(options.lateReplyGuard());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        // A serial port stays open through timeouts and bad frames (reopening toggles the modem lines of some
        // RS-485 adapters and would not stop a late answer anyway: the guard does). It is reopened when the port
        // itself failed, e.g. an unplugged USB adapter.
        if (framing != Framing.RTU || e instanceof LinkDownException) {
            wire.close();
        }
        return e;
    }

    /** Waits for the line to be free: the pause after the last exchange. */
    private void awaitTurn() {
        long now = System.nanoTime();
        long until = exchanged ? lastExchangeEnd + minGapNanos : now;
        long wait = until - now;
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int nextTransactionId() {
        transactionId = transactionId >= 0xFFFF ? 1 : transactionId + 1;
        return transactionId;
    }

    /**
     * Maps a j2mod I/O failure to our kinds. j2mod often keeps only the text of the underlying exception, so the
     * cause chain is checked first and the message after.
     */
    DeviceException classify(ModbusIOException e, int unitId, Op what) {
        String context = context(unitId, what);
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return noAnswer(context, e);
            }
            if (t instanceof EOFException || t instanceof SocketException) {
                return new LinkDownException("connection closed during " + context, new StaleConnection(e));
            }
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("crc")) {
            return new BadResponseException("CRC error in the answer to " + context, e);
        }
        if (m.contains("timeout") || m.contains("timed out")) {
            return noAnswer(context, e);
        }
        if (m.contains("truncated") && framing == Framing.RTU) {
            return new BadResponseException("incomplete answer to " + context, e);
        }
        if (m.contains("cannot read from serial port")) {
            return noAnswer(context, e);
        }
        if (m.contains("not valid or not open") || m.contains("cannot open port")) {
            return new LinkDownException("serial port failed during " + context + ": " + e.getMessage(), e);
        }
        if (m.contains("end of stream") || m.contains("connection reset") || m.contains("broken pipe")
                || m.contains("failed to write")) {
            return new LinkDownException("connection closed during " + context, new StaleConnection(e));
        }
        return new BadResponseException("unreadable answer to " + context + ": " + e.getMessage(), e);
    }

    private NoResponseException noAnswer(String context, Exception cause) {
        return new NoResponseException("no answer within " + options.responseTimeout().toMillis() + " ms to "
                + context, cause);
    }

    private BadResponseException bad(int unitId, Op what, String problem) {
        return new BadResponseException(problem + ": " + context(unitId, what), null);
    }

    private String context(int unitId, Op what) {
        return "unit " + unitId + " " + what + " on " + describe();
    }

    private void checkUnit(int unitId) {
        if (framing == Framing.TCP ? unitId < 0 || unitId > 255 : unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("unit id " + unitId + " out of range "
                    + (framing == Framing.TCP ? "0..255" : "1..247 (0 is broadcast, which has no answer)"));
        }
    }

    private static void checkRange(Table table, int start, int count, int max) {
        if (count < 1 || count > max) {
            throw new IllegalArgumentException(table.configName() + " count " + count + " outside 1.." + max);
        }
        if (start < 0 || start + count - 1 > 0xFFFF) {
            throw new IllegalArgumentException(table.configName() + " range " + start + "+" + count
                    + " outside 0..65535");
        }
    }

    /** Closes the connection; the next request opens a new one. */
    @Override
    public void close() {
        lock.lock();
        try {
            wire.close();
        } finally {
            lock.unlock();
        }
    }

    /** A request in words for messages; formatted only when a message is made (not on every request). */
    private record Op(int function, Table table, int address, int count, int value) {
        @Override
        public String toString() {
            return switch (function) {
                case 5 -> String.format(Locale.ROOT, "FC05 coil 0x%04X=%s", address, value != 0 ? "ON" : "OFF");
                case 6 -> String.format(Locale.ROOT, "FC06 holding 0x%04X=0x%04X", address, value);
                default -> String.format(Locale.ROOT, "FC%02d %s 0x%04X+%d", function, table.configName(), address, count);
            };
        }
    }

    /** Marks a failure caused by a connection that was already closed by the other end. */
    private static final class StaleConnection extends IOException {
        StaleConnection(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
