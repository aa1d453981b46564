package io.edgegateway.dlms.wrapper;

import io.edgegateway.dlms.transport.AnswerCutOffException;
import io.edgegateway.link.Deadline;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.transport.ApduChannel;
import io.edgegateway.link.ByteLink;
import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;

import java.io.IOException;
import java.time.Duration;

/**
 * APDUs over TCP with the wrapper header. A client link has fixed ports; a server link learns the client's wPort
 * from each request and answers to it.
 */
public final class WrapperLink implements ApduChannel {

    private final ByteLink link;
    private final int localPort;
    private int remotePort;
    private final boolean serverSide;

    private WrapperLink(ByteLink link, int localPort, int remotePort, boolean serverSide) {
        this.link = link;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.serverSide = serverSide;
    }

    public static WrapperLink client(ByteLink link, int clientPort, int serverPort) {
        return new WrapperLink(link, clientPort, serverPort, false);
    }

    /** A server link for logical device {@code serverPort}; requests for other ports are still returned. */
    public static WrapperLink server(ByteLink link, int serverPort) {
        return new WrapperLink(link, serverPort, -1, true);
    }

    /** The peer's wPort of the last received APDU (the client SAP, on a server link). */
    public int remotePort() {
        return remotePort;
    }

    /** The destination wPort of the last received APDU. */
    private int lastDestination = -1;

    public int lastDestination() {
        return lastDestination;
    }

    @Override
    public void send(byte[] apdu, Duration timeout) throws IOException {
        if (apdu.length > 0xFFFF) {
            throw new IllegalArgumentException("APDU of " + apdu.length + " bytes does not fit the wrapper");
        }
        link.write(WrapperHeader.frame(localPort, remotePort, apdu));
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException {
        Deadline deadline = Deadline.in(timeout);
        byte[] h = new byte[WrapperHeader.SIZE];
        int got = link.readFully(h, 0, h.length, deadline);
        if (got == 0) {
            throw new LinkTimeoutException("no answer within " + timeout.toMillis() + " ms");
        }
        if (got < h.length) {
            throw new AnswerCutOffException("wrapper frame incomplete: " + got + " of 8 header bytes before the deadline");
        }
        WrapperHeader header;
        try {
            header = WrapperHeader.decode(h);
        } catch (MalformedException e) {
            throw new FrameException(e.getMessage());
        }
        byte[] apdu = new byte[header.length()];
        int n = link.readFully(apdu, 0, apdu.length, deadline);
        if (n < apdu.length) {
            throw new AnswerCutOffException("wrapper frame incomplete: " + n + " of " + apdu.length
                    + " APDU bytes before the deadline");
        }
        if (serverSide) {
            remotePort = header.sourcePort();
            lastDestination = header.destinationPort();
        } else if (header.sourcePort() != remotePort || header.destinationPort() != localPort) {
            throw new FrameException("wrapper frame from wPort " + header.sourcePort() + " to " + header.destinationPort()
                    + ", expected " + remotePort + " to " + localPort);
        }
        return apdu;
    }

    @Override
    public ByteLink link() {
        return link;
    }

    @Override
    public void close() {
        link.close();
    }
}
