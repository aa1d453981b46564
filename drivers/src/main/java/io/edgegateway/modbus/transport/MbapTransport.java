package io.edgegateway.modbus.transport;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.link.Deadline;
import io.edgegateway.link.TcpByteLink;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Modbus TCP: MBAP frames (transaction id, protocol 0, length, unit id, PDU) on one TCP connection.
 *
 * <p>The transaction id is what makes a slow device safe to keep talking to. A request that timed out before any
 * byte of its answer arrived leaves the connection open; its id is remembered, and when its late answer arrives
 * ahead of a later request's, it is recognised and dropped ({@link #lateRepliesDiscarded()}). So a device that is
 * slow once per connection (the first answer after a connect) is still read, and a late answer is never taken for
 * another request's. The connection is dropped only when the stream can no longer be trusted: an answer cut off
 * by the deadline, a header that does not fit, an id that was never asked for, or
 * {@value #TIMEOUTS_BEFORE_RECONNECT} timeouts in a row (a device that lost its connection's state). When what
 * the deadline cut off was a late answer to an earlier request still trickling in (a device dripping it), the
 * current request is not the one that failed: it is asked once more, on the fresh connection.
 *
 * <p>With {@code maxOutstanding} above 1 (for Modbus TCP gateways and servers that take several transactions at
 * once), reads may be {@linkplain #sendAhead sent ahead}: queued, written together (one write) with the next
 * exchange, and claimed in the order they were sent by the exchange that asks the same, which waits for the answer
 * at most the response timeout from its own start, as one at a time would. Their answers may come in any order; one
 * that comes while another is awaited is kept until its exchange claims it. An exchange that asks something else
 * first (a write, a split request) gives up what was sent ahead: what was written is treated as timed out, and its
 * answers are dropped when they come; what was not is never written. Every answer is still matched by id, so none
 * is taken for another's.
 */
public final class MbapTransport implements ModbusTransport {

    static final int TIMEOUTS_BEFORE_RECONNECT = 3;
    /** The most transactions a bus may keep in flight. */
    public static final int MAX_OUTSTANDING = 16;
    /**
     * Ids of timed-out (or given-up) requests whose answers may still come; older ones are long past any device's
     * delay. Room for a whole window given up, and the timeouts before it.
     */
    private static final int ABANDONED_KEPT = 2 * MAX_OUTSTANDING;
    private static final int HEADER = 7;

    /** A request sent before its turn: its id and what it asked. */
    private record Ahead(int tid, int unitId, RequestPdu request) {
    }

    /** An answer that came while another was awaited: its unit byte and the rest of its frame. */
    private record Early(int unitId, byte[] body) {
    }

    private final String host;
    private final int port;
    private final LinkOptions options;
    private final int maxOutstanding;
    private final ArrayDeque<Integer> abandoned = new ArrayDeque<>(ABANDONED_KEPT);
    private final ArrayDeque<Ahead> ahead = new ArrayDeque<>();
    private final Map<Integer, Early> early = new HashMap<>();
    /** Frames sent ahead but not yet written: they go out in one write with the first exchange that follows. */
    private final ByteArrayOutputStream unsent = new ByteArrayOutputStream(64);
    private int unsentCount;
    private TcpByteLink link;
    private int transactionId;
    private int timeoutsInRow;
    private long exchangesOnConnection;
    private long lastExchangeEndNanos;
    private volatile long connects;
    private volatile long lateDiscarded;

    public MbapTransport(String host, int port, LinkOptions options) {
        this(host, port, options, 1);
    }

    /**
     * @param maxOutstanding transactions that may be in flight at once (1..{@value #MAX_OUTSTANDING}); 1, one
     *                       request at a time, is the safe choice for devices. Above 1 needs no pause between
     *                       requests.
     */
    public MbapTransport(String host, int port, LinkOptions options, int maxOutstanding) {
        if (maxOutstanding < 1 || maxOutstanding > MAX_OUTSTANDING) {
            throw new IllegalArgumentException("max outstanding must be 1.." + MAX_OUTSTANDING + ", got "
                    + maxOutstanding);
        }
        if (maxOutstanding > 1 && !options.pause().isZero()) {
            throw new IllegalArgumentException("several outstanding requests leave no pause between them: set the "
                    + "pause to 0 or max outstanding to 1");
        }
        this.maxOutstanding = maxOutstanding;
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        this.host = host;
        this.port = port;
        this.options = options;
    }

    @Override
    public AnswerPdu exchange(int unitId, RequestPdu request) throws DeviceException {
        boolean reused = link != null && exchangesOnConnection > 0;
        try {
            return exchangeOnce(unitId, request);
        } catch (ClosedWhileIdle e) {
            // A connection that served before and turns out closed (a device server's idle timeout, a reboot) is
            // reopened once: such a failure shows at once, so the retry costs little. Retrying proper is the
            // scheduler's.
            if (!reused) {
                throw e.asLinkDown();
            }
        } catch (StaleStream e) {
            // The connection was still carrying the late answer of an earlier request, trickling in: this request
            // did not fail, that one did. It is asked once more, on the fresh connection.
        }
        try {
            return exchangeOnce(unitId, request);
        } catch (ClosedWhileIdle again) {
            throw again.asLinkDown();
        } catch (StaleStream again) {
            throw cutOff(again.got, again.expected, unitId, request); // cannot happen on a new connection
        }
    }

    @Override
    public int maxOutstanding() {
        return maxOutstanding;
    }

    /**
     * Queues {@code request} if the window has room, it is not queued already, and (unless {@code behindOtherUnits})
     * no other unit's request is last in the queue: requests are claimed in the order sent. It is written with the
     * next exchange. Does nothing otherwise, or while there is no connection (the next exchange opens it).
     */
    @Override
    public void sendAhead(int unitId, RequestPdu request, boolean behindOtherUnits) {
        if (ahead.size() >= maxOutstanding
                || (!behindOtherUnits && !ahead.isEmpty() && ahead.peekLast().unitId() != unitId)) {
            return;
        }
        for (Ahead a : ahead) {
            if (a.unitId() == unitId && a.request().equals(request)) {
                return; // queued already: the scheduler's hint, then the meter's own
            }
        }
        if (link == null) {
            return; // a hint does not connect: an unreachable host would cost a connect timeout per hint
        }
        int tid = nextTransactionId();
        unsent.writeBytes(frame(tid, unitId, request));
        unsentCount++;
        ahead.addLast(new Ahead(tid, unitId, request));
    }

    /** Writes what was sent ahead, in one write: one system call and one segment for the whole window. */
    private void flushUnsent(int unitId, RequestPdu request) throws ClosedWhileIdle {
        if (unsentCount == 0) {
            return;
        }
        byte[] frames = unsent.toByteArray();
        unsent.reset();
        unsentCount = 0;
        try {
            link.write(frames);
        } catch (IOException e) {
            close();
            throw new ClosedWhileIdle(context(unitId, request), e);
        }
    }

    private AnswerPdu exchangeOnce(int unitId, RequestPdu request) throws DeviceException, ClosedWhileIdle,
            StaleStream {
        open();
        Ahead sent = claim(unitId, request);
        if (sent != null) {
            flushUnsent(unitId, request);
            try {
                Early got = early.remove(sent.tid());
                // The timeout runs from this exchange, as with one at a time: a gateway that answers in turn may
                // have spent the earlier requests' timeouts on a silent meter before it gets to this one.
                return got != null ? answer(unitId, request, got.unitId(), got.body())
                        : awaitAnswer(unitId, request, sent.tid(), Deadline.in(options.responseTimeout()));
            } finally {
                lastExchangeEndNanos = System.nanoTime();
            }
        }
        Pause.await(lastExchangeEndNanos, options.pause());
        int tid = nextTransactionId();
        try {
            link.write(frame(tid, unitId, request));
        } catch (IOException e) {
            close();
            throw new ClosedWhileIdle(context(unitId, request), e);
        }
        try {
            return awaitAnswer(unitId, request, tid, Deadline.in(options.responseTimeout()));
        } finally {
            lastExchangeEndNanos = System.nanoTime();
        }
    }

    private static byte[] frame(int tid, int unitId, RequestPdu request) {
        byte[] pdu = PduCodec.encode(request);
        byte[] frame = new byte[HEADER + pdu.length];
        frame[0] = (byte) (tid >> 8);
        frame[1] = (byte) tid;
        frame[4] = (byte) ((pdu.length + 1) >> 8);
        frame[5] = (byte) (pdu.length + 1);
        frame[6] = (byte) unitId;
        System.arraycopy(pdu, 0, frame, HEADER, pdu.length);
        return frame;
    }

    /**
     * The request sent ahead for this exchange, if it is the next in line; else every request sent ahead is given up
     * (this exchange comes out of turn), and null.
     */
    private Ahead claim(int unitId, RequestPdu request) {
        Ahead next = ahead.peekFirst();
        if (next != null && next.unitId() == unitId && next.request().equals(request)) {
            return ahead.removeFirst();
        }
        int written = ahead.size() - unsentCount;
        for (Ahead a : ahead) {
            if (written-- > 0 && early.remove(a.tid()) == null) {
                abandon(a.tid()); // on the wire: its answer may still come
            }
        }
        forgetAhead(); // what was not written: nothing will answer it
        return null;
    }

    /** Forgets every request sent ahead, the answers kept for them, and the frames not yet written. */
    private void forgetAhead() {
        ahead.clear();
        early.clear();
        unsent.reset();
        unsentCount = 0;
    }

    private AnswerPdu awaitAnswer(int unitId, RequestPdu request, int tid, Deadline deadline)
            throws DeviceException, ClosedWhileIdle, StaleStream {
        byte[] header = new byte[HEADER];
        while (true) {
            int got;
            try {
                got = link.readFully(header, 0, HEADER, deadline);
            } catch (EOFException e) {
                close();
                throw new ClosedWhileIdle(context(unitId, request), e);
            } catch (IOException e) {
                throw broken(e, unitId, request);
            }
            if (got == 0) {
                timedOut(tid);
                throw new NoResponseException("no answer within " + options.responseTimeout().toMillis() + " ms to "
                        + context(unitId, request), null);
            }
            if (got < HEADER) {
                if (lateAnswerBegins(header, got, tid)) {
                    close();
                    throw new StaleStream(got, HEADER);
                }
                throw cutOff(got, HEADER, unitId, request);
            }
            int answerTid = u16(header, 0);
            int protocol = u16(header, 2);
            int length = u16(header, 4);
            if (protocol != 0) {
                close();
                throw new BadResponseException("not a Modbus TCP answer (protocol id " + protocol + ") to "
                        + context(unitId, request), null);
            }
            if (length < 2 || length > 254) {
                close();
                throw new BadResponseException("answer with an MBAP length of " + length
                        + " (a Modbus frame has 2..254) to " + context(unitId, request), null);
            }
            byte[] body = new byte[length - 1];
            int n = read(body, deadline, unitId, request);
            if (n < body.length) {
                if (answerTid != tid && abandoned.contains(answerTid)) {
                    close();
                    throw new StaleStream(HEADER + n, HEADER + body.length);
                }
                throw cutOff(HEADER + n, HEADER + body.length, unitId, request);
            }
            if (answerTid != tid) {
                if (abandoned.remove(answerTid)) {
                    lateDiscarded++;
                    continue;
                }
                if (isAhead(answerTid)) {
                    early.put(answerTid, new Early(header[6] & 0xFF, body)); // answered out of order
                    continue;
                }
                close();
                throw new BadResponseException("answer carries transaction id " + answerTid + ", the request had " + tid
                        + " (a late answer to an earlier request?): " + context(unitId, request), null);
            }
            return answer(unitId, request, header[6] & 0xFF, body);
        }
    }

    /** The answer with this request's id: from the unit asked, and a valid answer to the request. */
    private AnswerPdu answer(int unitId, RequestPdu request, int answerUnit, byte[] body) throws BadResponseException {
        timeoutsInRow = 0;
        exchangesOnConnection++;
        if (answerUnit != unitId) {
            throw new BadResponseException("answer comes from unit " + answerUnit + ": " + context(unitId, request),
                    null);
        }
        try {
            return PduCodec.decode(request, body);
        } catch (PduCodec.MalformedPdu e) {
            throw new BadResponseException(e.getMessage() + ": " + context(unitId, request), null);
        }
    }

    private boolean isAhead(int tid) {
        for (Ahead a : ahead) {
            if (a.tid() == tid) {
                return true;
            }
        }
        return false;
    }

    /** Reads into {@code buffer} until full or the deadline; a closed or broken connection is LinkDown. */
    private int read(byte[] buffer, Deadline deadline, int unitId, RequestPdu request) throws LinkDownException {
        try {
            return link.readFully(buffer, 0, buffer.length, deadline);
        } catch (EOFException e) {
            close();
            throw new LinkDownException("connection closed by the device during " + context(unitId, request), e);
        } catch (IOException e) {
            throw broken(e, unitId, request);
        }
    }

    private LinkDownException broken(IOException e, int unitId, RequestPdu request) {
        close();
        return new LinkDownException("connection broken during " + context(unitId, request) + " ("
                + e.getClass().getSimpleName() + ")", e);
    }

    /** Part of an answer came, then the deadline: the rest may still come and would be read as the next frame. */
    private NoResponseException cutOff(int got, int expected, int unitId, RequestPdu request) {
        close();
        return new NoResponseException("answer incomplete after " + options.responseTimeout().toMillis() + " ms ("
                + got + " of " + expected + "+ bytes; a device dripping its answer?) to " + context(unitId, request),
                null);
    }

    /**
     * Whether the first {@code got} bytes of a header cut off by the deadline can only be the start of an answer to
     * a request that timed out before, not of this one's ({@code tid}).
     */
    private boolean lateAnswerBegins(byte[] header, int got, int tid) {
        if (got == 0 || abandoned.isEmpty()) {
            return false;
        }
        if (got >= 2) {
            return u16(header, 0) != tid && abandoned.contains(u16(header, 0));
        }
        int high = header[0] & 0xFF;
        return abandoned.stream().anyMatch(a -> (a >> 8) == high); // likely: a retry is cheap
    }

    private void timedOut(int tid) {
        abandon(tid);
        if (++timeoutsInRow >= TIMEOUTS_BEFORE_RECONNECT) {
            close();
        }
    }

    /** Remembers an id whose answer, if it still comes, is dropped. */
    private void abandon(int tid) {
        if (abandoned.size() == ABANDONED_KEPT) {
            abandoned.removeFirst();
        }
        abandoned.addLast(tid);
    }

    private void open() throws LinkDownException {
        if (link != null) {
            return;
        }
        link = TcpByteLink.open(host, port, options.connectTimeout());
        connects++;
        exchangesOnConnection = 0;
        timeoutsInRow = 0;
        abandoned.clear();
        forgetAhead();
    }

    private int nextTransactionId() {
        transactionId = transactionId >= 0xFFFF ? 1 : transactionId + 1;
        if (!abandoned.isEmpty()) {
            abandoned.remove(transactionId); // ids wrap: an answer to the new request is not a late one
        }
        return transactionId;
    }

    private String context(int unitId, RequestPdu request) {
        return "unit " + unitId + " " + request.describe() + " on " + describe();
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    @Override
    public String describe() {
        return "modbus-tcp " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public long connects() {
        return connects;
    }

    @Override
    public long lateRepliesDiscarded() {
        return lateDiscarded;
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
            link = null;
        }
        forgetAhead();
    }

    /** A late answer to an earlier request was still trickling in when this request's deadline came. */
    private static final class StaleStream extends Exception {
        final int got;
        final int expected;

        StaleStream(int got, int expected) {
            super(null, null, false, false);
            this.got = got;
            this.expected = expected;
        }
    }

    /** The peer had closed the connection before the request was answered (idle timeout, reboot). */
    private static final class ClosedWhileIdle extends Exception {
        private final String context;

        ClosedWhileIdle(String context, IOException cause) {
            super(cause);
            this.context = context;
        }

        LinkDownException asLinkDown() {
            return new LinkDownException("connection closed by the device before " + context, getCause());
        }
    }
}
