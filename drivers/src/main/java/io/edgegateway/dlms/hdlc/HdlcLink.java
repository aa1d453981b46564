package io.edgegateway.dlms.hdlc;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.transport.ApduChannel;
import io.edgegateway.link.ByteLink;
import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The HDLC data link of one client/server pair in normal response mode. The client opens it with SNRM (proposing
 * its parameters; the server's UA carries what it accepts) and closes it with DISC. APDUs travel in I-frames behind
 * the LLC header (E6 E6 00 client to server, E6 E7 00 back); an APDU longer than the negotiated information field is
 * split into segments (S bit set on all but the last). The sender sets the poll/final bit on the last frame of each
 * window; the receiver answers a polled segment with RR, and the sender goes on.
 *
 * <p>The server side ({@link #server}) answers SNRM, DISC and stray RR polls itself inside {@link #receive}, and
 * ignores frames for other addresses (a shared RS-485 bus).
 */
public final class HdlcLink implements ApduChannel {

    private static final byte[] LLC_REQUEST = {(byte) 0xE6, (byte) 0xE6, 0x00};
    private static final byte[] LLC_RESPONSE = {(byte) 0xE6, (byte) 0xE7, 0x00};
    /** Upper bound for one reassembled APDU: a broken peer cannot make us buffer without limit. */
    private static final int MAX_APDU = 65_535 + 3;
    /** Flags, format, addresses (up to 4 + 1 bytes), control, HCS and FCS around a frame's information field. */
    private static final int FRAME_OVERHEAD = 14;

    /** Events a server link reports to the layer above. */
    public interface ServerEvents {
        /** A SNRM (re)opened the link or a DISC closed it: any association on it is gone. */
        void linkReset(HdlcAddress client, boolean connected);

        /** May this client address connect? */
        default boolean acceptsClient(HdlcAddress client) {
            return true;
        }
    }

    private final ByteLink link;
    private final HdlcFrameReader reader;
    private final boolean serverSide;
    private HdlcAddress local;
    private final java.util.function.Predicate<HdlcAddress> accepts;
    private HdlcAddress remote;
    private final HdlcParameters proposed;
    private final ServerEvents events;
    private HdlcParameters negotiated = HdlcParameters.DEFAULTS;
    private int sendSequence;
    private int receiveSequence;
    private boolean connected;

    private HdlcLink(ByteLink link, boolean serverSide, HdlcAddress local, HdlcAddress remote,
                     HdlcParameters proposed, ServerEvents events,
                     java.util.function.Predicate<HdlcAddress> accepts) {
        this.link = link;
        this.accepts = accepts;
        this.reader = new HdlcFrameReader(link);
        this.serverSide = serverSide;
        this.local = local;
        this.remote = remote;
        this.proposed = proposed;
        this.events = events;
    }

    /** The client end: {@code local} is the client address, {@code remote} the server's. */
    public static HdlcLink client(ByteLink link, HdlcAddress client, HdlcAddress server, HdlcParameters proposed) {
        return new HdlcLink(link, false, client, server, proposed, null, null);
    }

    /**
     * The server end at {@code server}; {@code limits} are the most it accepts (it answers a SNRM with the smaller
     * of these and the client's proposal).
     */
    public static HdlcLink server(ByteLink link, HdlcAddress server, HdlcParameters limits, ServerEvents events) {
        return new HdlcLink(link, true, server, null, limits, events, server::sameAs);
    }

    /**
     * A server end answering every destination address {@code accepts} (e.g. any physical address of logical
     * device 1); it answers from the address form the client used.
     */
    public static HdlcLink server(ByteLink link, java.util.function.Predicate<HdlcAddress> accepts,
                                  HdlcParameters limits, ServerEvents events) {
        return new HdlcLink(link, true, null, null, limits, events, accepts);
    }

    /** The parameters in force after SNRM/UA, from this side's point of view. */
    public HdlcParameters negotiated() {
        return negotiated;
    }

    public boolean connected() {
        return connected;
    }

    @Override
    public ByteLink link() {
        return link;
    }

    /** The peer's address (the client's, on a server link, once it connected). */
    public HdlcAddress remote() {
        return remote;
    }

    /**
     * Opens the link: SNRM with the proposed parameters, then UA.
     *
     * @throws LinkTimeoutException when no UA comes
     * @throws FrameException       for DM (the server refuses) or a broken answer
     */
    public void connect(Duration timeout) throws IOException {
        requireClient();
        link.discardInput();
        reader.clear();
        send(HdlcControl.of(HdlcControl.Kind.SNRM, true), false, proposed.encode());
        HdlcFrame answer = nextForUs(timeout);
        switch (answer.control().kind()) {
            case UA -> {
                HdlcParameters server;
                try {
                    server = HdlcParameters.decode(answer.info());
                } catch (MalformedException e) {
                    throw new FrameException("UA with unreadable parameters: " + e.getMessage());
                }
                // Our transmit may not exceed what the server receives, and the other way round.
                negotiated = new HdlcParameters(
                        Math.min(proposed.maxInfoTransmit(), server.maxInfoReceive()),
                        Math.min(proposed.maxInfoReceive(), server.maxInfoTransmit()),
                        Math.min(proposed.windowTransmit(), server.windowReceive()),
                        Math.min(proposed.windowReceive(), server.windowTransmit()));
                sendSequence = 0;
                receiveSequence = 0;
                connected = true;
            }
            case DM -> throw new FrameException("the meter answered SNRM with DM (disconnected mode): it refuses the "
                    + "connection (wrong server or client address?)");
            default -> throw new FrameException("expected UA to SNRM, got " + answer.control());
        }
    }

    /** Closes the link with DISC; waits briefly for UA or DM and ignores any failure. */
    public void disconnect(Duration timeout) {
        if (serverSide || !connected) {
            return;
        }
        connected = false;
        try {
            send(HdlcControl.of(HdlcControl.Kind.DISC, true), false, null);
            nextForUs(timeout);
        } catch (IOException e) {
            // The link is going away anyway.
        }
    }

    @Override
    public void send(byte[] apdu, Duration timeout) throws IOException {
        byte[] llc = serverSide ? LLC_RESPONSE : LLC_REQUEST;
        byte[] data = new byte[llc.length + apdu.length];
        System.arraycopy(llc, 0, data, 0, llc.length);
        System.arraycopy(apdu, 0, data, llc.length, apdu.length);
        int max = negotiated.maxInfoTransmit();
        int window = negotiated.windowTransmit();
        int inWindow = 0;
        for (int offset = 0; offset < data.length; offset += max) {
            int n = Math.min(max, data.length - offset);
            boolean last = offset + n >= data.length;
            inWindow++;
            boolean poll = last || inWindow == window;
            send(HdlcControl.info(sendSequence, receiveSequence, poll), !last,
                    Arrays.copyOfRange(data, offset, offset + n));
            sendSequence = (sendSequence + 1) & 7;
            if (!last && poll) {
                awaitReceiveReady(timeout);
                inWindow = 0;
            }
        }
    }

    /** After a polled segment: the peer's RR says "go on". */
    private void awaitReceiveReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HdlcFrame f = nextForUs(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            switch (f.control().kind()) {
                case RR -> {
                    if (f.control().receiveSequence() != sendSequence) {
                        throw new FrameException("RR acknowledges N(R)=" + f.control().receiveSequence()
                                + ", expected " + sendSequence + " (segment lost)");
                    }
                    return;
                }
                case RNR -> {
                    // Busy: ask again shortly.
                    sleep(20);
                    send(HdlcControl.receiveReady(receiveSequence, true), false, null);
                }
                default -> {
                    if (!handleControlFrame(f)) {
                        throw new FrameException("expected RR between segments, got " + f.control());
                    }
                }
            }
        }
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException {
        // The whole APDU has the timeout, plus on a serial line the time its frames need on the wire at the baud
        // rate: the deadline grows by what each frame that came legitimately took, never by how slowly it came.
        long start = System.nanoTime();
        int frameBudget = negotiated.maxInfoReceive() + FRAME_OVERHEAD;
        long received = 0;
        ByteArrayOutputStream apdu = new ByteArrayOutputStream();
        while (true) {
            long deadline = start + timeout.toNanos() + link.wireTime((int) Math.min(Integer.MAX_VALUE,
                    received + frameBudget)).toNanos();
            HdlcFrame f = nextForUs(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            received += f.info().length + FRAME_OVERHEAD;
            HdlcControl c = f.control();
            if (c.kind() != HdlcControl.Kind.I) {
                if (handleControlFrame(f)) {
                    continue;
                }
                throw new FrameException("expected an I-frame, got " + c);
            }
            if (!connected) {
                if (serverSide) {
                    send(HdlcControl.of(HdlcControl.Kind.DM, true), false, null);
                    continue;
                }
                throw new FrameException("I-frame on a link that is not connected");
            }
            if (c.sendSequence() != receiveSequence) {
                if (c.sendSequence() == ((receiveSequence - 1) & 7)) {
                    // A repeat of what we already have: the peer missed our acknowledgement.
                    if (c.pollFinal()) {
                        send(HdlcControl.receiveReady(receiveSequence, true), false, null);
                    }
                    continue;
                }
                throw new FrameException("I-frame out of sequence: N(S)=" + c.sendSequence() + ", expected "
                        + receiveSequence);
            }
            receiveSequence = (receiveSequence + 1) & 7;
            apdu.writeBytes(f.info());
            if (apdu.size() > MAX_APDU) {
                throw new FrameException("segmented APDU longer than " + MAX_APDU + " bytes");
            }
            if (f.segmented()) {
                if (c.pollFinal()) {
                    send(HdlcControl.receiveReady(receiveSequence, true), false, null);
                }
                continue;
            }
            byte[] data = apdu.toByteArray();
            byte[] llc = serverSide ? LLC_REQUEST : LLC_RESPONSE;
            if (data.length < 3 || data[0] != llc[0] || data[1] != llc[1]) {
                throw new FrameException("I-frame without the LLC header " + (serverSide ? "E6 E6 00" : "E6 E7 00"));
            }
            return Arrays.copyOfRange(data, 3, data.length);
        }
    }

    /**
     * Deals with a non-I frame met while waiting: SNRM/DISC on the server, DM/FRMR on the client.
     *
     * @return true when handled and waiting should go on
     */
    private boolean handleControlFrame(HdlcFrame f) throws IOException {
        HdlcControl c = f.control();
        if (serverSide) {
            switch (c.kind()) {
                case SNRM -> {
                    HdlcParameters client;
                    try {
                        client = HdlcParameters.decode(f.info());
                    } catch (MalformedException e) {
                        send(HdlcControl.of(HdlcControl.Kind.FRMR, true), false, null);
                        return true;
                    }
                    if (events != null && !events.acceptsClient(f.source())) {
                        send(HdlcControl.of(HdlcControl.Kind.DM, true), false, null);
                        return true;
                    }
                    negotiated = new HdlcParameters(
                            Math.min(proposed.maxInfoTransmit(), client.maxInfoReceive()),
                            Math.min(proposed.maxInfoReceive(), client.maxInfoTransmit()),
                            Math.min(proposed.windowTransmit(), client.windowReceive()),
                            Math.min(proposed.windowReceive(), client.windowTransmit()));
                    sendSequence = 0;
                    receiveSequence = 0;
                    connected = true;
                    send(HdlcControl.of(HdlcControl.Kind.UA, true), false, negotiated.encode());
                    if (events != null) {
                        events.linkReset(remote, true);
                    }
                    return true;
                }
                case DISC -> {
                    send(HdlcControl.of(connected ? HdlcControl.Kind.UA : HdlcControl.Kind.DM, true), false, null);
                    connected = false;
                    if (events != null) {
                        events.linkReset(remote, false);
                    }
                    return true;
                }
                case RR -> {
                    // A poll with nothing pending: answer that we are ready.
                    if (c.pollFinal() && connected) {
                        send(HdlcControl.receiveReady(receiveSequence, true), false, null);
                    }
                    return true;
                }
                default -> {
                    return true; // UI and others: not for us to answer
                }
            }
        }
        return switch (c.kind()) {
            case DM -> throw new FrameException("the meter sent DM: the link is disconnected");
            case FRMR -> throw new FrameException("the meter rejected a frame (FRMR)");
            case UA, RR, UI -> true;
            case DISC -> throw new FrameException("the meter sent DISC");
            default -> false;
        };
    }

    /** The next frame addressed to us; frames for other stations on the line are skipped. */
    private HdlcFrame nextForUs(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new LinkTimeoutException("no answer within " + timeout.toMillis() + " ms");
            }
            HdlcFrame f = reader.read(Duration.ofNanos(left));
            if (serverSide ? !accepts.test(f.destination()) : !f.destination().sameAs(local)) {
                continue;
            }
            if (serverSide) {
                if (f.control().kind() == HdlcControl.Kind.SNRM || remote == null) {
                    remote = f.source();
                    local = f.destination();
                } else if (!f.source().sameAs(remote)) {
                    continue; // another client while one is connected: NRM allows one
                }
            } else if (!f.source().sameAs(remote)) {
                continue;
            }
            return f;
        }
    }

    private void send(HdlcControl control, boolean segmented, byte[] info) throws IOException {
        if (remote == null || local == null) {
            throw new FrameException("no peer address yet");
        }
        link.write(new HdlcFrame(remote, local, control, segmented, info).encode());
    }

    private void requireClient() {
        if (serverSide) {
            throw new IllegalStateException("only the client side opens the link");
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
