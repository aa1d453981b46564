package io.edgegateway.modbus.transport;

import com.ghgande.j2mod.modbus.util.ModbusUtil;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.link.ByteLink;
import io.edgegateway.link.Deadline;
import io.edgegateway.link.TcpByteLink;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * RTU frames (unit id, PDU, CRC-16) on a serial line, or carried by a TCP connection to a serial device server in
 * transparent mode ("RTU over TCP").
 *
 * <p>RTU has no transaction id, so a late answer is kept out by time: before each request whatever is waiting is
 * discarded; after a request that timed out or got a broken answer the line is kept quiet for
 * {@link LinkOptions#lateReplyGuard()} and what came meanwhile is discarded; and an answer followed by more bytes
 * is refused. Answers are framed by function code and byte count, and checked by their CRC (a device server passes
 * on whatever noise the RS-485 line carried). The quiet time between requests is at least RTU's 3.5 characters.
 *
 * <p>On a serial line the deadline of an exchange adds the request's and the answer's time on the wire at the
 * line's baud rate to the response timeout. The connection stays open through timeouts and bad frames (reopening
 * a port toggles some RS-485 adapters' modem lines and would not stop a late answer anyway); it is reopened when
 * the port or the TCP connection itself failed. Through a device server, an answer cut off by the deadline also
 * closes the connection: the rest of it may keep coming for seconds; the guard is waited out as well, for the
 * RS-485 line behind the server.
 */
public final class RtuTransport implements ModbusTransport {

    /** Unit id, function, byte count, at most 255 data bytes (a valid answer has 250 at most), CRC. */
    private static final int MAX_FRAME = 260;

    private final String label;
    private final String where;
    private final Opener opener;
    private final LinkOptions options;
    private final SerialSettings serial;
    private final Duration pause;
    private ByteLink link;
    private long lastExchangeEndNanos;
    private volatile long connects;

    private interface Opener {
        ByteLink open() throws LinkDownException;
    }

    private RtuTransport(String label, String where, Opener opener, LinkOptions options, SerialSettings serial,
                         Duration pause) {
        this.label = label;
        this.where = where;
        this.opener = opener;
        this.options = options;
        this.serial = serial;
        this.pause = pause;
    }

    /** RTU on a serial line; the port opens with the first request and stays open. */
    public static RtuTransport serial(SerialSettings settings, LinkOptions options) {
        Duration t35 = Duration.ofNanos(settings.t35Micros() * 1000);
        Duration pause = options.pause().compareTo(t35) > 0 ? options.pause() : t35;
        return new RtuTransport("rtu", settings.describe(), () -> SerialLine.open(settings), options,
                settings, pause);
    }

    /** RTU frames through a serial device server at {@code host:port}. */
    public static RtuTransport overTcp(String host, int port, LinkOptions options) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        return new RtuTransport("rtu-over-tcp", (host.contains(":") ? "[" + host + "]" : host) + ":" + port,
                () -> TcpByteLink.open(host, port, options.connectTimeout()), options, null, options.pause());
    }

    @Override
    public AnswerPdu exchange(int unitId, RequestPdu request) throws DeviceException {
        open();
        Pause.await(lastExchangeEndNanos, pause);
        byte[] pdu = PduCodec.encode(request);
        byte[] frame = new byte[pdu.length + 3];
        frame[0] = (byte) unitId;
        System.arraycopy(pdu, 0, frame, 1, pdu.length);
        putCrc(frame, frame.length - 2);
        try {
            link.discardInput();
            link.write(frame);
            Deadline deadline = Deadline.in(options.responseTimeout().plus(link.wireTime(frame.length + request.answerLength() + 3)));
            return answer(unitId, request, deadline);
        } catch (LineCarriesLateData e) {
            if (serial == null && e.cutOff) {
                // Through a device server the rest of a cut-off answer may come for seconds (a device dripping it,
                // or the server itself): that connection's stream cannot be trusted, a new one can. The RS-485 side
                // still gets its quiet time below.
                close();
            }
            keepQuiet();
            throw e.failure;
        } catch (EOFException e) {
            close();
            throw new LinkDownException("connection closed by the device server during " + context(unitId, request), e);
        } catch (IOException e) {
            close();
            throw new LinkDownException((serial != null ? "serial port failed" : "connection broken") + " during "
                    + context(unitId, request) + " (" + e.getClass().getSimpleName() + ")", e);
        } finally {
            lastExchangeEndNanos = System.nanoTime();
        }
    }

    private AnswerPdu answer(int unitId, RequestPdu request, Deadline deadline) throws IOException, LineCarriesLateData,
            BadResponseException {
        byte[] buf = new byte[MAX_FRAME];
        int got = link.readFully(buf, 0, 2, deadline);
        if (got == 0) {
            throw late(new NoResponseException("no answer within " + options.responseTimeout().toMillis() + " ms to "
                    + context(unitId, request), null));
        }
        int length;
        if (got == 2) {
            int function = buf[1] & 0xFF;
            if ((function & 0x80) != 0) {
                length = 5;
            } else {
                switch (function) {
                    case 1, 2, 3, 4 -> {
                        if (link.readFully(buf, 2, 1, deadline) < 1) {
                            throw cutOff(2, unitId, request);
                        }
                        got = 3;
                        length = 5 + (buf[2] & 0xFF);
                    }
                    case 5, 6, 15, 16 -> length = 8;
                    default -> throw late(new BadResponseException(String.format(Locale.ROOT,
                            "answer with function code 0x%02X (noise, or another baud rate?) to %s", function,
                            context(unitId, request)), null));
                }
            }
            got += link.readFully(buf, got, length - got, deadline);
        } else {
            length = 2;
        }
        if (got < length) {
            if (got >= 5 && length > 5 && crcMatches(buf, got)) {
                // A whole frame, CRC and all, that promised more data than it carries: the device's mistake, not
                // a slow line.
                throw late(new BadResponseException("answer shorter than its byte count (" + (got - 5) + " of "
                        + (length - 5) + " bytes) to " + context(unitId, request), null));
            }
            throw cutOff(got, unitId, request);
        }
        if (!crcMatches(buf, length)) {
            throw late(new BadResponseException("CRC error in the answer to " + context(unitId, request) + " ("
                    + HexFormat.ofDelimiter(" ").formatHex(buf, 0, Math.min(length, 16)) + (length > 16 ? " ..." : "")
                    + ")", null));
        }
        int trailing = link.available();
        if (trailing > 0) {
            throw late(new BadResponseException(trailing + " more bytes followed the answer (a late answer to an "
                    + "earlier request, or two devices with the same unit id?): " + context(unitId, request), null));
        }
        if ((buf[0] & 0xFF) != unitId) {
            throw new BadResponseException("answer comes from unit " + (buf[0] & 0xFF) + ": "
                    + context(unitId, request), null);
        }
        byte[] pdu = new byte[length - 3];
        System.arraycopy(buf, 1, pdu, 0, pdu.length);
        try {
            return PduCodec.decode(request, pdu);
        } catch (PduCodec.MalformedPdu e) {
            throw new BadResponseException(e.getMessage() + ": " + context(unitId, request), null);
        }
    }

    /** Whether the last two of the first {@code length} bytes are the CRC of the others. */
    private static boolean crcMatches(byte[] buf, int length) {
        int[] crc = ModbusUtil.calculateCRC(buf, 0, length - 2);
        return (buf[length - 2] & 0xFF) == crc[0] && (buf[length - 1] & 0xFF) == crc[1];
    }

    private LineCarriesLateData cutOff(int got, int unitId, RequestPdu request) {
        return new LineCarriesLateData(true, new NoResponseException("answer incomplete after " + options.responseTimeout().toMillis()
                + " ms (" + got + " bytes; a device dripping its answer, or a broken line?) to "
                + context(unitId, request), null));
    }

    private static LineCarriesLateData late(DeviceException failure) {
        return new LineCarriesLateData(false, failure);
    }

    /**
     * After a timeout or a broken frame: keep the line quiet for the guard, then drop what came meanwhile. Waited
     * here rather than before the next request, so the time is charged to the exchange that failed (where the
     * scheduler's retry budget sees it), not to whichever device is polled next.
     */
    private void keepQuiet() {
        if (!options.lateReplyGuard().isZero()) {
            try {
                Thread.sleep(options.lateReplyGuard());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        if (link == null) {
            return; // closed: the next request opens a fresh connection
        }
        try {
            link.discardInput();
        } catch (IOException e) {
            close();
        }
    }


    private void open() throws LinkDownException {
        if (link == null) {
            link = opener.open();
            connects++;
        }
    }

    private static void putCrc(byte[] frame, int at) {
        int[] crc = ModbusUtil.calculateCRC(frame, 0, at);
        frame[at] = (byte) crc[0];
        frame[at + 1] = (byte) crc[1];
    }

    private String context(int unitId, RequestPdu request) {
        return "unit " + unitId + " " + request.describe() + " on " + describe();
    }

    @Override
    public String describe() {
        return label + " " + where;
    }

    @Override
    public long connects() {
        return connects;
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    /** A failure after which the line may still carry part of an answer. */
    private static final class LineCarriesLateData extends Exception {
        /** Part of an answer came, then the deadline. */
        final boolean cutOff;
        final DeviceException failure;

        LineCarriesLateData(boolean cutOff, DeviceException failure) {
            super(null, null, false, false);
            this.cutOff = cutOff;
            this.failure = failure;
        }
    }
}
