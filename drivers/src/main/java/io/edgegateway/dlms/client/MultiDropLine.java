package io.edgegateway.dlms.client;

import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.SharedLine;
import io.edgegateway.link.ByteLink;
import io.edgegateway.link.ForwardingByteLink;
import io.edgegateway.link.TcpByteLink;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;

import java.time.Duration;

/**
 * One RS-485 line shared by several DLMS meters, each at its own HDLC address (multi-drop): one serial port, or
 * one TCP connection to the serial device server in front of the line, opened once, and at most one association
 * on it at a time. A meter that needs the line takes it over: the previous holder's association is released
 * (RLRQ, then DISC) first, the port stays open. Used from the bus's one thread only, like the meters on it.
 */
public final class MultiDropLine implements SharedLine {

    /** Opens the line's port. */
    @FunctionalInterface
    public interface Opener {
        ByteLink open() throws LinkDownException;
    }

    private final Opener opener;
    private ByteLink port;
    private DlmsMeter holder;
    private long connects;

    public MultiDropLine(Opener opener) {
        this.opener = opener;
    }

    /** A serial port (an RS-485 adapter). */
    public static MultiDropLine serial(SerialSettings settings) {
        return new MultiDropLine(() -> SerialLine.open(settings));
    }

    /** A serial device server's TCP port in front of the line. */
    public static MultiDropLine tcp(String host, int port, Duration connectTimeout) {
        return new MultiDropLine(() -> TcpByteLink.open(host, port, connectTimeout));
    }

    /**
     * The open port for {@code meter}, opening it if needed, after the other meter holding the line let it go.
     * The link it returns is the meter's to use, not to close.
     */
    synchronized ByteLink claim(DlmsMeter meter) throws LinkDownException {
        if (holder != null && holder != meter) {
            DlmsMeter previous = holder;
            holder = null;
            previous.close(); // releases its association and calls released(), which is a no-op now
        }
        if (port == null || port instanceof SerialLine s && !s.isOpen()) {
            port = opener.open();
            connects++;
        }
        holder = meter;
        return new Borrowed(port);
    }

    /** The meter's association is gone (closed or failed). */
    synchronized void released(DlmsMeter meter) {
        if (holder == meter) {
            holder = null;
        }
    }

    /** The port itself failed (unplugged adapter): closed, and opened again by the next claim. */
    synchronized void broken() {
        if (port != null) {
            port.close();
            port = null;
        }
        holder = null;
    }

    @Override
    public synchronized long connects() {
        return connects;
    }

    @Override
    public long lateRepliesDiscarded() {
        return 0; // HDLC drops frames for other stations and out-of-sequence frames itself
    }

    @Override
    public synchronized void close() {
        if (holder != null) {
            DlmsMeter h = holder;
            holder = null;
            h.close();
        }
        if (port != null) {
            port.close();
            port = null;
        }
    }

    /** The shared port as one meter's connection sees it: closing it leaves the port open for the others. */
    private static final class Borrowed extends ForwardingByteLink {
        Borrowed(ByteLink port) {
            super(port);
        }

        @Override
        public void close() {
            // the line's, not the meter's
        }
    }
}
